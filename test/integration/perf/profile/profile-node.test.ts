// profileCode for TypeScript/JavaScript against the real sandbox and node: a quadratic TS function (lines mapped back
// through the source map past erased types), a script and a node:test test; bad input, a hang and cancel are typed errors.
import { describe, expect, it } from 'vitest';
import { ProfileResultSchema } from '../../../../common/perf/types';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { profileCode } from '../../../../main/services/perf/profile';

const support = await sandboxSupport();

// Type-only lines first: transpiling erases them, so a correct line proves the source map is applied.
const DEDUP_TS = [
  'export interface Options {',
  '  limit: number;',
  '}',
  'type Id = number;',
  '',
  'export function dedup(xs: Id[]): Id[] {',
  '  const out: Id[] = [];',
  '  for (const x of xs) {',
  '    if (!out.includes(x % 20000)) out.push(x % 20000);',
  '  }',
  '  return out;',
  '}',
  '',
].join('\n');
const INPUT_TS = [
  'export function makeInput(n: number, seed: number): unknown[] {',
  '  let s = seed + 7;',
  '  const xs: number[] = [];',
  '  for (let i = 0; i < n; i++) {',
  '    s = (s * 1103515245 + 12345) % 2147483648;',
  '    xs.push(s % (10 * n));',
  '  }',
  '  return [xs];',
  '}',
  '',
].join('\n');
const fnTarget = (files: Record<string, string>, fn = 'dedup', module = 'src/dedup.ts') => ({
  kind: 'function' as const,
  code: { language: 'typescript' as const, files, module, function: fn },
  input: { source: INPUT_TS, sizes: [100, 1000, 10000] },
  n: 40000,
  calls: 2,
});

