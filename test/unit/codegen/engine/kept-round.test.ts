// Which round a candidate offers (select.ts keptRound): usable code first, then the visible tests it passes, then the
// model tests, and on a tie the earlier round. Every case here would pick another round if the order were different.
import { describe, expect, it } from 'vitest';
import type { CandidateRound, TestRun } from '../../../../main/services/codegen/engine';
import { keptRound, roundUsable } from '../../../../main/services/codegen/engine/select';

type Case = TestRun['cases'][number];
const docstring = (passed: boolean, n = 1): Case => ({ id: `doc::t${n}`, origin: 'docstring', passed });
const model = (passed: boolean, n = 1): Case => ({ id: `model::t${n}`, origin: 'model', passed });
const run = (cases: Case[]): TestRun => ({
  status: cases.every((c) => c.passed) ? 'passed' : 'failed',
  runner: 'node',
  cases,
  output: '',
  durationMs: 1,
});
const typeError = {
  name: 'typescript',
  ok: false,
  findings: [
    { tool: 'tsc', ruleId: 'TS2300', severity: 'high' as const, file: 'solution.ts', line: 2, message: "Duplicate identifier 'state'." },
  ],
  tools: [],
  durationMs: 1,
};

function round(n: number, opts: { tests?: Case[]; typeError?: boolean; error?: string; code?: string } = {}): CandidateRound {
  return {
    round: n,
    code: opts.code ?? `// round ${n}`,
    files: [],
    checks: opts.typeError ? [typeError] : [],
    tests: opts.tests ? run(opts.tests) : null,
    tokens: 1,
    ms: 1,
    ...(opts.error ? { error: opts.error } : {}),
  };
}

describe('keptRound', () => {
  it('keeps a later round only when it is measurably better: the repair fixed something the checks see', () => {
    expect(keptRound([round(0, { tests: [docstring(false)] }), round(1, { tests: [docstring(true)] })]).round).toBe(1);
    expect(keptRound([round(0, { typeError: true }), round(1, { tests: [docstring(false)] })]).round).toBe(1);
    expect(keptRound([round(0)]).round).toBe(0);
  });

  it('keeps the earlier round on a tie: a rewrite that still fails the same way is no progress', () => {
    expect(keptRound([round(0, { tests: [docstring(false)] }), round(1, { tests: [docstring(false)] })]).round).toBe(0);
    const typeErrors = [0, 1, 2].map((n) => round(n, { tests: [docstring(true)], typeError: true }));
    expect(keptRound(typeErrors).round).toBe(0);
    // Round 1 beats round 0; round 2 only ties round 1, so round 1 stays.
    const rounds = [
      round(0, { tests: [docstring(false)] }),
      round(1, { tests: [docstring(true)] }),
      round(2, { tests: [docstring(true)] }),
    ];
    expect(keptRound(rounds).round).toBe(1);
  });

  it('keeps a compiling round over a later one with a type error, even one passing more tests', () => {
    const rounds = [round(0, { tests: [docstring(false)] }), round(1, { tests: [docstring(true)], typeError: true })];
    expect(keptRound(rounds).round).toBe(0);
  });

  it('keeps a round that passes more visible tests over a later compiling one', () => {
    const rounds = [
      round(0, { tests: [docstring(true, 1), docstring(true, 2)] }),
      round(1, { tests: [docstring(true, 1), docstring(false, 2)] }),
      round(2, { tests: [docstring(false, 1), docstring(false, 2)] }),
    ];
    expect(keptRound(rounds).round).toBe(0);
  });

  it('breaks a visible-test tie on the model tests passed', () => {
    const rounds = [
      round(0, { tests: [docstring(true), model(true, 1), model(true, 2)] }),
      round(1, { tests: [docstring(true), model(true, 1), model(false, 2)] }),
    ];
    expect(keptRound(rounds).round).toBe(0);
  });

  it('never keeps a round whose answer could not be used over one with code', () => {
    const rounds = [round(0, { tests: [docstring(false)] }), round(1, { error: 'The answer has no python code', code: '' })];
    expect(keptRound(rounds).round).toBe(0);
    expect(roundUsable(rounds[1]!)).toBe(false);
    expect(roundUsable(round(2, { code: '' }))).toBe(false);
    expect(roundUsable(round(3, { typeError: true }))).toBe(false);
  });

  it('refuses an empty list', () => {
    expect(() => keptRound([])).toThrow(/at least one round/);
  });
});
