// The call sites the performance lab shows the model come from the project index: ProjectService.referencesTo reads
// the reference tags the index worker stored (definitions excluded), and callSites turns them into "file:line code",
// tests left out (they reach the model as tests), long lines cut, at most MAX_CALL_SITES.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calledName, callSites, MAX_CALL_SITES } from '../../../../main/services/perf/lab/call-sites';
import { makeHarness, type Harness } from '../../projects/harness';

const root = mkdtempSync(path.join(os.tmpdir(), 'evolve-call-sites-'));
const files: Record<string, string> = {
  'lib.py': 'def dedupe(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n',
  'app.py': `from lib import dedupe\n\n\ndef mailing(rows):\n    return dedupe([r.email for r in rows])\n\n\nX = dedupe([1, 1, ${'2, '.repeat(120)}3])\n`,
  'test_lib.py': 'from lib import dedupe\n\n\ndef test_keeps_order():\n    assert dedupe([2, 1, 2]) == [2, 1]\n',
};
for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(root, rel), text);

let h: Harness;
let projectId = '';
beforeAll(async () => {
  h = await makeHarness({ vectors: false, watch: false });
  projectId = (await h.service.add({ path: root })).id;
  await h.service.index(projectId);
}, 120_000);
afterAll(async () => {
  await h?.close();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('call sites from the project index', () => {
  it('finds where the function is called, not where it is defined', async () => {
    const refs = await h.service.referencesTo(projectId, 'dedupe');
    expect(refs).toEqual([
      { rel: 'app.py', line: 5 },
      { rel: 'app.py', line: 8 },
      { rel: 'test_lib.py', line: 5 },
    ]);
    expect(await h.service.referencesTo(projectId, 'nothing_calls_this')).toEqual([]);
  }, 60_000);

  it('shows them as file:line code, tests left out and long lines cut', async () => {
    const sites = await callSites(root, await h.service.referencesTo(projectId, 'dedupe'));
    expect(sites).toHaveLength(2);
    expect(sites[0]).toBe('app.py:5 return dedupe([r.email for r in rows])');
    expect(sites[1]).toMatch(/^app\.py:8 X = dedupe\(\[1, 1, 2, .*…$/);
    expect(sites[1]!.length).toBeLessThan(230);
    // A reference to a line that no longer exists (the index is behind an edit) is skipped, not shown empty.
    expect(
      await callSites(root, [
        { rel: 'app.py', line: 99 },
        { rel: 'gone.py', line: 1 },
      ]),
    ).toEqual([]);
    const many = Array.from({ length: 20 }, () => ({ rel: 'app.py', line: 5 }));
    expect(await callSites(root, many)).toHaveLength(MAX_CALL_SITES);
  });

  it('looks a method up by its own name', () => {
    expect(calledName('Store.add_all')).toBe('add_all');
    expect(calledName('dedupe')).toBe('dedupe');
  });
});
