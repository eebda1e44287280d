// The review's round list (renderer/features/code/rounds.ts) reads back what the engine's store adapter wrote: a round
// with a type error and a failing example, a round with no usable code, and a row whose detail does not parse (listed
// without it); rounds are grouped by candidate in order, and the rounds whose code the generation offers are marked.
import { describe, expect, it } from 'vitest';
import type { CandidateRound } from '../../../../common/codegen/engine';
import type { CodegenRound } from '../../../../common/store/codegen-requests';
import { storeAdapter } from '../../../../main/services/codegen/engine/store-rounds';
import type { EngineDeps } from '../../../../main/services/codegen/engine/types';
import { listRounds, summarizeRound } from '../../../../renderer/features/code/rounds';
import { FAILED_EXAMPLE_RUN, FEEDBACK, FIXED_CODE, TS2322_CHECK, TYPE_ERROR_CODE } from '../../../support/codegen/round-fixtures';

function engineRound(p: Partial<CandidateRound> & { round: number; code: string }): CandidateRound {
  return { files: p.code ? [{ path: 'solution.ts', content: p.code }] : [], checks: [], tests: null, tokens: 40, ms: 2500, ...p };
}

const FAILING: CandidateRound = engineRound({
  round: 0,
  code: TYPE_ERROR_CODE,
  checks: [TS2322_CHECK],
  tests: FAILED_EXAMPLE_RUN,
  feedback: FEEDBACK,
});
const NO_CODE = engineRound({ round: 1, code: '', error: 'The answer holds no code block', tokens: 12, ms: 900 });
const PASSING = engineRound({
  round: 0,
  code: FIXED_CODE,
  tests: {
    status: 'passed',
    runner: 'node --test',
    cases: [{ id: 'examples.test.js::example 1', origin: 'docstring', passed: true }],
    output: '',
    durationMs: 200,
  },
});

/** The rows the store gets from the engine's adapter, as the store returns them (with `at`). */
async function stored(rounds: [number, CandidateRound][]): Promise<CodegenRound[]> {
  const rows: CodegenRound[] = [];
  const store = {
    create: async () => ({ id: 'g1' }),
    addRound: async (p: Omit<CodegenRound, 'at'>) => {
      const { generationId: _g, ...row } = p as Omit<CodegenRound, 'at'> & { generationId: string };
      rows.push({ ...row, at: 1 });
      return rows.at(-1)!;
    },
    finish: async () => ({}),
  } as unknown as NonNullable<EngineDeps['store']>;
  const adapter = storeAdapter(store);
  await adapter.create({ projectId: null, request: 'add', type: 'function', lang: 'typescript', model: 'm' });
  for (const [candidate, r] of rounds) await adapter.addRound(candidate, r, 100);
  return rows;
}

describe('stored rounds, as the review lists them', () => {
  it('summarizes what the adapter stored: tokens, seconds, findings and tests; an error round says why it has no code', async () => {
    const [failing, noCode] = await stored([
      [0, FAILING],
      [0, NO_CODE],
    ]);
    expect(summarizeRound(failing!).summary).toBe('round 1 · 40 tokens · 2.5 s · 1 finding(s), 1 high · tests 1/2');
    expect(summarizeRound(failing!).detail?.tests?.cases).toHaveLength(2);
    expect(summarizeRound(noCode!).summary).toBe('round 2 · 12 tokens · 0.9 s · no usable code: The answer holds no code block');
  });

  it('lists a row whose detail does not parse, without the detail', () => {
    const row: CodegenRound = {
      round: 0,
      candidate: 0,
      code: 'x',
      checks: { old: true },
      testOutput: '',
      promptTokens: 1,
      completionTokens: 3,
      ms: 1000,
      at: 1,
    };
    expect(summarizeRound(row)).toMatchObject({ detail: null, summary: 'round 1 · 3 tokens · 1.0 s · details unavailable' });
  });

  it('groups by candidate in round order and marks the rounds whose code is offered', async () => {
    const rows = await stored([
      [1, PASSING],
      [0, NO_CODE],
      [0, FAILING],
    ]);
    const groups = listRounds(rows, FIXED_CODE);
    expect(groups.map((g) => [g.candidate, g.rounds.map((r) => [r.round.round, r.offered])])).toEqual([
      [
        0,
        [
          [0, false],
          [1, false],
        ],
      ],
      [1, [[0, true]]],
    ]);
    expect(groups[1]!.rounds[0]!.summary).toBe('round 1 · 40 tokens · 2.5 s · not checked · tests 1/1');
  });
});
