// Unit tests of the benchmark statistics: ratio median and bootstrap interval, log-log slope, verdict, bad input.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../../common/errors';
import { fitSlope, median, ratioInterval, verdict } from '../../../../main/services/perf/bench/stats';
import { seededRandom } from '../../../../main/services/perf/bench/rng';

/** Times around `base` with multiplicative noise of ±spread, reproducible for a seed. */
function noisy(base: number, count: number, spread: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => base * (1 + spread * (2 * random() - 1)));
}

function expectInvalid(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EvolveError);
    expect((e as EvolveError).code).toBe('INVALID_ARGUMENT');
    expect((e as EvolveError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected an INVALID_ARGUMENT error');
}

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('ratioInterval', () => {
  it('gives 2 with a tight interval for a clean 2x speed-up', () => {
    const before = noisy(0.2, 7, 0.01, 1);
    const after = before.map((b) => b / 2);
    const r = ratioInterval(before, after);
    expect(r.median).toBeCloseTo(2, 10);
    expect(r.low).toBeCloseTo(2, 10);
    expect(r.high).toBeCloseTo(2, 10);
    expect(r.confidence).toBe(0.95);
    expect(r.method).toBe('bootstrap');
  });

  it('widens the interval with noise and keeps the median near the true ratio', () => {
    const before = noisy(0.2, 9, 0.3, 2);
    const after = noisy(0.1, 9, 0.3, 3);
    const r = ratioInterval(before, after);
    expect(r.median).toBeGreaterThan(1.5);
    expect(r.median).toBeLessThan(2.7);
    expect(r.high - r.low).toBeGreaterThan(0.2);
    expect(r.low).toBeLessThanOrEqual(r.median);
    expect(r.high).toBeGreaterThanOrEqual(r.median);
    const quiet = ratioInterval(noisy(0.2, 9, 0.02, 2), noisy(0.1, 9, 0.02, 3));
    expect(quiet.high - quiet.low).toBeLessThan(r.high - r.low);
  });

  it('pairs repeats: a drift shared by both versions of a pair does not widen the interval', () => {
    // The machine slows down 3x over the run; each after is exactly half of its before.
    const before = [0.1, 0.15, 0.2, 0.25, 0.3];
    const after = before.map((b) => b / 2);
    const r = ratioInterval(before, after);
    expect(r.low).toBeCloseTo(2, 10);
    expect(r.high).toBeCloseTo(2, 10);
  });

  it('is deterministic for a seed and narrower at a lower confidence', () => {
    const before = noisy(1, 7, 0.4, 5);
    const after = noisy(1, 7, 0.4, 6);
    expect(ratioInterval(before, after, { seed: 9 })).toEqual(ratioInterval(before, after, { seed: 9 }));
    const wide = ratioInterval(before, after, { confidence: 0.99 });
    const narrow = ratioInterval(before, after, { confidence: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
    // Same code against itself: the interval contains 1.
    expect(wide.low).toBeLessThan(1);
    expect(wide.high).toBeGreaterThan(1);
  });

  it('widens to the exact order-statistic interval, and reports the real confidence of too few pairs', () => {
    const before = noisy(1, 7, 0.3, 11);
    const after = noisy(1, 7, 0.3, 12);
    const ratios = before.map((b, i) => b / after[i]!);
    const r = ratioInterval(before, after);
    // 7 pairs at 95 %: the distribution-free interval is [min, max] (it covers the median with 1 − 2/128).
    expect(r.low).toBeLessThanOrEqual(Math.min(...ratios));
    expect(r.high).toBeGreaterThanOrEqual(Math.max(...ratios));
    expect(r.confidence).toBe(0.95);
    // 3 pairs can only give [min, max], a 75 % interval: said so, and never a proof however large the speed-up.
    const three = ratioInterval([3, 3.1, 2.9], [1, 1, 1]);
    expect(three.confidence).toBeCloseTo(0.75, 10);
    expect(three.low).toBeCloseTo(2.9, 10);
    expect(verdict(three)).toBe('not-proven');
    expect(verdict(ratioInterval([3, 3.1, 2.9, 3, 3.2, 3.05], [1, 1, 1, 1, 1, 1]))).toBe('faster');
  });

  it('covers the true ratio at least as often as it claims (same code, 7 noisy pairs, 300 trials)', () => {
    let covered = 0;
    for (let t = 0; t < 300; t++) {
      const r = ratioInterval(noisy(1, 7, 0.2, 1000 + t), noisy(1, 7, 0.2, 5000 + t), { resamples: 500 });
      if (r.low <= 1 && r.high >= 1) covered++;
    }
    expect(covered / 300).toBeGreaterThanOrEqual(0.95);
  });

  it('rejects unpaired, too few, non-positive or non-finite times and bad options', () => {
    expectInvalid(() => ratioInterval([1, 2, 3], [1, 2]), /pairs/);
    expectInvalid(() => ratioInterval([1], [1]), /at least 2/);
    expectInvalid(() => ratioInterval([1, 0], [1, 1]), /beforeSec holds 0/);
    expectInvalid(() => ratioInterval([1, 1], [1, Number.NaN]), /afterSec holds NaN/);
    expectInvalid(() => ratioInterval([1, 1], [1, -2]), /positive/);
    expectInvalid(() => ratioInterval([1, 1], [1, 1], { confidence: 1 }), /confidence/);
    expectInvalid(() => ratioInterval([1, 1], [1, 1], { resamples: 10 }), /resamples/);
  });
});

describe('fitSlope', () => {
  const sizes = [100, 200, 400, 800, 1600];

  it('finds ~2 for n² and ~1 for n log n', () => {
    expect(fitSlope(sizes.map((n) => ({ n, sec: 1e-9 * n * n })))).toBeCloseTo(2, 6);
    const nlogn = fitSlope(sizes.map((n) => ({ n, sec: 1e-9 * n * Math.log(n) })));
    expect(nlogn).toBeGreaterThan(1);
    expect(nlogn).toBeLessThan(1.25);
    expect(fitSlope(sizes.map((n) => ({ n, sec: 3e-6 })))).toBeCloseTo(0, 10);
  });

  it('rejects fewer than two points, one distinct size, and non-positive values', () => {
    expectInvalid(() => fitSlope([{ n: 10, sec: 1 }]), /at least 2 points/);
    expectInvalid(
      () =>
        fitSlope([
          { n: 10, sec: 1 },
          { n: 10, sec: 2 },
        ]),
      /distinct/,
    );
    expectInvalid(
      () =>
        fitSlope([
          { n: 10, sec: 0 },
          { n: 20, sec: 2 },
        ]),
      /positive/,
    );
  });
});

describe('verdict', () => {
  it('is faster only when the whole interval clears the threshold', () => {
    expect(verdict({ low: 1.2, high: 2 })).toBe('faster');
    expect(verdict({ low: 1.05, high: 2 })).toBe('not-proven');
    expect(verdict({ low: 1.2, high: 2 }, 1.5)).toBe('not-proven');
  });

  it('is slower only when the whole interval is below 1, else not proven', () => {
    expect(verdict({ low: 0.5, high: 0.9 })).toBe('slower');
    expect(verdict({ low: 0.9, high: 1.05 })).toBe('not-proven');
  });

  it('is not proven when the interval is less sure than 95 %', () => {
    expect(verdict({ low: 2, high: 3, confidence: 0.9 })).toBe('not-proven');
    expect(verdict({ low: 0.2, high: 0.3, confidence: 0.75 })).toBe('not-proven');
    expect(verdict({ low: 2, high: 3, confidence: 0.9 }, 1.1, 0.9)).toBe('faster');
  });

  it('rejects a threshold below 1', () => {
    expectInvalid(() => verdict({ low: 1, high: 1 }, 0.5), /threshold/);
  });
});
