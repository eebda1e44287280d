// PerfService's typed errors before anything runs: an untrusted project is FORBIDDEN (the workspace's real trust
// rule, over an in-memory settings table) and neither the model nor the audit is touched; a bad FILE:FUNCTION is
// INVALID_ARGUMENT, a missing file or function NOT_FOUND; an already-aborted run is CANCELLED.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PerfService } from '../../../../main/services/perf/lab/perf-service';
import { memoryTrust } from '../../../support/perf/memory-trust';

const root = mkdtempSync(path.join(os.tmpdir(), 'evolve-perf-service-'));
writeFileSync(path.join(root, 'module.py'), 'def dedupe(xs):\n    return list(dict.fromkeys(xs))\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const { trust, clear: clearTrust } = memoryTrust();
let generated = 0;
let audited = 0;
const service = new PerfService({
  projects: { get: async (id) => ({ id, rootPath: root }) },
  assertTrusted: (id) => trust.assertTrusted(id),
  generate: async () => {
    generated += 1;
    throw new Error('the model is not part of this test');
  },
  audit: async () => {
    audited += 1;
  },
});
const inputs = { source: 'def make_input(n, seed):\n    return (list(range(n)),)\n', sizes: [10, 20, 40] };
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code,
  );

beforeEach(() => {
  clearTrust();
  generated = 0;
  audited = 0;
});

describe('PerfService errors', () => {
  it('refuses an undecided or distrusted project before reading or running anything', async () => {
    expect(await code(service.optimize({ projectId: 'p1', target: 'module.py:dedupe', inputs }))).toBe('FORBIDDEN');
    expect(await code(service.profile({ projectId: 'p1', target: 'module.py:dedupe', inputs }))).toBe('FORBIDDEN');
    await trust.set('p1', false);
    expect(await code(service.optimize({ projectId: 'p1', target: 'module.py:dedupe', inputs }))).toBe('FORBIDDEN');
    expect([generated, audited]).toEqual([0, 0]);
  });

  it('checks the target once trusted', async () => {
    await trust.set('p1', true);
    expect(await code(service.optimize({ projectId: 'p1', target: 'module.py', inputs }))).toBe('INVALID_ARGUMENT');
    expect(await code(service.optimize({ projectId: 'p1', target: 'notes.txt:f', inputs }))).toBe('INVALID_ARGUMENT');
    expect(await code(service.profile({ projectId: 'p1', target: 'gone.py:dedupe', inputs }))).toBe('NOT_FOUND');
    expect(await code(service.profile({ projectId: 'p1', target: 'module.py:nothere', inputs }))).toBe('NOT_FOUND');
    const ac = new AbortController();
    ac.abort();
    expect(await code(service.optimize({ projectId: 'p1', target: 'module.py:dedupe', inputs }, () => undefined, ac.signal))).toBe(
      'CANCELLED',
    );
    expect(generated).toBe(0);
  });
});
