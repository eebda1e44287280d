// proveEquivalent for Python against the real sandbox, Hypothesis and coverage.py (the tools venv): an equivalent
// rewrite with the old function's coverage, rewrites that differ by result / mutation / exception type, a version that
// does not load, the project's tests on the new version, a hang at the wall limit, and cancel.
import { describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { proveEquivalent } from '../../../../main/services/perf/equivalence';
import type { CodeVersion } from '../../../../common/perf/types';

const support = await sandboxSupport();
const version = (code: string, fn = 'dedupe', extra: Record<string, string> = {}): CodeVersion => ({
  language: 'python',
  files: { 'pkg/dedupe.py': code, ...extra },
  module: 'pkg/dedupe.py',
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
const FAST = { inputs: GEN, maxExamples: 40 };

describe.skipIf(!support.available)('proveEquivalent (python, real sandbox + Hypothesis + coverage.py)', () => {
  it('proves quadratic dedupe ≡ dict.fromkeys, with generator and type-hint inputs, and full branch coverage', async () => {
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(FROMKEYS), ...FAST });
    expect(r).toMatchObject({ status: 'equivalent', tool: 'hypothesis' });
    expect(r.counterexample).toBeUndefined();
    // 40 from (n, seed) through make_input, 40 from st.from_type(list[int]).
    expect(r.examples).toBe(80);
    expect(r.message).toContain('type-hint inputs used');
    expect(r.message).toContain('floats equal within rel 1e-9 / abs 1e-12');
    // for → if / for → return, if → append / if → for: the 4 arcs of the body; its 5 statements.
    expect(r.coverage).toEqual({ branches: { covered: 4, total: 4, percent: 100 }, lines: { covered: 5, total: 5, percent: 100 } });
    const generatorOnly = await proveEquivalent({ before: version(QUADRATIC), after: version(FROMKEYS), ...FAST, typeHintInputs: false });
    expect(generatorOnly).toMatchObject({
      status: 'equivalent',
      examples: 40,
      message: expect.stringContaining('type-hint inputs off (request)'),
    });
  }, 40_000);

  it('finds an off-by-one rewrite and reports the counterexample Hypothesis shrank to', async () => {
    const off = `def dedupe(xs: list[int]) -> list[int]:\n    return list(dict.fromkeys(xs))[:-1]\n`;
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(off), ...FAST });
    expect(r.status).toBe('different');
    expect(r.counterexample).toEqual({ input: 'make_input(n=1, seed=0) = ([0],)', before: 'returns [0]', after: 'returns []' });
  }, 40_000);

  it('calls a rewrite that mutates its argument different, showing the argument after each call', async () => {
    const mutating = `def dedupe(xs: list[int]) -> list[int]:\n    out = list(dict.fromkeys(xs))\n    xs.sort()\n    return out\n`;
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(mutating), ...FAST });
    expect(r.status).toBe('different');
    // The smallest input through make_input whose list is not already sorted; the new version left it sorted.
    const list = (s?: string): number[] => JSON.parse(/^argument 0 after the call: (\[.*\])$/.exec(s ?? '')?.[1] ?? 'null') as number[];
    const before = list(r.counterexample?.before);
    expect(before).not.toEqual([...before].sort());
    expect(list(r.counterexample?.after)).toEqual([...before].sort());
    expect(r.counterexample?.input).toContain(`= (${JSON.stringify(before).replaceAll(',', ', ')},)`);
  }, 40_000);

  it('calls a rewrite that raises a different exception type different, and measures only the old function’s lines', async () => {
    // An uncalled helper in the same module must not count against the old function's coverage.
    const before = `def helper(x):\n    return x * 2\n\n\ndef first(xs):\n    if not xs:\n        raise ValueError("empty")\n    return xs[0]\n`;
    const after = `def helper(x):\n    return x * 2\n\n\ndef first(xs):\n    return xs[0]\n`;
    const r = await proveEquivalent({ before: version(before, 'first'), after: version(after, 'first'), ...FAST });
    expect(r.status).toBe('different');
    expect(r.counterexample).toEqual({
      input: 'make_input(n=0, seed=0) = ([],)',
      before: 'raises ValueError: empty',
      after: 'raises IndexError: list index out of range',
    });
    expect(r.coverage?.lines).toEqual({ covered: 3, total: 3, percent: 100 });
    expect(r.coverage?.branches).toEqual({ covered: 2, total: 2, percent: 100 });
  }, 40_000);

  it('reports the branches the generated inputs never reach (a Class.method, no type hints)', async () => {
    const code = `class Stats:\n    def clamp(self, xs):\n        out = []\n        for x in xs:\n            if x < 0:\n                out.append(0)\n            else:\n                out.append(x)\n        return out\n`;
    const r = await proveEquivalent({ before: version(code, 'Stats.clamp'), after: version(code, 'Stats.clamp'), ...FAST });
    expect(r.status).toBe('equivalent');
    expect(r.message).toContain('type-hint inputs not used: parameter xs has no type hint');
    // make_input never yields a negative number: the if → append(0) arc is missed, the append(0) line too.
    expect(r.coverage?.branches).toEqual({ covered: 3, total: 4, percent: 75 });
    expect(r.coverage?.lines).toEqual({ covered: 5, total: 6, percent: 83.3 });
  }, 40_000);

  it('compares generators by what they yield (and measures the old one while it is consumed)', async () => {
    const before = `def evens(xs):\n    for x in xs:\n        if x % 2 == 0:\n            yield x\n`;
    const same = `def evens(xs):\n    return (x for x in xs if x % 2 == 0)\n`;
    const r = await proveEquivalent({ before: version(before, 'evens'), after: version(same, 'evens'), ...FAST });
    expect(r.status).toBe('equivalent');
    expect(r.coverage?.lines).toEqual({ covered: 3, total: 3, percent: 100 });
    const asList = await proveEquivalent({
      before: version(before, 'evens'),
      after: version(`def evens(xs):\n    return [x for x in xs if x % 2 == 0]\n`, 'evens'),
      ...FAST,
    });
    expect(asList.status).toBe('different');
    expect(asList.counterexample).toMatchObject({ before: 'returns an iterator yielding []', after: 'returns []' });
  }, 40_000);

  it('gives each version its own make_input result when the arguments cannot be deep-copied (a sqlite3 connection)', async () => {
    const gen = {
      source: `import random\nimport sqlite3\n\ndef make_input(n, seed):\n    conn = sqlite3.connect(":memory:")\n    conn.execute("create table t (id integer primary key, v integer)")\n    rnd = random.Random(seed)\n    conn.executemany("insert into t values (?, ?)", [(i, rnd.randrange(100)) for i in range(n)])\n    return (conn, list(range(0, n, 2)))\n`,
      sizes: [10, 100, 1000],
    };
    const perRow = `def total(conn, ids):\n    s = 0\n    for i in ids:\n        s += conn.execute("select v from t where id = ?", (i,)).fetchone()[0]\n    return s\n`;
    const oneQuery = `def total(conn, ids):\n    if not ids:\n        return 0\n    marks = ",".join("?" * len(ids))\n    return conn.execute(f"select coalesce(sum(v), 0) from t where id in ({marks})", ids).fetchone()[0]\n`;
    const r = await proveEquivalent({ before: version(perRow, 'total'), after: version(oneQuery, 'total'), inputs: gen, maxExamples: 25 });
    expect(r.status).toBe('equivalent');
    const off = await proveEquivalent({
      before: version(perRow, 'total'),
      after: version(oneQuery.replace('sum(v)', 'sum(v) + 1'), 'total'),
      inputs: gen,
      maxExamples: 25,
    });
    expect(off.status).toBe('different');
    expect(off.counterexample?.input).toMatch(/^make_input\(n=1, seed=0\) = \(<sqlite3\.Connection object at 0x[0-9a-f]+>, \[0\]\)$/);
  }, 40_000);

  it('is not derailed by a version that prints megabytes (its output goes nowhere, the report still arrives)', async () => {
    const noisy = `import sys\n\ndef dedupe(xs: list[int]) -> list[int]:\n    print("x" * 200_000, sys.argv)\n    return list(dict.fromkeys(xs))\n`;
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(noisy), inputs: GEN, maxExamples: 10 });
    expect(r.status).toBe('equivalent');
  }, 40_000);

  it("is 'error' with the message when a version does not load, never 'different'", async () => {
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version('def dedupe(xs):\n    return [\n'), ...FAST });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^The after version does not load: .*SyntaxError/s);
    const missing = await proveEquivalent({
      before: version(QUADRATIC),
      after: version(FROMKEYS, 'dedupe', {}),
      inputs: { ...GEN, source: 'def nope():\n    pass\n' },
    });
    expect(missing.status).toBe('error');
    expect(missing.message).toContain('The input generator does not load');
  }, 40_000);

  it("runs the project's tests on the new version and names the failing one", async () => {
    const helperBefore = `${QUADRATIC}\n\ndef count(xs):\n    return len(xs)\n`;
    const helperAfter = `${FROMKEYS}\n\ndef count(xs):\n    return len(xs) + 1\n`;
    const tests = {
      files: [
        {
          path: 'test_pkg.py',
          content:
            'from pkg.dedupe import count, dedupe\n\ndef test_dedupe():\n    assert dedupe([1, 1]) == [1]\n\ndef test_count():\n    assert count([1]) == 1\n',
        },
      ],
    };
    const bad = await proveEquivalent({ before: version(helperBefore), after: version(helperAfter), projectTests: tests, ...FAST });
    expect(bad.status).toBe('different');
    expect(bad.message).toContain('project test failed on the new version: test_pkg.py::test_count');
    expect(bad.coverage?.branches.percent).toBe(100);
    // The passing case (and its message) is covered by the node test file: one pytest run here keeps this file fast.
  }, 40_000);

  it('kills a version that hangs at the wall limit (error, not different) and stops on cancel', async () => {
    const hang = `def dedupe(xs):\n    while True:\n        pass\n`;
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(hang), ...FAST, wallMs: 3000 });
    expect(r.status).toBe('error');
    expect(r.message).toContain('did not finish within 3 s');
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 500);
    await expect(
      proveEquivalent({ before: version(QUADRATIC), after: version(hang), ...FAST }, { signal: ctl.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  }, 40_000);
});
