// Statistics of the benchmark harness: the speed-up's median and bootstrap interval, the log-log slope, the verdict.
import { EvolveError } from '../../../../common/errors';
import type { RatioInterval } from '../../../../common/perf/types';
import { seededRandom } from './rng';

export type Verdict = 'faster' | 'not-proven' | 'slower';

export interface RatioIntervalOptions {
  /** Two-sided confidence level in (0, 1); 0.95 by default. */
  confidence?: number;
  /** Bootstrap resamples; 4000 by default (enough for stable 2.5 % / 97.5 % percentiles). */
  resamples?: number;
  /** Seed of the resampling, so the same timings always give the same interval. */
  seed?: number;
}

const DEFAULT_CONFIDENCE = 0.95;
const DEFAULT_RESAMPLES = 4000;
const DEFAULT_SEED = 0x5eed;

function checkTimes(name: string, xs: readonly number[]): void {
  for (const x of xs) {
    if (!Number.isFinite(x) || x <= 0) {
      throw new EvolveError('INVALID_ARGUMENT', `${name} holds ${String(x)}: every time must be a positive number`);
    }
  }
}

/** Median of a non-empty array (mean of the two middle values when the count is even). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new EvolveError('INVALID_ARGUMENT', 'median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Linear-interpolated percentile (q in [0, 1]) of an ascending array. */
function percentileSorted(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Rank k of the distribution-free interval [r(k), r(n+1−k)] of a median over n sorted values: the largest k with
 * P(Binomial(n, ½) ≤ k − 1) ≤ tail, so the interval covers the true median with probability ≥ 1 − 2·tail. 0 when even
 * [min, max] falls short (n < 6 at 95 %).
 */
function orderStatisticRank(n: number, tail: number): number {
  let cdf = 0;
  let coef = 1; // C(n, j)
  let k = 0;
  for (let j = 0; j < n; j++) {
    cdf += coef / 2 ** n;
    if (cdf > tail) break;
    k = j + 1;
    coef = (coef * (n - j)) / (j + 1);
  }
  return k;
}

/**
 * Speed-up before/after as the median of the paired ratios and a seeded percentile-bootstrap interval of that median.
 *
 * Paired: repeat i of before and repeat i of after ran back to back on the same input, so drift of the machine (load
 * from other processes, CPU frequency, caches) and the difficulty of that input cancel inside each ratio; comparing
 * the two unpaired samples would count that drift as noise twice. Bootstrap: timing noise is right-skewed and
 * heavy-tailed and there are only a handful of repeats, so a normal-theory (t) interval on a ratio would be wrong;
 * resampling the pairs assumes no distribution, and the median resists the odd slow repeat.
 *
 * With few pairs the percentile bootstrap of a median covers less than it claims (with 3 pairs it is about [min, max],
 * which misses the true median 25 % of the time), so the interval is widened to contain the exact distribution-free
 * order-statistic interval; when the pairs are too few for any such interval to reach `confidence` (fewer than 6 at
 * 95 %), the interval is [min, max] and `confidence` reports what it really has (1 − 2^(1−n)), which verdict() then
 * refuses to call proven.
 */
export function ratioInterval(beforeSec: readonly number[], afterSec: readonly number[], opts: RatioIntervalOptions = {}): RatioInterval {
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE;
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  if (!(confidence > 0 && confidence < 1)) {
    throw new EvolveError('INVALID_ARGUMENT', `confidence must be in (0, 1), got ${String(confidence)}`);
  }
  if (!Number.isInteger(resamples) || resamples < 100) {
    throw new EvolveError('INVALID_ARGUMENT', `resamples must be an integer ≥ 100, got ${String(resamples)}`);
  }
  if (beforeSec.length !== afterSec.length) {
    throw new EvolveError('INVALID_ARGUMENT', `before has ${beforeSec.length} repeats and after ${afterSec.length}: repeats come in pairs`);
  }
  if (beforeSec.length < 2) {
    throw new EvolveError('INVALID_ARGUMENT', `an interval needs at least 2 paired repeats, got ${beforeSec.length}`);
  }
  checkTimes('beforeSec', beforeSec);
  checkTimes('afterSec', afterSec);

  const ratios = beforeSec.map((b, i) => b / afterSec[i]!);
  const random = seededRandom(opts.seed ?? DEFAULT_SEED);
  const medians = new Array<number>(resamples);
  const sample = new Array<number>(ratios.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < ratios.length; i++) sample[i] = ratios[Math.floor(random() * ratios.length)]!;
    medians[r] = median(sample);
  }
  medians.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  const sorted = [...ratios].sort((a, b) => a - b);
  const n = sorted.length;
  const k = orderStatisticRank(n, tail);
  const [exactLow, exactHigh] = k > 0 ? [sorted[k - 1]!, sorted[n - k]!] : [sorted[0]!, sorted[n - 1]!];
  return {
    median: median(ratios),
    low: Math.min(percentileSorted(medians, tail), exactLow),
    high: Math.max(percentileSorted(medians, 1 - tail), exactHigh),
    confidence: k > 0 ? confidence : 1 - 2 ** (1 - n),
    method: 'bootstrap',
  };
}

/**
 * Exponent k of time ∝ n^k: ordinary least squares of log(sec) on log(n). An O(n²) loop gives ~2, O(n log n) a bit
 * over 1 at small n. Needs at least two distinct sizes.
 */
export function fitSlope(points: readonly { n: number; sec: number }[]): number {
  if (points.length < 2) throw new EvolveError('INVALID_ARGUMENT', `a slope needs at least 2 points, got ${points.length}`);
  for (const p of points) {
    if (!Number.isFinite(p.n) || p.n <= 0 || !Number.isFinite(p.sec) || p.sec <= 0) {
      throw new EvolveError('INVALID_ARGUMENT', `point (n=${String(p.n)}, sec=${String(p.sec)}) must be positive`);
    }
  }
  const xs = points.map((p) => Math.log(p.n));
  const ys = points.map((p) => Math.log(p.sec));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  if (sxx === 0) throw new EvolveError('INVALID_ARGUMENT', 'a slope needs at least 2 distinct sizes');
  return sxy / sxx;
}

/** The lab's bar for a proof: a 95 % interval (issue 15). */
export const MIN_VERDICT_CONFIDENCE = 0.95;

/**
 * The lab's bar: 'faster' only when the whole interval is above `threshold` (1.1 = at least 10 % faster), 'slower'
 * when the whole interval is below 1, otherwise 'not-proven' (the interval straddles 1 or the threshold, or it is
 * less sure than `minConfidence`, as ratioInterval reports for too few pairs).
 */
export function verdict(
  interval: Pick<RatioInterval, 'low' | 'high'> & { confidence?: number },
  threshold = 1.1,
  minConfidence = MIN_VERDICT_CONFIDENCE,
): Verdict {
  if (!Number.isFinite(threshold) || threshold < 1) {
    throw new EvolveError('INVALID_ARGUMENT', `threshold must be a number ≥ 1, got ${String(threshold)}`);
  }
  if (interval.confidence !== undefined && interval.confidence < minConfidence - 1e-12) return 'not-proven';
  if (interval.low > threshold) return 'faster';
  if (interval.high < 1) return 'slower';
  return 'not-proven';
}
