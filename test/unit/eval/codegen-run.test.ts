// The codegen eval runner's pure parts: Spearman with ties, the summary's rates and timings, and the CLI options
// (bad flags and unknown problem ids are typed errors, --ci pins the slice) and the model lookup.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../../eval/codegen/load';
import { resolveEvalModel } from '../../../eval/codegen/run/model';
import { CI_SLICE, defaultOutFile, parseEvalArgs, selectProblems } from '../../../eval/codegen/run/options';
import { type AnswerGrade, type ProblemRecord } from '../../../eval/codegen/run/results';
import { summarize } from '../../../eval/codegen/run/summary';
import { averageRanks, median, spearman } from '../../../eval/codegen/run/stats';

describe('spearman', () => {
  it('is 1 / -1 for a monotone relation in either direction, whatever the scale', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 10_000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [0.9, 0.5, 0.2, 0])).toBeCloseTo(-1, 12);
  });

  it('gives ties their average rank (the textbook value for a tied sample)', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    // x ranks 1..5, y = [1, 2.5, 2.5, 4, 5]: rho = 9.5 / sqrt(10 * 9.5)
    expect(spearman([1, 2, 3, 4, 5], [0, 0.5, 0.5, 0.8, 1])).toBeCloseTo(9.5 / Math.sqrt(95), 12);
  });

  it('is null when nothing can be ranked (one pair, or one side constant) and refuses unequal lengths', () => {
    expect(spearman([1], [1])).toBeNull();
    expect(spearman([50, 50, 50], [0, 1, 0.5])).toBeNull();
    expect(spearman([1, 2, 3], [1, 1, 1])).toBeNull();
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });

  it('median of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

const grade = (passed: number, total: number): AnswerGrade => ({
  passed: passed === total && total > 0,
  passedTests: passed,
  totalTests: total,
  failures: [],
});

function record(
  id: string,
  o: { single: boolean; repair: boolean; selected: boolean; singleMs: number; pipelineMs: number },
): ProblemRecord {
  const g = (ok: boolean): AnswerGrade => (ok ? grade(3, 3) : grade(1, 3));
  return {
    id,
    lang: id.startsWith('py-') ? 'python' : 'typescript',
    type: 'function',
    difficulty: 'easy',
    status: 'done',
    pipelineMs: o.pipelineMs,
    singleShotMs: o.singleMs,
    answers: { singleShot: g(o.single), repair: g(o.repair), selected: g(o.selected) },
    candidates: [
      { index: 0, score: 80, rounds: 2, hidden: g(o.repair) },
      { index: 1, score: 40, rounds: 1, hidden: grade(0, 3) },
    ],
    gradeMs: 100,
    finishedAt: '2026-12-02T00:00:00.000Z',
  };
}

describe('summarize', () => {
  it('counts the three pass@1 rates per language and the seconds per problem and per single shot', () => {
    const s = summarize([
      record('py-a', { single: false, repair: true, selected: true, singleMs: 10_000, pipelineMs: 40_000 }),
      record('py-b', { single: false, repair: false, selected: false, singleMs: 14_000, pipelineMs: 50_000 }),
      record('ts-c', { single: true, repair: true, selected: true, singleMs: 6_000, pipelineMs: 30_000 }),
    ]);
    expect(s.passAt1.singleShot).toEqual({ passed: 1, total: 3, rate: 1 / 3 });
    expect(s.passAt1.repair.passed).toBe(2);
    expect(s.passAt1.selected.passed).toBe(2);
    expect(s.byLanguage.python?.repair).toEqual({ passed: 1, total: 2, rate: 0.5 });
    expect(s.seconds.singleShot).toEqual({ mean: 10, median: 10 });
    expect(s.seconds.perProblem).toEqual({ mean: 40, median: 40 });
    expect(s.seconds.pipelineOverSingleShot).toBe(4);
    // py-b: scores 80/40 but both candidates pass 1/3 and 0/3 → rho 1; all three problems rank the same way.
    expect(s.scoreVsHidden).toMatchObject({ pairs: 6, withinProblemMean: 1, problemsRanked: 3 });
  });
});

describe('eval:codegen options', () => {
  it('defaults to k=3, N=3 and parses each flag', () => {
    expect(parseEvalArgs([])).toMatchObject({ samples: 3, maxRounds: 3, resume: false, seed: 1, ci: false });
    expect(
      parseEvalArgs(['--samples', '5', '--max-rounds', '0', '--only', 'py-a, ts-b', '--limit', '4', '--resume', '--out', 'x.json']),
    ).toMatchObject({
      samples: 5,
      maxRounds: 0,
      only: ['py-a', 'ts-b'],
      limit: 4,
      resume: true,
      out: 'x.json',
    });
  });

  it('refuses unknown flags and bad values with a typed error naming them', () => {
    expect(() => parseEvalArgs(['--sample', '3'])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("'--sample'") }),
    );
    expect(() => parseEvalArgs(['--samples', '0'])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('--samples') }),
    );
    expect(() => parseEvalArgs(['--max-rounds', 'three'])).toThrow(
      expect.objectContaining({ message: expect.stringContaining('--max-rounds:') }),
    );
  });

  it('--ci pins the slice, model, k and N', () => {
    expect(parseEvalArgs(['--ci', '--samples', '9', '--limit', '1'])).toMatchObject({
      ci: true,
      only: CI_SLICE.only,
      model: CI_SLICE.model,
      samples: 2,
      maxRounds: 1,
      limit: undefined,
    });
    const all = loadProblems();
    expect(selectProblems(all, { only: [...CI_SLICE.only] }).map((p) => p.lang)).toEqual(['python', 'typescript']);
  });

  it('selects by id and limit, and names ids that do not exist', () => {
    const all = loadProblems();
    expect(selectProblems(all, { limit: 2 }).map((p) => p.id)).toEqual(all.slice(0, 2).map((p) => p.id));
    expect(() => selectProblems(all, { only: ['py-chunk-list', 'py-nope'] })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: 'no such problem: py-nope' }),
    );
    expect(defaultOutFile('/r', { model: '/m/Qwen 1.5B.gguf', samples: 3, maxRounds: 3 })).toBe(
      '/r/artifacts/eval/codegen-Qwen_1.5B-k3-n3.json',
    );
  });
});

