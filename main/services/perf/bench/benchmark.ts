// benchmark(req): before vs after at each input size, interleaved paired repeats in fresh sandboxed processes on fresh
// inputs, then the speed-up's bootstrap interval per size, the log-log slopes and the verdict at the largest size.
import { EvolveError, isEvolveError } from '../../../../common/errors';
import type { BenchResult, BenchSizeResult } from '../../../../common/perf/types';
import { benchRuntime } from './runtime';
import { runRepeat } from './repeat';
import { fitSlope, median, ratioInterval, verdict } from './stats';
import { BenchRequestSchema, type BenchOptions, type BenchRequestInput } from './types';

const DEFAULT_BUDGET_MS = 10 * 60_000;
const DEFAULT_BATCH_MS = 50;
const DEFAULT_VALUES = 3;
/** One process never gets more than this, whatever the budget left (a hung call must not eat the whole budget). */
const MAX_REPEAT_WALL_MS = 120_000;

function cancelled(): EvolveError {
  return new EvolveError('CANCELLED', 'Benchmark cancelled');
}

/**
 * Benchmarks `after` against `before`. For every size (ascending) and repeat r, the pair runs in alternating order
 * (before, after, then after, before, …) so a drift of the machine during the run hits both versions alike; both runs
 * of a pair get the same fresh seed, every pair a new one, and every run is a new process, so nothing one call
 * memoised survives into another repeat. Checks cancel between runs (and the sandbox kills a run in flight).
 *
 * Throws INVALID_ARGUMENT for a bad request, a version that cannot load or crashes (naming the version and size) or a
 * failing input generator; TIMEOUT when the budget runs out; CANCELLED; UNAVAILABLE without a sandbox or the tool.
 * It does not compare outputs: that is the equivalence check's job and runs before this.
 */
export async function benchmark(req: BenchRequestInput, opts: BenchOptions = {}): Promise<BenchResult> {
  const started = Date.now();
  const parsed = BenchRequestSchema.safeParse(req);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
    throw new EvolveError('INVALID_ARGUMENT', `Invalid benchmark request: ${why}`);
  }
  const { before, after, inputs, repeats, warmup, threshold } = parsed.data;
  const budgetMs = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  const batchMs = opts.batchMs ?? DEFAULT_BATCH_MS;
  const values = opts.values ?? DEFAULT_VALUES;
  const baseSeed = opts.seed ?? 1;
  const clock = opts.clock ?? 'cpu';
  let usedWall = clock === 'wall';
  if (!(budgetMs >= 1000) || !(batchMs >= 1 && batchMs <= 5000) || !Number.isInteger(values) || values < 1 || values > 50) {
    throw new EvolveError('INVALID_ARGUMENT', 'budgetMs ≥ 1000, batchMs in [1, 5000] and values in [1, 50] are required');
  }
  if (clock !== 'cpu' && clock !== 'wall') {
    throw new EvolveError('INVALID_ARGUMENT', `clock must be 'cpu' or 'wall', got ${String(clock)}`);
  }
  if (opts.signal?.aborted) throw cancelled();

  const runtime = await benchRuntime(before.language, inputs, opts.toolsDir);
  const plans = { before: runtime.plan(before, 'before'), after: runtime.plan(after, 'after') };
  const sizes = [...new Set(inputs.sizes)].sort((a, b) => a - b);
  const total = sizes.length * repeats;
  let done = 0;

  const runOne = async (which: 'before' | 'after', n: number, seed: number): Promise<number> => {
    if (opts.signal?.aborted) throw cancelled();
    const left = budgetMs - (Date.now() - started);
    if (left < 500) {
      throw new EvolveError('TIMEOUT', `The benchmark ran out of its ${budgetMs} ms budget after ${done} of ${total} pairs`, {
        done,
        total,
      });
    }
    try {
      const t = await runRepeat({
        plan: plans[which],
        which,
        n,
        seed,
        batchMs,
        warmups: warmup,
        values,
        clock,
        wallMs: Math.max(100, Math.min(left, MAX_REPEAT_WALL_MS)),
        signal: opts.signal,
        support: opts.support,
      });
      if (t.clock === 'wall') usedWall = true;
      return t.secPerCall;
    } catch (e) {
      if (isEvolveError(e) && e.code === 'TIMEOUT' && left <= MAX_REPEAT_WALL_MS) {
        throw new EvolveError('TIMEOUT', `${e.message}: the benchmark's ${budgetMs} ms budget ran out`, e.details);
      }
      throw e;
    }
  };

  const results: BenchSizeResult[] = [];
  for (const [i, n] of sizes.entries()) {
    const beforeSec: number[] = [];
    const afterSec: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const seed = baseSeed + 1000 * i + r;
      const order: ('before' | 'after')[] = r % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
      const pair: Record<'before' | 'after', number> = { before: 0, after: 0 };
      for (const which of order) pair[which] = await runOne(which, n, seed);
      beforeSec.push(pair.before);
      afterSec.push(pair.after);
      done++;
      opts.onProgress?.({ n, repeat: r + 1, repeats, done, total });
    }
    results.push({ n, beforeSec, afterSec, speedup: ratioInterval(beforeSec, afterSec, { seed: baseSeed }) });
  }

  // One size (all sizes equal after dedupe) cannot give a slope; the schema asks for three distinct ones anyway.
  const slopeOf = (pick: (s: BenchSizeResult) => number[]): number =>
    results.length >= 2 ? fitSlope(results.map((s) => ({ n: s.n, sec: median(pick(s)) }))) : 0;
  const largest = results[results.length - 1]!;
  return {
    language: before.language,
    tool: runtime.tool,
    sizes: results,
    slope: { before: slopeOf((s) => s.beforeSec), after: slopeOf((s) => s.afterSec) },
    threshold,
    verdict: verdict(largest.speedup, threshold),
    clock: usedWall ? 'wall' : 'cpu',
    durationMs: Date.now() - started,
  };
}
