// The pure coverage parts of the equivalence proof: coverage.py's report restricted to the old function's body, and V8
// block ranges mapped to the branch arms and statements of one function (synthetic ranges, and the real V8's).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { pythonCoverageFigures } from '../../../../main/services/perf/equivalence/python-coverage';
import { countAt, findFunction, v8CoverageFigures, type V8Ranges } from '../../../../main/services/perf/equivalence/v8-coverage';
import { figure } from '../../../../main/services/perf/equivalence/coverage-figures';

describe('pythonCoverageFigures', () => {
  it('counts only lines and branches whose line is inside the function body', () => {
    const f = pythonCoverageFigures({
      range: [5, 9],
      executedLines: [1, 2, 5, 6, 8, 12],
      missingLines: [4, 7, 13],
      // Arcs out of line 6 (inside) count, out of 12 (another function) do not; exits (-4) are arcs too.
      executedBranches: [
        [6, 7],
        [8, -4],
        [12, 13],
      ],
      missingBranches: [
        [6, 8],
        [12, 14],
        [3, 5],
      ],
    });
    expect(f.lines).toEqual({ covered: 3, total: 4, percent: 75 });
    expect(f.branches).toEqual({ covered: 2, total: 3, percent: 66.7 });
  });

  it('a body without branches is fully branch-covered, an unreached one is 0 %', () => {
    const f = pythonCoverageFigures({ range: [2, 2], executedLines: [], missingLines: [2], executedBranches: [], missingBranches: [] });
    expect(f).toEqual({ branches: figure(0, 0), lines: { covered: 0, total: 1, percent: 0 } });
    expect(figure(0, 0).percent).toBe(100);
  });
});

const parse = (code: string): ts.SourceFile => ts.createSourceFile('m.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);

describe('findFunction', () => {
  const src = parse(
    [
      'export function a() { return 1; }',
      'const b = (x) => x + 1;',
      'export const c = function () { return 3; };',
      'class K { m() { return 4; } get g() { return 5; } }',
      'exports.d = function () { return 6; };',
      'function inner() { function hidden() {} }',
    ].join('\n'),
  );
  it('finds declarations, const arrow/function expressions, class methods and exports.x = at the top level', () => {
    for (const name of ['a', 'b', 'c', 'K.m', 'd']) expect(findFunction(src, name), name).toBeDefined();
    expect(findFunction(src, 'K.m')?.getText(src)).toBe('m() { return 4; }');
  });
  it('does not find nested functions, getters or missing names', () => {
    for (const name of ['hidden', 'K.g', 'K.nope', 'Nope.m', 'zzz']) expect(findFunction(src, name), name).toBeUndefined();
  });
});

describe('countAt', () => {
  it('takes the innermost range containing the offset (V8 drops blocks equal to their parent)', () => {
    const ranges: V8Ranges = [
      [0, 100, 1],
      [10, 90, 5],
      [20, 30, 0],
    ];
    expect(countAt(ranges, 5)).toBe(1);
    expect(countAt(ranges, 15)).toBe(5);
    expect(countAt(ranges, 25)).toBe(0);
    expect(countAt(ranges, 30)).toBe(5); // end offsets are exclusive
    expect(countAt(ranges, 200)).toBe(0);
  });
});

describe('v8CoverageFigures', () => {
  const code = [
    'function other(x) { return x ? 1 : 2; }',
    'export function f(xs, k) {',
    '  let n = 0;',
    '  for (const x of xs) {',
    '    if (x > k) n++;',
    '    n += x > 0 ? 1 : 2;',
    '    const z = x && k;',
    '  }',
    '  return n;',
    '}',
    '',
  ].join('\n');
  const fStart = code.indexOf('function f');
  const at = (needle: string): number => code.indexOf(needle, fStart); // offsets inside f (other has a ternary too)
  const fEnd = code.lastIndexOf('}') + 1;

  it('maps synthetic ranges to if (with its implicit else), ternary and && arms, inside the function only', () => {
    const ranges: V8Ranges = [
      [0, code.length, 1],
      [0, code.indexOf('export'), 0], // `other` never ran: its ternary must not count
      [fStart, fEnd, 2],
      [at('{\n    if'), at('  }\n  return'), 6], // loop body ran 6 times
      [at('n++'), at('n++') + 4, 6], // then-arm every time: the implicit else never ran
      [at(': 2;'), at(': 2;') + 3, 0], // the ternary's false arm never ran
    ];
    const figs = v8CoverageFigures(code, 'm.js', 'f', ranges);
    // if: then 6, else 0; ternary: 6, 0; &&: right 6 (parent's count), short-circuit 0.
    expect(figs?.branches).toEqual({ covered: 3, total: 6, percent: 50 });
    // let, for, if, n++, n +=, const, return: 7 statements on 6 lines, all run.
    expect(figs?.lines).toEqual({ covered: 6, total: 6, percent: 100 });
    expect(v8CoverageFigures(code, 'm.js', 'missing', ranges)).toBeUndefined();
  });

  it('agrees with the real V8 block coverage of this node', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-v8cov-'));
    try {
      fs.writeFileSync(path.join(dir, 'm.mjs'), code);
      const script = `import { Session } from 'node:inspector/promises';
const s = new Session(); s.connect();
await s.post('Profiler.enable');
await s.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
const m = await import('./m.mjs');
m.f([1, 2, 0], 1); m.f([5], 1);
const r = await s.post('Profiler.takePreciseCoverage');
const sc = r.result.find((x) => x.url.endsWith('/m.mjs'));
console.log(JSON.stringify(sc.functions.flatMap((fn) => fn.ranges.map((g) => [g.startOffset, g.endOffset, g.count]))));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
      const ranges = JSON.parse(out) as V8Ranges;
      const figs = v8CoverageFigures(code, 'm.mjs', 'f', ranges);
      // x > k: true for 2 and 5, false for 1 and 0 → both if arms; ternary: x > 0 true (1, 2, 5), false (0) → both;
      // x && k: right evaluated for 1, 2, 5, short-circuited for 0 → both. All 6 arms, all 6 lines.
      expect(figs).toEqual({ branches: { covered: 6, total: 6, percent: 100 }, lines: { covered: 6, total: 6, percent: 100 } });
      const only = JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', script.replace('m.f([1, 2, 0], 1); m.f([5], 1);', 'm.f([5], 1);')], {
          cwd: dir,
          encoding: 'utf8',
        }),
      ) as V8Ranges;
      // Only x = 5: the if's else, the ternary's false arm and the && short-circuit never ran.
      expect(v8CoverageFigures(code, 'm.mjs', 'f', only)?.branches).toEqual({ covered: 3, total: 6, percent: 50 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
