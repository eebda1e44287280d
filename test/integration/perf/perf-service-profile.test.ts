// PerfService.profile (the `perf.profile` call) on a trusted project folder, against the real sandbox and the tools
// venv: FILE:FUNCTION resolved in the project, the function profiled on the user's input generator at its largest
// size, the hot table led by the quadratic function. Trust is the workspace's real rule over an in-memory settings table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../../main/services/codegen/sandbox';
import { PerfService } from '../../../main/services/perf/lab/perf-service';
import { memoryTrust } from '../../support/perf/memory-trust';

const support = await sandboxSupport();
const root = mkdtempSync(path.join(os.tmpdir(), 'evolve-perf-profile-project-'));
writeFileSync(
  path.join(root, 'dedup.py'),
  'def dedup(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n',
);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const { trust } = memoryTrust();

describe.skipIf(!support.available)('PerfService.profile (real sandbox)', () => {
  it('profiles a trusted project function at the largest size', async () => {
    await trust.set('p1', true);
    const service = new PerfService({
      projects: { get: async (id) => ({ id, rootPath: root }) },
      assertTrusted: (id) => trust.assertTrusted(id),
      generate: () => Promise.reject(new Error('profile does not use the model')),
      audit: async () => undefined,
    });
    const r = await service.profile({
      projectId: 'p1',
      target: 'dedup.py:dedup',
      inputs: {
        source:
          'import random\n\n\ndef make_input(n, seed):\n    r = random.Random(seed)\n    return ([r.randrange(n) for _ in range(n)],)\n',
        sizes: [100, 500, 3000],
      },
    });
    expect(r.hot[0]).toMatchObject({ name: 'dedup', file: 'dedup.py' });
    expect(r.hot[0]!.selfPercent).toBeGreaterThan(50);
    expect(r.profile.language).toBe('python');
  }, 120_000);
});