describe.skipIf(!support.available)('profileCode (typescript/javascript, real sandbox)', () => {
  it('finds the quadratic TS function on top with its .ts file:line; the driver and the inspector do not show', async () => {
    const r = await profileCode({ target: fnTarget({ 'src/dedup.ts': DEDUP_TS }) });
    expect(ProfileResultSchema.parse(r)).toEqual(r);
    expect(r.profile.tool).toBe('cpu-prof');
    expect(r.hot[0]).toMatchObject({ name: 'dedup', file: 'src/dedup.ts', line: 6 });
    expect(r.hot[0]!.selfPercent).toBeGreaterThan(50);
    expect(r.hot[0]!.calls).toBeUndefined(); // sampling: no call counts
    expect(JSON.stringify(r)).not.toMatch(/evolve-sbx|\.evolve-perf|makeInput|node:inspector/);
    expect(r.memory?.tool).toBe('v8-heap');
    expect(r.memory?.top[0]).toMatchObject({ file: 'src/dedup.ts', line: 6 });
  }, 60_000);

  it('measures the heap peak of a function that holds a lot at once, and names it as the allocating site', async () => {
    const big = [
      'type Row = { id: number; label: string };',
      '',
      'export function dedup(xs: number[]): number {',
      '  const rows: Row[] = xs.map((x, i) => ({ id: i, label: `row-${x}-${i}` }));',
      '  return rows.length;',
      '}',
      '',
    ].join('\n');
    const r = await profileCode({ target: { ...fnTarget({ 'src/dedup.ts': big }), n: 200_000, calls: 1 } });
    // 200k objects with a fresh string each: well over 8 MB are alive at once at the end of the call
    expect(r.memory!.peakBytes).toBeGreaterThan(8 * 1024 ** 2);
    expect(r.memory!.peakBytes).toBeLessThan(200 * 1024 ** 2);
    // the site is the function that allocates: the map callback on line 4 (V8 samples by function, not by line)
    expect(r.memory!.top[0]).toMatchObject({ file: 'src/dedup.ts', line: 4 });
  }, 60_000);

  it('profiles Class.method on a fresh instance', async () => {
    const cls =
      'export class Store {\n  private seen: number[] = [];\n\n  addAll(xs: number[]): number {\n    for (const x of xs) if (!this.seen.includes(x % 20000)) this.seen.push(x % 20000);\n    return this.seen.length;\n  }\n}\n';
    const r = await profileCode({ target: fnTarget({ 'store.ts': cls }, 'Store.addAll', 'store.ts'), memory: false });
    expect(r.hot[0]).toMatchObject({ name: 'addAll', file: 'store.ts', line: 4 });
  }, 60_000);

  it('profiles a JS script with arguments and one node:test test by file::name', async () => {
    const lib =
      'export function pairs(n) {\n  const out = [];\n  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a < b) out.push(a * b);\n  return out.length;\n}\n';
    const s = await profileCode({
      target: {
        kind: 'script',
        language: 'javascript',
        files: { 'lib.mjs': lib, 'main.mjs': "import { pairs } from './lib.mjs';\nconsole.log(pairs(Number(process.argv[2])));\n" },
        path: 'main.mjs',
        args: ['2500'],
      },
    });
    expect(s.hot[0]).toMatchObject({ name: 'pairs', file: 'lib.mjs', line: 1 });
    // ~3 million numbers pushed: the whole-process heap peak and its allocating function
    expect(s.memory!.peakBytes).toBeGreaterThan(4 * 1024 ** 2);
    expect(s.memory!.top[0]).toMatchObject({ file: 'lib.mjs', line: 1 });

    const test = [
      "import { test } from 'node:test';",
      "import assert from 'node:assert';",
      "import { dedup } from '../src/dedup';",
      '',
      "test('big', () => {",
      '  const xs = Array.from({ length: 50000 }, (_, i) => i);',
      '  assert.strictEqual(dedup(xs).length, 2000);',
      '});',
      '',
      "test('other', () => {",
      '  assert.ok(true);',
      '});',
      '',
    ].join('\n');
    const t = await profileCode({
      target: {
        kind: 'test',
        language: 'typescript',
        files: { 'src/dedup.ts': DEDUP_TS, 'test/d.test.ts': test },
        test: 'test/d.test.ts::big',
      },
    });
    expect(t.hot[0]).toMatchObject({ name: 'dedup', file: 'src/dedup.ts', line: 6 });
  }, 60_000);

  it('refuses bad input with typed errors that carry the node message', async () => {
    await expect(profileCode({ target: fnTarget({ 'src/dedup.ts': DEDUP_TS }, 'nope') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('src/dedup.ts exports no function nope'),
    });
    await expect(profileCode({ target: fnTarget({ 'src/dedup.ts': 'export function dedup(xs: number[] {\n' }) })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('src/dedup.ts:1'),
    });
    await expect(
      profileCode({ target: fnTarget({ 'src/dedup.ts': "import { pad } from 'left-padd';\nexport const p = pad;\n" + DEDUP_TS }) }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/The module does not load: [\s\S]*left-padd/) });
    await expect(
      profileCode({
        target: fnTarget({ 'src/dedup.ts': 'export function dedup(xs: number[]): number {\n  throw new RangeError("too big");\n}\n' }),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/The code raised an error: RangeError: too big/) });
    await expect(
      profileCode({ target: { kind: 'script', language: 'javascript', files: { 'a.mjs': 'process.exit(5);\n' }, path: 'a.mjs' } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('exit code 5') });
    await expect(
      profileCode({ target: { kind: 'test', language: 'javascript', files: { 'a.mjs': '1\n' }, test: 'b.test.mjs' } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('b.test.mjs is not one of the files') });
  }, 60_000);

  it('kills a hang at the wall limit; cancel stops a run', async () => {
    const hang = { 'src/dedup.ts': 'export function dedup(xs: number[]): number[] {\n  for (;;) {}\n}\n' };
    await expect(profileCode({ target: fnTarget(hang), wallMs: 2000 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 800);
    await expect(profileCode({ target: fnTarget(hang) }, { signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(profileCode({ target: fnTarget(hang) }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'CANCELLED' });
  }, 60_000);
});