describe('eval model lookup', () => {
  const REPO = path.resolve(import.meta.dirname, '../../..');

  it('takes a .gguf path as is, and names a missing one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evolve-eval-model-'));
    try {
      writeFileSync(path.join(dir, 'Tiny-Coder.Q4.gguf'), 'GGUF');
      await expect(resolveEvalModel(path.join(dir, 'Tiny-Coder.Q4.gguf'), REPO)).resolves.toEqual({
        label: 'Tiny-Coder.Q4',
        path: path.join(dir, 'Tiny-Coder.Q4.gguf'),
      });
      await expect(resolveEvalModel(path.join(dir, 'gone.gguf'), REPO)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('looks a catalog id up in the model cache and says how to install it when absent; unknown ids are refused', async () => {
    const before = process.env.EVOLVE_MODEL_CACHE;
    const dir = mkdtempSync(path.join(tmpdir(), 'evolve-eval-cache-'));
    process.env.EVOLVE_MODEL_CACHE = dir;
    try {
      await expect(resolveEvalModel(undefined, REPO)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/qwen2\.5-coder-1\.5b-instruct-q4_k_m is not installed .*setup-coding-model\.sh --model 1\.5b/),
      });
      await expect(resolveEvalModel('no-such-model', REPO)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'No catalog model no-such-model',
      });
    } finally {
      if (before === undefined) delete process.env.EVOLVE_MODEL_CACHE;
      else process.env.EVOLVE_MODEL_CACHE = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
