// Indexing runs at low priority: it waits between batches while chat/completion is generating (the busy probe)
// and while the user has paused it, then finishes the same run.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../../common/contracts/projects';
import { makeHarness, writeManyFiles, type Harness } from './harness';

describe('index priority', () => {
  let h: Harness;
  let busy = false;
  let projectId = '';
  beforeAll(async () => {
    h = await makeHarness({ vectors: false, busy: () => busy });
    const root = path.join(h.dir, 'many');
    mkdirSync(root);
    writeManyFiles(root, 200);
    projectId = (await h.service.add({ path: root })).id;
  }, 120_000);
  afterAll(async () => h?.close(), 60_000);

  it('waits while generation is busy and while paused, then completes', async () => {
    const phases: IndexProgress['phase'][] = [];
    let pausedAt = -1;
    let busyAt = -1;
    const run = h.service.index(projectId, (p) => {
      phases.push(p.phase);
      if (busyAt < 0 && p.filesDone >= 32) {
        busyAt = p.filesDone;
        busy = true;
        setTimeout(() => (busy = false), 600);
      }
      // Pause while it is still waiting for the busy probe, so the pause is seen however fast the batches are
      // (a pause after the busy wait could land after the last batch on a quick machine).
      if (pausedAt < 0 && p.phase === 'waiting') {
        pausedAt = p.filesDone;
        h.service.pause(projectId, true);
        setTimeout(() => h.service.pause(projectId, false), 1_200);
      }
    });
    const r = await run;
    expect(r.phase).toBe('done');
    expect(phases).toContain('waiting');
    expect(phases).toContain('paused');
    expect(phases.lastIndexOf('indexing')).toBeGreaterThan(phases.indexOf('paused'));
    expect(r.filesDone).toBe(200);
    expect(() => h.service.pause(projectId, true)).toThrow(/No index is running/);
  }, 120_000);
});
