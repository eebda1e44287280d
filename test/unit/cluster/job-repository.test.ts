// Job history stores: JSON-file persistence across instances, corrupt files kept aside, capped logs, merged metrics.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../common/cluster/job';
import { LaunchOptionsSchema, TrainingConfigSchema } from '../../../common/cluster/training-config';
import {
  JsonFileJobRepository,
  MAX_LOG_CHARS_PER_ATTEMPT,
  MemoryJobRepository,
  type JobRepository,
} from '../../../main/services/cluster/job-repository';

export function sampleRecord(id: string, over: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    profileId: 'p1',
    name: 'run',
    config: TrainingConfigSchema.parse({}),
    launch: LaunchOptionsSchema.parse({}),
    packageUri: 'gcs://_ray_pkg_0123456789abcdef.zip',
    entrypoint: 'python ray_launch.py',
    status: 'PENDING',
    attempts: [],
    restarts: 0,
    maxRestarts: 2,
    lastCheckpointStep: null,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  };
}
const pt = (step: number, loss: number) => ({ step, loss, lr: 0.1, samplesPerS: 10, epoch: 0, ts: null, extra: {} });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evrepo-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['memory', () => new MemoryJobRepository()],
  ['json-file', () => new JsonFileJobRepository(dir)],
] as const)('%s JobRepository', (_name, make: () => JobRepository) => {
  it('saves, lists newest first, filters by profile, deletes', async () => {
    const repo = make();
    await repo.save(sampleRecord('a', { createdAt: 1 }));
    await repo.save(sampleRecord('b', { createdAt: 2, profileId: 'p2' }));
    expect((await repo.list()).map((r) => r.id)).toEqual(['b', 'a']);
    expect((await repo.list({ profileId: 'p1' })).map((r) => r.id)).toEqual(['a']);
    await repo.delete('a');
    expect(await repo.get('a')).toBeUndefined();
  });

  it('keeps per-attempt logs (capped, tail kept) and a merged metric series', async () => {
    const repo = make();
    await repo.save(sampleRecord('j'));
    await repo.putAttemptOutput('j', 's1', { log: 'x'.repeat(MAX_LOG_CHARS_PER_ATTEMPT + 10) + 'END', metrics: [pt(1, 1), pt(2, 0.9)] });
    await repo.putAttemptOutput('j', 's2', { log: 'second', metrics: [pt(2, 0.8), pt(3, 0.7)] });
    const logs = await repo.getLogs('j');
    expect(logs.map((l) => l.submissionId)).toEqual(['s1', 's2']);
    expect(logs[0]?.log.endsWith('END')).toBe(true);
    expect(logs[0]?.log).toMatch(/^\[… 13 earlier characters dropped …\]/);
    expect((await repo.getMetrics('j')).map((m) => [m.step, m.loss])).toEqual([
      [1, 1],
      [2, 0.8],
      [3, 0.7],
    ]);
    // Replacing an attempt's output keeps one entry for it.
    await repo.putAttemptOutput('j', 's2', { log: 'final', metrics: [] });
    expect((await repo.getLogs('j')).map((l) => l.log.slice(0, 5))).toEqual(['[… 13', 'final']);
  });

  it('refuses output for an unknown job and invalid records', async () => {
    const repo = make();
    await expect(repo.putAttemptOutput('nope', 's', { log: '', metrics: [] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(repo.save({ ...sampleRecord('x'), status: 'WEIRD' } as unknown as JobRecord)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('status'),
    });
  });
});

describe('JsonFileJobRepository', () => {
  it('history outlives the instance (and the cluster)', async () => {
    await new JsonFileJobRepository(dir).save(sampleRecord('keep'));
    expect((await new JsonFileJobRepository(dir).get('keep'))?.id).toBe('keep');
  });

  it('keeps a corrupt file aside and reports it instead of crashing the list', async () => {
    const why: string[] = [];
    const repo = new JsonFileJobRepository(dir, (w) => why.push(w));
    await repo.save(sampleRecord('good'));
    fs.writeFileSync(path.join(dir, 'bad.json'), '{not json');
    expect((await repo.list()).map((r) => r.id)).toEqual(['good']);
    expect(why[0]).toMatch(/bad\.json was unreadable/);
    expect(fs.readdirSync(dir).some((n) => n.startsWith('bad.json.corrupt-'))).toBe(true);
  });

  it('rejects ids that could escape the folder', async () => {
    await expect(new JsonFileJobRepository(dir).get('../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
