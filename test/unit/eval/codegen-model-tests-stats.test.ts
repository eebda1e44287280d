// The model-tests probe's arithmetic: which model-written cases were right on the reference, which of those tell a
// wrong answer apart, and the summary line that compares two test-writing prompts.
import { describe, expect, it } from 'vitest';
import type { TestRun } from '../../../common/codegen/engine';
import { catches, splitCases, summaryLine, type SuiteProbe } from '../../../eval/codegen/run/model-tests-stats';

const run = (cases: TestRun['cases']): TestRun => ({ status: 'failed', runner: 'pytest', cases, output: '', durationMs: 1 });

const row = (prompt: string, over: Partial<SuiteProbe>): SuiteProbe => ({
  id: 'py-x',
  prompt,
  tokens: 100,
  seconds: 10,
  cases: 0,
  right: 0,
  catches: null,
  wrongCases: [],
  ...over,
});

describe('model-tests probe stats', () => {
  it('counts only model cases, and keeps the asserted line of a failure', () => {
    const r = splitCases(
      run([
        { id: 't::a', origin: 'model', passed: true },
        { id: 't::b', origin: 'model', passed: false, message: 'test_m.py:13: in test_b\nE   assert 3 == 4\nE    +  where 3 = f(2)' },
        { id: 'd::c', origin: 'docstring', passed: false, message: 'E   assert 1 == 2' },
      ]),
    );
    expect([...r.right]).toEqual(['t::a']);
    expect(r.wrong).toEqual([{ id: 't::b', message: 'E   assert 3 == 4' }]);
  });

  it('a right case catches a wrong answer only when it fails there', () => {
    expect(catches(new Set(['a', 'b', 'c']), new Set(['a']))).toBe(2);
    expect(catches(new Set(['a']), new Set(['a', 'b']))).toBe(0);
  });

  it('sums one prompt at a time, and says n/a without cases', () => {
    const rows = [
      row('engine', { cases: 4, right: 3, catches: 1 }),
      row('engine', { id: 'py-y', cases: 4, right: 4, catches: 0 }),
      row('engine', { id: 'py-z' }),
      row('stated', { cases: 2, right: 2, tokens: 50 }),
    ];
    expect(summaryLine('engine', rows)).toBe(
      'engine: 3 problems, suites 2, cases 8, right 7 (88 %), every case right in 1; wrong answers caught 1 of 2; tokens 300, seconds 30',
    );
    expect(summaryLine('stated', rows)).toContain(
      'cases 2, right 2 (100 %), every case right in 1; wrong answers caught 0 of 0; tokens 50',
    );
    expect(summaryLine('other', rows)).toContain('cases 0, right 0 (n/a)');
  });
});
