// The benchmark harness refuses bad requests with typed errors before any process starts (no sandbox needed here).
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../../common/errors';
import type { CodeVersion, InputGenerator } from '../../../../common/perf/types';
import { benchmark } from '../../../../main/services/perf/bench';
import { pythonModuleName } from '../../../../main/services/perf/bench/python-driver';

const ts: CodeVersion = {
  language: 'typescript',
  module: 'a.ts',
  function: 'f',
  files: { 'a.ts': 'export function f(xs: number[]): number { return xs.length; }\n' },
};
const inputs: InputGenerator = { source: 'export function makeInput(n: number) { return [Array(n).fill(0)]; }\n', sizes: [1, 2, 3] };

async function failure(p: Promise<unknown>): Promise<EvolveError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EvolveError);
    return e as EvolveError;
  }
  throw new Error('expected the benchmark to fail');
}

describe('benchmark request checks', () => {
  it('rejects mixed languages, too few sizes or repeats, a threshold below 1', async () => {
    const py: CodeVersion = { language: 'python', module: 'a.py', function: 'f', files: { 'a.py': 'def f(x): pass\n' } };
    const cases: [unknown, RegExp][] = [
      [{ before: ts, after: py, inputs }, /same language/],
      [{ before: ts, after: ts, inputs: { ...inputs, sizes: [1, 2] } }, /inputs\.sizes/],
      [{ before: ts, after: ts, inputs, repeats: 2 }, /repeats/],
      [{ before: ts, after: ts, inputs, threshold: 0.9 }, /threshold/],
      [{ before: { ...ts, module: '../a.ts' }, after: ts, inputs }, /before\.module/],
    ];
    for (const [req, why] of cases) {
      const e = await failure(benchmark(req as Parameters<typeof benchmark>[0]));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toMatch(why);
    }
  });

  it('rejects bad options and an already aborted signal', async () => {
    const req = { before: ts, after: ts, inputs };
    expect((await failure(benchmark(req, { batchMs: 0 }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(benchmark(req, { values: 0 }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(benchmark(req, { clock: 'gpu' as 'cpu' }))).message).toMatch(/clock/);
    expect((await failure(benchmark(req, { signal: AbortSignal.abort() }))).code).toBe('CANCELLED');
  });

  it('names a module missing from the files and a TypeScript syntax error', async () => {
    const missing = await failure(benchmark({ before: ts, after: { ...ts, module: 'b.ts' }, inputs }));
    expect(missing.message).toBe('The after version has no file b.ts (its module)');
    const broken = await failure(benchmark({ before: { ...ts, files: { 'a.ts': 'export function f( {' } }, after: ts, inputs }));
    expect(broken.code).toBe('INVALID_ARGUMENT');
    expect(broken.message).toMatch(/^The before version's a\.ts does not parse:\na\.ts:1:/);
  });

  it('says pyperf is missing, with the setup command, when the tools venv lacks it', async () => {
    const py: CodeVersion = { language: 'python', module: 'a.py', function: 'f', files: { 'a.py': 'def f(x): pass\n' } };
    const e = await failure(
      benchmark(
        { before: py, after: py, inputs: { source: 'def make_input(n, seed): return (n,)\n', sizes: [1, 2, 3] } },
        { toolsDir: '/nonexistent/evolve-tools/py' },
      ),
    );
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toMatch(/pyperf is not installed .*setup_python_tools/);
  });

  it('maps Python module paths to importable names', () => {
    expect(pythonModuleName('lib/dedupe.py')).toBe('lib.dedupe');
    expect(pythonModuleName('pkg/__init__.py')).toBe('pkg');
    expect(pythonModuleName('my-mod.py')).toBeUndefined();
    expect(pythonModuleName('mod.ts')).toBeUndefined();
  });
});
