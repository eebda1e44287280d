// The performance panel's pure run state: events folded into the stage list, profile, engine lines and bench
// progress; the end of the stream; the form's sizes; the function around the cursor.
import { describe, expect, it } from 'vitest';
import type { OptimizeReport } from '../../../../common/perf/optimize';
import {
  benchPercent,
  coverageText,
  finishRun,
  foldPerfEvent,
  functionAt,
  newRun,
  parseSizes,
  perfKey,
  stageLabel,
} from '../../../../renderer/features/code/performance/perf-run';
import { PROFILE, REPORT } from './performance-samples';

describe('foldPerfEvent', () => {
  it('keeps one stage running at a time and closes them all on the report', () => {
    let r = newRun('p1', 'a.py:f');
    r = foldPerfEvent(r, { kind: 'stage', stage: 'profile' });
    r = foldPerfEvent(r, { kind: 'profile', result: PROFILE });
    r = foldPerfEvent(r, { kind: 'stage', stage: 'propose', proposal: 0 });
    expect(r.stages.map((s) => [s.stage, s.state])).toEqual([
      ['profile', 'done'],
      ['propose', 'running'],
    ]);
    expect(r.profile).toBe(PROFILE);
    expect(stageLabel(r.stages[1]!)).toBe('Propose (proposal 1)');
    r = foldPerfEvent(r, { kind: 'generate', tokens: 40 });
    r = foldPerfEvent(r, { kind: 'generate', tokens: 41, line: 'tests: passed 5/5' });
    expect([r.tokens, r.lines]).toEqual([41, ['tests: passed 5/5']]);
    r = foldPerfEvent(r, { kind: 'stage', stage: 'bench', proposal: 0 });
    r = foldPerfEvent(r, { kind: 'bench', n: 8000, repeat: 2, repeats: 7, done: 9, total: 21 });
    expect(benchPercent(r.bench)).toBe(43);
    const done = finishRun(r, { ok: true, value: REPORT });
    expect(done.running).toBe(false);
    expect(done.stages.every((s) => s.state === 'done')).toBe(true);
    expect(done.report).toBe(REPORT);
  });

  it('marks the stage in progress as stopped on an error or cancel, keeping what arrived', () => {
    let r = foldPerfEvent(newRun('p1', 'a.py:f'), { kind: 'stage', stage: 'profile' });
    r = foldPerfEvent(r, { kind: 'profile', result: PROFILE });
    r = foldPerfEvent(r, { kind: 'stage', stage: 'propose', proposal: 0 });
    const stopped = finishRun(r, { ok: false, error: { code: 'CANCELLED', message: 'cancelled' } });
    expect(stopped.stages.map((s) => s.state)).toEqual(['done', 'stopped']);
    expect(stopped.profile).toBe(PROFILE);
    expect(stopped.error?.code).toBe('CANCELLED');
  });

  it('restarts the bench bar with each benchmark and ignores an empty total', () => {
    let r = foldPerfEvent(newRun('p', 't'), { kind: 'bench', n: 10, repeat: 1, repeats: 1, done: 3, total: 3 });
    expect(benchPercent(r.bench)).toBe(100);
    r = foldPerfEvent(r, { kind: 'stage', stage: 'bench', proposal: 1 });
    expect(r.bench).toBeNull();
    expect(benchPercent({ kind: 'bench', n: 1, repeat: 0, repeats: 0, done: 0, total: 0 })).toBe(0);
  });
});

describe('form helpers', () => {
  it('parses sizes: empty means the default, fewer than three or non-integers are refused', () => {
    expect(parseSizes('')).toEqual({ ok: true, sizes: undefined });
    expect(parseSizes('1000, 3000 8000')).toEqual({ ok: true, sizes: [1000, 3000, 8000] });
    expect(parseSizes('10,20').ok).toBe(false);
    expect(parseSizes('10,20,2.5').ok).toBe(false);
    expect(parseSizes('10,20,-3').ok).toBe(false);
    expect(parseSizes('1,2,3,4,5,6,7,8,9').ok).toBe(false);
  });

  it('keys runs by project and target', () => {
    expect(perfKey('p1', 'a.py:f')).not.toBe(perfKey('p1', 'a.py:g'));
    expect(perfKey('p1', 'a.py:f')).not.toBe(perfKey('p2', 'a.py:f'));
  });

  it('prints coverage only when the equivalence proof measured it', () => {
    expect(coverageText(REPORT.suggestions[0]!)).toBe("100 % of the original's branches (4/4)");
    expect(coverageText({ ...REPORT.suggestions[0]!, equivalence: undefined })).toBeNull();
  });
});

describe('functionAt', () => {
  const py = [
    'import re',
    '',
    'def dedupe(xs):',
    '    seen = []',
    '    def key(x):',
    '        return x',
    '    return seen',
    '',
    'class Stack:',
    '    def push(self, x):',
    '        self.items.append(x)',
  ].join('\n');

  it('finds the Python function, method or enclosing function above the cursor', () => {
    expect(functionAt(py, 1, 'm.py')).toBeNull();
    expect(functionAt(py, 4, 'm.py')).toBe('dedupe');
    expect(functionAt(py, 6, 'm.py')).toBe('dedupe');
    expect(functionAt(py, 11, 'm.py')).toBe('Stack.push');
    expect(functionAt(py, 99, 'm.py')).toBe('Stack.push');
  });

  it('finds TS functions, arrow constants and class methods, not control flow', () => {
    const ts = [
      'export function total(xs: number[]): number {',
      '  let s = 0;',
      '  for (const x of xs) {',
      '    s += x;',
      '  }',
      '  return s;',
      '}',
      'export const twice = (x: number) => x * 2;',
      'export class Repo {',
      '  async find(id: string): Promise<Row> {',
      '    if (id) {',
      '      return rows[id];',
      '    }',
      '  }',
      '}',
    ].join('\n');
    expect(functionAt(ts, 4, 'a.ts')).toBe('total');
    expect(functionAt(ts, 8, 'a.ts')).toBe('twice');
    expect(functionAt(ts, 12, 'a.ts')).toBe('Repo.find');
  });
});

// A report that does not parse is a test bug, not a panel bug: the samples match the wire schema.
it('samples match the report schema', async () => {
  const { OptimizeReportSchema } = await import('../../../../common/perf/optimize');
  expect(OptimizeReportSchema.safeParse(REPORT satisfies OptimizeReport).success).toBe(true);
});
