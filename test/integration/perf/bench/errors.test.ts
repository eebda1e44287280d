// The benchmark harness's failure paths on real sandboxed runs: a crash names the version and size, a broken input
// generator or import is a typed error, cancel and the wall-clock budget stop the run, the code's prints change nothing.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../../common/errors';
import type { CodeVersion } from '../../../../common/perf/types';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { benchmark } from '../../../../main/services/perf/bench';
import { PY_INPUTS, PY_SET, TS_INPUTS, TS_SET } from './fixtures';

const support = await sandboxSupport();

async function failure(p: Promise<unknown>): Promise<EvolveError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EvolveError);
    return e as EvolveError;
  }
  throw new Error('expected the benchmark to fail');
}

/** Prints on every call (and at import) and crashes only above 150 elements: the error must name n=200. */
const PY_CRASH_AT_200: CodeVersion = {
  ...PY_SET,
  files: {
    'lib/__init__.py': 'print("noise at import")\n',
    'lib/dedupe.py':
      'def dedupe(xs):\n    print("noise" * 100)\n    if len(xs) > 150:\n        return 1 / 0\n    return list(dict.fromkeys(xs))\n',
  },
};

describe.skipIf(!support.available)('benchmark failure paths (sandboxed)', () => {
  it('names the version and size of a crash, after the code printed freely', async () => {
    const e = await failure(benchmark({ before: PY_SET, after: PY_CRASH_AT_200, inputs: PY_INPUTS, repeats: 3 }, { batchMs: 5 }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/^The after version at n=200 crashed: ZeroDivisionError/);
    expect(e.details).toMatchObject({ version: 'after', n: 200, phase: 'call' });
  });

  it('reports a generator that raises, and a module that does not import', async () => {
    const badGen = await failure(
      benchmark(
        { before: PY_SET, after: PY_SET, inputs: { ...PY_INPUTS, source: 'def make_input(n, seed):\n    raise ValueError("no")\n' } },
        { batchMs: 5 },
      ),
    );
    expect(badGen.code).toBe('INVALID_ARGUMENT');
    expect(badGen.message).toMatch(/^The input generator failed at n=100 \(seed 1\): ValueError: no/);

    const badTs: CodeVersion = {
      ...TS_SET,
      files: { 'src/dedupe.ts': 'import { nope } from "./missing";\nexport class Deduper {\n  run = nope;\n}\n' },
    };
    const badImport = await failure(benchmark({ before: badTs, after: TS_SET, inputs: TS_INPUTS }, { batchMs: 5 }));
    expect(badImport.code).toBe('INVALID_ARGUMENT');
    expect(badImport.message).toMatch(/^The before version at n=200 could not be loaded: .*missing/);

    const noMethod: CodeVersion = { ...TS_SET, files: { 'src/dedupe.ts': 'export class Deduper {}\n' } };
    const missing = await failure(benchmark({ before: TS_SET, after: noMethod, inputs: TS_INPUTS }, { batchMs: 5 }));
    expect(missing.message).toMatch(/^The after version at n=200 could not be loaded: TypeError: Deduper.run is not an exported function/);
  });

  it('stops between repeats when cancelled', async () => {
    const controller = new AbortController();
    let pairs = 0;
    const e = await failure(
      benchmark(
        { before: TS_SET, after: TS_SET, inputs: TS_INPUTS, repeats: 5 },
        {
          batchMs: 5,
          signal: controller.signal,
          onProgress: () => {
            pairs++;
            controller.abort();
          },
        },
      ),
    );
    expect(e.code).toBe('CANCELLED');
    expect(pairs).toBe(1);
  });

  it('gives up with TIMEOUT when the budget runs out (an endless call is killed)', async () => {
    const endless: CodeVersion = {
      ...TS_SET,
      files: { 'src/dedupe.ts': 'export class Deduper {\n  run(xs: number[]): number[] {\n    for (;;) {}\n  }\n}\n' },
    };
    const started = Date.now();
    const e = await failure(benchmark({ before: TS_SET, after: endless, inputs: TS_INPUTS }, { batchMs: 5, budgetMs: 4000 }));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toMatch(/budget/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
