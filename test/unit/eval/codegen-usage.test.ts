// The eval summary's cost figures: tokens and calls per stage summed over the problems that report them, early stops
// and the stop rules that ended repair loops, and the printed lines.
import { describe, expect, it } from 'vitest';
import { formatSummary, summarize } from '../../../eval/codegen/run/summary';
import { passingRecord } from '../../support/eval/codegen-record';

const u = (calls: number, tokens: number) => ({
  calls,
  completionTokens: tokens,
  promptTokens: 100 * calls,
  evaluatedPromptTokens: 40 * calls,
});

const rec = passingRecord;

describe('summarize: usage and stops', () => {
  it('sums each stage over the problems with usage; counts early stops and stop rules', () => {
    const s = summarize([
      rec('py-a', { usage: { tests: u(1, 300), generate: u(3, 450) }, earlyStop: { candidate: 0, round: 0 }, stops: { 'early-stop': 2 } }),
      rec('py-b', { usage: { generate: u(3, 300), repair: u(2, 200) }, stops: { unchanged: 1, 'same-failure': 1 } }),
      rec('py-c', {}), // an old record without usage is left out of the cost figures
    ]);
    expect(s.usage.problems).toBe(2);
    expect(s.usage.stages.generate).toEqual({ calls: 6, completionTokens: 750, promptTokens: 600, evaluatedPromptTokens: 240 });
    expect(s.usage.stages.tests?.completionTokens).toBe(300);
    expect(s.usage.stages.repair?.calls).toBe(2);
    expect(s.stops).toEqual({ earlyStopProblems: 1, rounds: { 'early-stop': 2, unchanged: 1, 'same-failure': 1 } });
    const text = formatSummary(s, { model: 'm', samples: 3, maxRounds: 3 });
    expect(text).toContain('generate 750 tokens (375/problem) in 6 calls, prompt 240/600');
    expect(text).toContain('early stop in 1/2 problems');
  });
});
