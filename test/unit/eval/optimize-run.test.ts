// The optimisation eval runner's pure parts: the summary's maths (geometric mean of verified speed-ups, counting the
// decisions' causes), the CLI options (bad input is INVALID_ARGUMENT, --ci pins the slice), and the loop's records and
// resume with a lab whose reports are given (the real lab runs in the CI slice, `npm run eval:optimize -- --ci`).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import type { OptimizeReport, OptimizeRequest, Suggestion } from '../../../common/perf/optimize';
import { loadOptimizeProblems } from '../../../eval/optimize/corpus';
import { CI_SLICE, defaultOutFile, parseOptimizeArgs, selectOptimizeProblems } from '../../../eval/optimize/run/options';
import type { ProblemRecord, RunSettings, SuggestionRecord } from '../../../eval/optimize/run/results';
import { requestFor, runOptimizeEval } from '../../../eval/optimize/run/runner';
import { countCauses, formatSummary, geometricMean, summarize } from '../../../eval/optimize/run/summary';

const problems = loadOptimizeProblems();

function expectInvalid(fn: () => unknown, mention: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EvolveError);
    expect((err as EvolveError).code).toBe('INVALID_ARGUMENT');
    expect((err as EvolveError).message).toMatch(mention);
    return;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('geometricMean', () => {
  it('is the n-th root of the product, null for none, and refuses a non-positive ratio', () => {
    expect(geometricMean([2, 8])).toBeCloseTo(4, 12);
    expect(geometricMean([1.5])).toBeCloseTo(1.5, 12);
    expect(geometricMean([10, 100, 1000])).toBeCloseTo(100, 9);
    // Below the arithmetic mean whenever the values differ: one huge speed-up does not dominate.
    expect(geometricMean([1.2, 120])!).toBeLessThan((1.2 + 120) / 2);
    expect(geometricMean([])).toBeNull();
    expect(() => geometricMean([2, 0])).toThrow(RangeError);
    expect(() => geometricMean([2, Number.NaN])).toThrow(RangeError);
  });
});

const interval = (median: number, low: number, high: number) => ({ median, low, high, confidence: 0.95, method: 'bootstrap' as const });

function suggestion(index: number, cause: SuggestionRecord['decision']['cause'], speedup?: [number, number, number]): SuggestionRecord {
  const offered = cause === 'proven';
  return {
    index,
    decision: {
      offered,
      outcome: offered ? 'proven' : cause === 'unavailable' || cause === 'malformed' ? 'unavailable' : 'rejected',
      cause,
      label: cause,
      reason: cause,
    },
    ...(speedup
      ? {
          bench: {
            n: 800,
            speedup: interval(...speedup),
            slope: { before: 2, after: 1 },
            verdict: offered ? 'faster' : 'not-proven',
            durationMs: 1,
          },
        }
      : {}),
    equivalence: {
      status: cause === 'behaviour' ? 'different' : 'equivalent',
      examples: 50,
      coverage: { branches: { covered: 9, total: 10, percent: 90 }, lines: { covered: 10, total: 10, percent: 100 } },
    },
  };
}

