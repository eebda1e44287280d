// `evolve generate`: bad input is a typed error before the store opens; the JSON summary carries code, every round,
// tests, scan, score (with its breakdown) and timings; progress lines name each stage.
import { describe, expect, it } from 'vitest';
import type { GenerateResult } from '../../../../common/codegen/engine';
import { isEvolveError } from '../../../../common/errors';
import { generateCommand, progressLine, summary } from '../../../../main/cli/generate';

const isInvalid = (e: unknown) => isEvolveError(e) && e.code === 'INVALID_ARGUMENT';

describe('evolve generate', () => {
  it('refuses an unknown language, an empty prompt, a missing --lang and a bad --samples before opening anything', async () => {
    await expect(generateCommand(['--lang', 'cobol', 'write x'])).rejects.toSatisfy(isInvalid);
    await expect(generateCommand(['--lang', 'python', '   '])).rejects.toSatisfy(isInvalid);
    await expect(generateCommand(['write x'])).rejects.toSatisfy(isInvalid);
    await expect(generateCommand(['--lang', 'python', '--samples', 'two', 'write x'])).rejects.toSatisfy(isInvalid);
    await expect(generateCommand(['--lang', 'python', '--max-rounds', '99', 'write x'])).rejects.toSatisfy(isInvalid);
  });

  it('summarises every round of every candidate with the score breakdown', () => {
    const round = {
      round: 0,
      code: 'x',
      files: [{ path: 'solution.py', content: 'x' }],
      checks: [{ name: 'python', ok: true, findings: [], tools: [], durationMs: 1 }],
      tests: {
        status: 'failed' as const,
        runner: 'pytest',
        cases: [{ id: 'a', origin: 'docstring' as const, passed: false }],
        output: '',
        durationMs: 1,
      },
      tokens: 5,
      ms: 12.4,
      feedback: 'fix',
    };
    const score = {
      score: 50,
      breakdown: [{ signal: 'tests' as const, measured: true, value: 0, weight: 30, points: 0, detail: 'docstring 0/1' }],
    };
    const r: GenerateResult = {
      generationId: 'g',
      selected: 0,
      code: 'x',
      files: [{ path: 'solution.py', content: 'x' }],
      diffs: [],
      candidates: [{ index: 0, rounds: [round, { ...round, round: 1, feedback: undefined, error: 'no code' }], final: round, score }],
      tests: round.tests,
      scan: { ok: true, findings: [], tools: [], durationMs: 1 },
      score,
      budget: { contextTokens: 4096, reservedForAnswer: 512, used: 100, parts: [] },
      checked: 'full',
      timings: { totalMs: 1, generateMs: 1, checkMs: 0, testMs: 0 },
    };
    const s = summary(r);
    expect(s.rounds).toEqual([
      // The candidate kept round 0: its repair (round 1) produced no code.
      { candidate: 0, round: 0, kept: true, findings: 0, tests: { status: 'failed', passed: 0, total: 1 }, tokens: 5, ms: 12 },
      {
        candidate: 0,
        round: 1,
        kept: false,
        error: 'no code',
        findings: 0,
        tests: { status: 'failed', passed: 0, total: 1 },
        tokens: 5,
        ms: 12,
      },
    ]);
    expect(s.score.breakdown[0]!.detail).toBe('docstring 0/1');
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['code', 'rounds', 'tests', 'scan', 'score', 'timings']));
    expect(progressLine({ kind: 'round', candidate: 1, round: 2, phase: 'repair' })).toBe('candidate 1 round 2: repair…');
    expect(progressLine({ kind: 'tokens', candidate: 0, round: 0, text: 'x' })).toBeUndefined();
  });
});
