// proveEquivalent for TypeScript/JavaScript against the real sandbox and fast-check (the app's copy, mounted
// read-only): an equivalent rewrite with V8 branch coverage of the old function, rewrites that differ by result /
// mutation / error type, a version that does not load, and the project's tests (node --test) on the new version.
import { describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { proveEquivalent } from '../../../../main/services/perf/equivalence';
import type { CodeVersion } from '../../../../common/perf/types';

const support = await sandboxSupport();
const version = (code: string, fn = 'dedupe', language: 'typescript' | 'javascript' = 'typescript'): CodeVersion => {
  const module = language === 'typescript' ? 'src/dedupe.ts' : 'src/dedupe.js';
  return { language, files: { [module]: code }, module, function: fn };
};

const QUADRATIC = `export function dedupe(xs: number[]): number[] {
  const out: number[] = [];
  for (const x of xs) {
    if (!out.includes(x)) out.push(x);
  }
  return out;
}
`;
const WITH_SET = `export function dedupe(xs: number[]): number[] {
  return [...new Set(xs)];
}
`;
const GEN = {
  source: `export function makeInput(n: number, seed: number): unknown[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % Math.max(1, n >> 1));
  return [Array.from({ length: n }, next)];
}
`,
  sizes: [8, 100, 1000],
};
const FAST = { inputs: GEN, maxExamples: 40 };

describe.skipIf(!support.available)('proveEquivalent (typescript, real sandbox + fast-check + V8 coverage)', () => {
  it('proves quadratic dedupe ≡ Set and reports the old function’s branch and line coverage', async () => {
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(WITH_SET), ...FAST });
    expect(r).toMatchObject({ status: 'equivalent', tool: 'fast-check', examples: 40 });
    expect(r.counterexample).toBeUndefined();
    // The if's then-arm and its implicit else; const, for, if, push, return.
    expect(r.coverage).toEqual({ branches: { covered: 2, total: 2, percent: 100 }, lines: { covered: 5, total: 5, percent: 100 } });
  }, 40_000);

  it('finds an off-by-one rewrite and reports the counterexample fast-check shrank to', async () => {
    const off = `export function dedupe(xs: number[]): number[] {\n  return [...new Set(xs)].slice(1);\n}\n`;
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(off), ...FAST });
    expect(r.status).toBe('different');
    expect(r.counterexample).toEqual({ input: 'makeInput(n=1, seed=0) = [ [ 0 ] ]', before: 'returns [ 0 ]', after: 'returns []' });
  }, 40_000);

  it('calls a rewrite that mutates its argument different', async () => {
    const mutating = `export function dedupe(xs: number[]): number[] {\n  const out = [...new Set(xs)];\n  xs.length = 0;\n  return out;\n}\n`;
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(mutating), ...FAST });
    expect(r.status).toBe('different');
    expect(r.counterexample).toEqual({
      input: 'makeInput(n=1, seed=0) = [ [ 0 ] ]',
      before: 'argument 0 after the call: [ 0 ]',
      after: 'argument 0 after the call: []',
    });
  }, 40_000);

  it('calls a rewrite that throws another error type different; partial coverage of a ternary shows', async () => {
    const before = `export class Picker {\n  first(xs) {\n    if (xs.length === 0) throw new RangeError('empty');\n    return xs[0] > 1000 ? -1 : xs[0];\n  }\n}\n`;
    const after = `export class Picker {\n  first(xs) {\n    if (xs.length === 0) throw new TypeError('empty');\n    return xs[0] > 1000 ? -1 : xs[0];\n  }\n}\n`;
    const js = { ...GEN, source: GEN.source.replace('(n: number, seed: number): unknown[]', '(n, seed)') };
    const r = await proveEquivalent({
      before: version(before, 'Picker.first', 'javascript'),
      after: version(after, 'Picker.first', 'javascript'),
      inputs: js,
      maxExamples: 40,
    });
    expect(r.status).toBe('different');
    expect(r.counterexample).toEqual({
      input: 'makeInput(n=0, seed=0) = [ [] ]',
      before: 'throws RangeError: empty',
      after: 'throws TypeError: empty',
    });
    // if: both arms run; ternary: the `-1` arm never (inputs stay below n/2).
    expect(r.coverage?.branches).toEqual({ covered: 3, total: 4, percent: 75 });
    expect(r.coverage?.lines).toEqual({ covered: 2, total: 2, percent: 100 }); // the if (with its throw) and the return
  }, 40_000);

  it('compares iterators by what they yield, and awaits async versions', async () => {
    const before = `export function* evens(xs: number[]) {\n  for (const x of xs) if (x % 2 === 0) yield x;\n}\n`;
    const after = `export async function evens(xs: number[]) {\n  return xs.filter((x) => x % 2 === 0).values();\n}\n`;
    const r = await proveEquivalent({ before: version(before, 'evens'), after: version(after, 'evens'), ...FAST });
    expect(r.status).toBe('equivalent');
    const asArray = await proveEquivalent({
      before: version(before, 'evens'),
      after: version(`export const evens = (xs: number[]) => xs.filter((x) => x % 2 === 0);\n`, 'evens'),
      ...FAST,
    });
    expect(asArray).toMatchObject({ status: 'different', counterexample: { before: 'returns { iterator: [] }', after: 'returns []' } });
  }, 40_000);

  it('takes a generator whose inputs hold closures (a fake repository) as deterministic', async () => {
    const gen = {
      source: `export function makeInput(n: number, seed: number): unknown[] {\n  const rows = Array.from({ length: n }, (_, i) => ({ id: i, v: (i * 7 + seed) % 13 }));\n  return [rows.map((r) => r.id), { get: (id: number) => rows.find((r) => r.id === id), getMany: (ids: number[]) => rows.filter((r) => ids.includes(r.id)) }];\n}\n`,
      sizes: [8, 100, 1000],
    };
    const perRow = `export function total(ids: number[], repo: any): number {\n  let s = 0;\n  for (const id of ids) s += repo.get(id).v;\n  return s;\n}\n`;
    const batched = `export function total(ids: number[], repo: any): number {\n  return repo.getMany(ids).reduce((s: number, r: any) => s + r.v, 0);\n}\n`;
    const r = await proveEquivalent({ before: version(perRow, 'total'), after: version(batched, 'total'), inputs: gen, maxExamples: 25 });
    expect(r.status).toBe('equivalent');
  }, 40_000);

  it('is not derailed by a version that prints megabytes (its output goes nowhere, the report still arrives)', async () => {
    const noisy = `export function dedupe(xs: number[]): number[] {\n  console.log('x'.repeat(200_000), process.argv);\n  return [...new Set(xs)];\n}\n`;
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(noisy), inputs: GEN, maxExamples: 20 });
    expect(r.status).toBe('equivalent');
  }, 40_000);

  it("is 'error' when a version does not load (syntax error, or a throw at import), never 'different'", async () => {
    const syntax = await proveEquivalent({
      before: version(QUADRATIC),
      after: version('export function dedupe(xs: number[] {\n'),
      ...FAST,
    });
    expect(syntax.status).toBe('error');
    expect(syntax.message).toMatch(/^The after version does not load: after\/src\/dedupe\.ts:1:\d+ - error TS/);
    const throwing = await proveEquivalent({
      before: version(`throw new Error('boom at import');\n${QUADRATIC}`),
      after: version(WITH_SET),
      ...FAST,
    });
    expect(throwing.status).toBe('error');
    expect(throwing.message).toContain('The before version does not load: Error: boom at import');
    const notExported = await proveEquivalent({ before: version(QUADRATIC), after: version(WITH_SET.replace('export ', '')), ...FAST });
    expect(notExported).toMatchObject({ status: 'error', message: expect.stringContaining('dedupe is not an exported function') });
  }, 40_000);

  it('kills a version that hangs at the wall limit (error, not different) and stops on cancel', async () => {
    const hang = `export function dedupe(xs: number[]): number[] {\n  for (;;) {}\n}\n`;
    const r = await proveEquivalent({ before: version(QUADRATIC), after: version(hang), ...FAST, wallMs: 3000 });
    expect(r).toMatchObject({ status: 'error', message: expect.stringContaining('did not finish within 3 s') });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 500);
    await expect(
      proveEquivalent({ before: version(QUADRATIC), after: version(hang), ...FAST }, { signal: ctl.signal }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  }, 40_000);

  it("runs the project's tests on the new version and names the failing one", async () => {
    const tests = {
      files: [
        {
          path: 'test/dedupe.test.ts',
          content: `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { dedupe } from '../src/dedupe';\n\ntest('keeps first occurrences in order', () => {\n  assert.deepEqual(dedupe([2, 1, 2]), [2, 1]);\n});\n\ntest('empty stays empty', () => {\n  assert.equal(dedupe([]).length, 0);\n});\n`,
        },
      ],
    };
    const good = await proveEquivalent({ before: version(QUADRATIC), after: version(WITH_SET), projectTests: tests, ...FAST });
    expect(good.status).toBe('equivalent');
    expect(good.message).toContain('project tests passed on the new version (2, node --test');
    // The tests see what the generator cannot: a fixed [2, 1, 2]. The new version sorts, so its order is wrong.
    const sorted = await proveEquivalent({
      before: version(QUADRATIC),
      after: version(
        `export function dedupe(xs: number[]): number[] {\n  return xs.length > 2 ? [...new Set(xs)].sort((a, b) => a - b) : [...new Set(xs)];\n}\n`,
      ),
      inputs: { ...GEN, source: GEN.source.replace('Math.max(1, n >> 1)', '1') },
      maxExamples: 20,
      projectTests: tests,
    });
    expect(sorted.status).toBe('different');
    expect(sorted.message).toContain('project test failed on the new version: test/dedupe.test.ts::keeps first occurrences in order');
  }, 40_000);
});