function rec(id: string, suggestions: SuggestionRecord[], o: { offered?: number; error?: boolean; ms?: number } = {}): ProblemRecord {
  return {
    id,
    language: 'python',
    category: 'quadratic-loop',
    sizes: [1, 2, 3],
    status: o.error ? 'error' : 'done',
    ...(o.error ? { error: { code: 'UNAVAILABLE', message: 'no sandbox' } } : {}),
    offered: o.offered ?? null,
    suggestions,
    ms: o.ms ?? 1000,
    finishedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('summarize', () => {
  const records = [
    rec('py-a', [suggestion(0, 'proven', [4, 3, 5])], { offered: 0, ms: 10_000 }),
    rec('py-b', [suggestion(0, 'behaviour'), suggestion(1, 'proven', [9, 8, 10]), suggestion(2, 'speed', [1.05, 0.9, 1.2])], {
      offered: 1,
      ms: 20_000,
    }),
    rec('py-c', [suggestion(0, 'speed', [1.3, 1.05, 1.6])]),
    rec('py-d', [suggestion(0, 'unavailable'), suggestion(1, 'malformed')]),
    rec('py-e', [], { error: true, ms: 500 }),
  ];

  it('counts verified problems, takes the geometric mean of their offered medians only, and counts every cause', () => {
    const s = summarize(records);
    expect(s.problems).toBe(5);
    expect(s.errors).toBe(1);
    expect(s.verified).toBe(2);
    // 4× and 9× are the offered medians; py-c's 1.3× was rejected (interval reaches below 1.1×) and does not count.
    expect(s.geomeanSpeedup).toBeCloseTo(6, 12);
    expect(s.suggestions).toBe(7);
    expect(s.causes).toEqual({ proven: 2, behaviour: 1, speed: 2, unavailable: 1, malformed: 1 });
    expect(countCauses(records)).toEqual(s.causes);
    expect(s.unusable).toBe(2);
    expect(s.totalSeconds).toBeCloseTo(10 + 20 + 1 + 1 + 0.5, 9);
  });

  it('reports per problem the offered suggestion, else the first, with its interval and coverage', () => {
    const lines = summarize(records).perProblem;
    expect(lines.map((l) => [l.id, l.outcome, l.causes.join(',')])).toEqual([
      ['py-a', 'proven', 'proven'],
      ['py-b', 'proven', 'behaviour,proven,speed'],
      ['py-c', 'rejected', 'speed'],
      ['py-d', 'unavailable', 'unavailable,malformed'],
      ['py-e', 'error', 'error'],
    ]);
    expect(lines[1]?.speedup?.median).toBe(9);
    expect(lines[2]?.speedup?.low).toBe(1.05);
    expect(lines[3]?.speedup).toBeNull();
    expect(lines[0]?.branchCoverage).toBe(90);
    expect(lines[4]?.branchCoverage).toBeNull();
  });

  it('has no geometric mean when nothing was verified, and the printed summary says so', () => {
    const s = summarize([records[2]!, records[3]!]);
    expect(s.verified).toBe(0);
    expect(s.geomeanSpeedup).toBeNull();
    const text = formatSummary(s, { model: 'm', proposals: 1, sizes: null });
    expect(text).toMatch(/verified speed-ups .*: 0\/2/);
    expect(text).toMatch(/geometric mean .*: n\/a/);
    expect(text).toMatch(/rejected by tests\/equivalence 0, rejected by the benchmark 1, unusable 2/);
  });
});

describe('parseOptimizeArgs', () => {
  it('defaults: the catalog model (left unset), one proposal, every problem, no resume', () => {
    const o = parseOptimizeArgs([]);
    expect(o).toMatchObject({ proposals: 1, resume: false, ci: false, help: false });
    expect(o.model).toBeUndefined();
    expect(o.problems).toBeUndefined();
    expect(o.sizes).toBeUndefined();
  });

  it('reads every option', () => {
    const o = parseOptimizeArgs(['--model', 'x.gguf', '--problems', 'py-a, ts-b', '--proposals', '3', '--out', 'r.json', '--resume']);
    expect(o).toMatchObject({ model: 'x.gguf', problems: ['py-a', 'ts-b'], proposals: 3, out: 'r.json', resume: true });
    expect(parseOptimizeArgs(['-h']).help).toBe(true);
  });

  it('bad input is INVALID_ARGUMENT naming the flag', () => {
    expectInvalid(() => parseOptimizeArgs(['--proposals', '0']), /--proposals/);
    expectInvalid(() => parseOptimizeArgs(['--proposals', '6']), /--proposals/);
    expectInvalid(() => parseOptimizeArgs(['--proposals', 'two']), /--proposals/);
    expectInvalid(() => parseOptimizeArgs(['--problems', ' , ']), /--problems/);
    expectInvalid(() => parseOptimizeArgs(['--samples', '3']), /samples/);
    expectInvalid(() => parseOptimizeArgs(['stray']), /stray/);
    expectInvalid(() => parseOptimizeArgs(['--model']), /model/);
  });

  it('--ci pins the slice whatever else is given', () => {
    const o = parseOptimizeArgs(['--ci', '--model', 'big', '--proposals', '4', '--problems', 'ts-sort-in-loop']);
    expect(o).toMatchObject({
      ci: true,
      model: CI_SLICE.model,
      proposals: 1,
      problems: [...CI_SLICE.problems],
      sizes: [...CI_SLICE.sizes],
    });
    // The slice must exist in the corpus and be one Python problem.
    const chosen = selectOptimizeProblems(problems, o.problems);
    expect(chosen.map((p) => p.meta.language)).toEqual(['python']);
  });

  it('selectOptimizeProblems keeps id order and names unknown ids', () => {
    expect(selectOptimizeProblems(problems, undefined)).toHaveLength(problems.length);
    expect(selectOptimizeProblems(problems, ['ts-sort-in-loop', 'py-pair-sum']).map((p) => p.meta.id)).toEqual([
      'py-pair-sum',
      'ts-sort-in-loop',
    ]);
    expect(() => selectOptimizeProblems(problems, ['py-nope'])).toThrow(/py-nope/);
  });

  it('default results file names the model and K', () => {
    expect(defaultOutFile('/r', { model: '/m/Qwen 1.5B.gguf', proposals: 2 })).toBe(
      path.join('/r', 'artifacts', 'eval', 'optimize-Qwen_1.5B-k2.json'),
    );
  });
});

describe('runOptimizeEval', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const outFile = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'opt-eval-'));
    dirs.push(d);
    return path.join(d, 'results.json');
  };
  const chosen = selectOptimizeProblems(problems, ['py-pair-sum', 'ts-sort-in-loop']);
  const settings: RunSettings = { model: 'm', proposals: 1, sizes: [10, 20, 40] };

  /** A lab report as optimize() returns it, with one suggestion of the given cause. */
  function report(req: OptimizeRequest, cause: 'proven' | 'behaviour'): OptimizeReport {
    const bench = {
      language: req.before.language,
      tool: req.before.language === 'python' ? ('pyperf' as const) : ('tinybench' as const),
      sizes: [10, 40, 20].map((n) => ({ n, beforeSec: [0.2], afterSec: [0.1], speedup: interval(n === 40 ? 3 : 2, 1.5, 4) })),
      slope: { before: 2, after: 1 },
      threshold: 1.1,
      verdict: 'faster' as const,
      durationMs: 5,
    };
    const s: Suggestion = {
      index: 0,
      generationId: null,
      after: { ...req.before, files: { ...req.before.files, [req.before.module]: '# faster' } },
      diffs: [],
      tests: null,
      equivalence: { status: cause === 'proven' ? 'equivalent' : 'different', tool: 'hypothesis', examples: 10, durationMs: 1 },
      ...(cause === 'proven' ? { bench } : {}),
      decision: { offered: cause === 'proven', outcome: cause === 'proven' ? 'proven' : 'rejected', cause, label: cause, reason: cause },
    };
    return {
      before: req.before,
      inputs: req.inputs!,
      inputsWrittenByModel: false,
      profile: null,
      suggestions: [s],
      offered: cause === 'proven' ? 0 : null,
      durationMs: 1,
    };
  }

  it('sends each problem module, tests and generator with the run sizes, records the decision, saves after each problem', async () => {
    const out = outFile();
    const seen: OptimizeRequest[] = [];
    const { summary, ran, results } = await runOptimizeEval(
      { problems: chosen, out, resume: false, settings, modelId: 'm' },
      {
        log: () => {},
        optimize: async (req) => {
          // The previous problem's record is on disk before the next lab run starts.
          if (seen.length === 1) expect(Object.keys(JSON.parse(readFileSync(out, 'utf8')).problems)).toEqual(['py-pair-sum']);
          seen.push(req);
          return report(req, seen.length === 1 ? 'proven' : 'behaviour');
        },
      },
    );
    expect(ran).toEqual(['py-pair-sum', 'ts-sort-in-loop']);
    expect(seen[0]).toMatchObject({ before: { module: 'module.py', function: chosen[0]!.meta.function }, proposals: 1, modelId: 'm' });
    expect(seen[0]?.inputs?.sizes).toEqual([10, 20, 40]);
    expect(seen[0]?.tests?.map((t) => t.path)).toEqual(['test_module.py']);
    expect(seen[1]?.tests?.map((t) => t.path)).toEqual(['module.test.ts']);
    // The verdict's size is the largest one, whatever order the benchmark lists them in.
    expect(results.problems['py-pair-sum']?.suggestions[0]?.bench).toMatchObject({ n: 40, speedup: { median: 3 } });
    expect(results.problems['py-pair-sum']?.suggestions[0]?.afterModule).toBe('# faster');
    expect(summary).toMatchObject({ problems: 2, verified: 1, errors: 0, causes: { proven: 1, behaviour: 1 } });
    expect(summary.geomeanSpeedup).toBeCloseTo(3, 12);
  });

  it('a typed failure of one problem is its record (no decision); a report off the contract stops the run', async () => {
    const out = outFile();
    const r = await runOptimizeEval(
      { problems: chosen, out, resume: false, settings },
      {
        log: () => {},
        optimize: async (req) => {
          if (req.before.language === 'python') throw new EvolveError('TIMEOUT', 'benchmark budget ran out');
          return report(req, 'proven');
        },
      },
    );
    expect(r.results.problems['py-pair-sum']).toMatchObject({ status: 'error', error: { code: 'TIMEOUT' }, suggestions: [] });
    expect(r.summary.errors).toBe(1);

    await expect(
      runOptimizeEval(
        { problems: chosen, out: outFile(), resume: false, settings },
        { log: () => {}, optimize: async () => ({ suggestions: 'x' }) },
      ),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(
      runOptimizeEval(
        { problems: chosen, out: outFile(), resume: false, settings: { ...settings, proposals: 2 } },
        { log: () => {}, optimize: async (req) => report(req, 'proven') },
      ),
    ).rejects.toThrow(/1 decisions for 2 proposals/);
  });

  it('--resume runs only what is not done, and refuses other settings or an existing file without it', async () => {
    const out = outFile();
    const first = chosen.slice(0, 1);
    await runOptimizeEval(
      { problems: first, out, resume: false, settings },
      { log: () => {}, optimize: async (req) => report(req, 'proven') },
    );
    expect(existsSync(out)).toBe(true);
    const asked: string[] = [];
    const again = await runOptimizeEval(
      { problems: chosen, out, resume: true, settings },
      {
        log: () => {},
        optimize: async (req) => {
          asked.push(req.before.module);
          return report(req, 'behaviour');
        },
      },
    );
    expect(asked).toEqual(['module.ts']);
    expect(again.ran).toEqual(['ts-sort-in-loop']);
    expect(again.summary.problems).toBe(2);
    await expect(
      runOptimizeEval({ problems: chosen, out, resume: false, settings }, { log: () => {}, optimize: async () => ({}) }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      runOptimizeEval(
        { problems: chosen, out, resume: true, settings: { ...settings, model: 'other' } },
        { log: () => {}, optimize: async () => ({}) },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('requestFor keeps meta.json sizes when the run has none', () => {
    const p = chosen[0]!;
    expect(requestFor(p, { ...settings, sizes: null }).inputs?.sizes).toEqual(p.meta.sizes);
    expect(requestFor(p, settings).before.files[p.meta.module]).toBe(p.variants.module);
  });
});
