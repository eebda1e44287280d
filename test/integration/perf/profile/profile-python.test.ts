// profileCode for Python against the real sandbox, pyinstrument, cProfile and tracemalloc (the tools venv): a quadratic
// function and a Class.method are profiled with the hot function on top at its file:line; bad input, a hang and
// cancel come back as typed errors (scripts, tests and deep stacks: profile-python-targets.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfileResultSchema } from '../../../../common/perf/types';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { profileCode } from '../../../../main/services/perf/profile';

const support = await sandboxSupport();

// dedup is O(n²) (list membership); norm is linear and called once per element.
const DEDUP = [
  'def norm(x):',
  '    return x % 1000',
  '',
  '',
  'def dedup(xs):',
  '    out = []',
  '    for x in xs:',
  '        y = norm(x)',
  '        if y not in out:',
  '            out.append(y)',
  '    return out',
  '',
].join('\n');
const INPUT =
  'import random\n\n\ndef make_input(n, seed):\n    r = random.Random(seed)\n    return ([r.randrange(10 * n) for _ in range(n)],)\n';
const fnTarget = (files: Record<string, string>, fn = 'dedup', module = 'lib/dedup.py') => ({
  kind: 'function' as const,
  code: { language: 'python' as const, files, module, function: fn },
  input: { source: INPUT, sizes: [100, 1000, 3000] },
  n: 3000,
  calls: 2,
});

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe.skipIf(!support.available)('profileCode (python, real sandbox)', () => {
  it('finds the quadratic function on top with its file:line, exact call counts and the memory peak', async () => {
    const r = await profileCode({ target: fnTarget({ 'lib/dedup.py': DEDUP, 'lib/__init__.py': '' }) });
    expect(ProfileResultSchema.parse(r)).toEqual(r);
    expect(r.profile.tool).toBe('pyinstrument');
    expect(r.hot[0]).toMatchObject({ name: 'dedup', file: 'lib/dedup.py', line: 5, calls: 2 });
    expect(r.hot[0]!.selfPercent).toBeGreaterThan(50);
    expect(r.hot.find((h) => h.name === 'norm')).toMatchObject({ file: 'lib/dedup.py', line: 1, calls: 6000 });
    expect(r.profile.frames).toContainEqual({ name: 'dedup', file: 'lib/dedup.py', line: 5 });
    // the driver and the sandbox's temp dir never show
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/evolve-sbx|\.evolve-perf|make_input|__evolve_input__/);
    expect(r.memory?.tool).toBe('tracemalloc');
    expect(r.memory!.peakBytes).toBeGreaterThan(1000);
    expect(r.memory!.top[0]?.file).toBe('lib/dedup.py');
  }, 60_000);

  it('profiles Class.method on a fresh instance, and names a missing class', async () => {
    const cls =
      'class Store:\n    def __init__(self):\n        self.seen = []\n\n    def add_all(self, xs):\n        for x in xs:\n            if x not in self.seen:\n                self.seen.append(x)\n';
    const r = await profileCode({ target: fnTarget({ 'store.py': cls }, 'Store.add_all', 'store.py'), memory: false });
    expect(r.hot[0]).toMatchObject({ name: 'Store.add_all', file: 'store.py', line: 5, calls: 2 });
    expect(r.profile.frames).toContainEqual({ name: 'Store.add_all', file: 'store.py', line: 5 });
    await expect(profileCode({ target: fnTarget({ 'store.py': cls }, 'Shop.add_all', 'store.py') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('module store.py has no class Shop'),
    });
  }, 60_000);

  it('refuses bad input with typed errors that carry the Python message', async () => {
    await expect(profileCode({ target: fnTarget({ 'lib/dedup.py': DEDUP }, 'nope') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('lib/dedup.py has no function nope'),
    });
    await expect(profileCode({ target: fnTarget({ 'lib/dedup.py': 'import numpyy\n' + DEDUP }) })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/The module does not load: [\s\S]*ModuleNotFoundError: No module named 'numpyy'/),
    });
    await expect(profileCode({ target: fnTarget({ 'lib/dedup.py': 'def dedup(xs):\n    return xs[10**9]\n' }) })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/The code raised an error: [\s\S]*lib\/dedup.py", line 2[\s\S]*IndexError/),
    });
    await expect(profileCode({ target: { ...fnTarget({ 'lib/dedup.py': DEDUP }), module: undefined } as never })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      profileCode({ target: { kind: 'script', language: 'python', files: { 'a.py': 'print(1)\n' }, path: 'b.py' } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('b.py is not one of the files') });
    await expect(
      profileCode({ target: { kind: 'script', language: 'python', files: { 'a.py': 'print(1)\n' }, path: '../etc/passwd' } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      profileCode({
        target: { kind: 'script', language: 'python', files: { 'a.py': 'import sys\nsys.exit(4)\n' }, path: 'a.py' },
        memory: false,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('exited with 4') });
    await expect(
      profileCode({
        target: { kind: 'test', language: 'python', files: { 'test_a.py': 'def test_a():\n    pass\n' }, test: 'test_a.py::test_missing' },
        memory: false,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('The test could not run') });
  }, 90_000);

  it('kills a hang at the wall limit and reports it; cancel stops a run', async () => {
    const hang = { 'lib/dedup.py': 'def dedup(xs):\n    while True:\n        pass\n' };
    const t0 = Date.now();
    await expect(profileCode({ target: fnTarget(hang), wallMs: 2000 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('2000 ms'),
    });
    expect(Date.now() - t0).toBeLessThan(15_000);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1000);
    await expect(profileCode({ target: fnTarget(hang), wallMs: 60_000 }, { signal: ac.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  }, 60_000);

  it('says what is missing when there is no Python tools venv', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-no-tools-'));
    scratch.push(empty);
    await expect(profileCode({ target: fnTarget({ 'lib/dedup.py': DEDUP }) }, { toolsDir: empty })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('No pytest'),
    });
  });
});
