// The before/after chart: median bars on a log axis (before taller than after when faster), the speed-up interval
// drawn from low to high around its median, the bar line between, the slopes caption, and a not-proven size marked.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../../common/perf/types';
import { SpeedupChart } from '../../../../renderer/features/code/performance/SpeedupChart';
import { formatSeconds, logScale, median, speedupChartModel } from '../../../../renderer/features/code/performance/speedup-model';

const ci = (median: number, low: number, high: number) => ({ median, low, high, confidence: 0.95, method: 'bootstrap' as const });

const BENCH: BenchResult = {
  language: 'python',
  tool: 'pyperf',
  // Out of order on purpose: the chart orders sizes by n.
  sizes: [
    { n: 1000, beforeSec: [0.01, 0.012, 0.011], afterSec: [0.001, 0.0012, 0.0011], speedup: ci(10, 9, 11) },
    { n: 100, beforeSec: [0.0001, 0.0002], afterSec: [0.0001, 0.0001], speedup: ci(1.5, 1.0, 2.0) },
    { n: 10000, beforeSec: [1.0, 1.2, 1.1], afterSec: [0.01, 0.012, 0.011], speedup: ci(100, 90, 110) },
  ],
  slope: { before: 2.04, after: 0.98 },
  threshold: 1.1,
  verdict: 'faster',
  durationMs: 5000,
};

describe('speedupChartModel', () => {
  const m = speedupChartModel(BENCH);

  it('orders sizes by n and draws a before and an after bar per size at the medians', () => {
    expect(m.groups.map((g) => g.n)).toEqual([100, 1000, 10000]);
    expect(m.bars.map((b) => `${b.version}@${b.n}`)).toEqual([
      'before@100',
      'after@100',
      'before@1000',
      'after@1000',
      'before@10000',
      'after@10000',
    ]);
    const at = (v: 'before' | 'after', n: number) => m.bars.find((b) => b.version === v && b.n === n)!;
    expect(at('before', 1000).medianSec).toBe(0.011);
    expect(at('after', 100).medianSec).toBe(0.0001);
    expect(at('before', 100).medianSec).toBeCloseTo(0.00015);
    // Log axis: 100× apart in time is two decades, the same height difference wherever it sits.
    expect(at('before', 10000).height - at('after', 10000).height).toBeCloseTo(2 * (m.timeTicks[0]!.y - m.timeTicks[1]!.y), 6);
    for (const b of m.bars) expect(b.y + b.height).toBeCloseTo(m.plot.timeBottom);
  });

  it('puts decade gridlines around all medians', () => {
    expect(m.timeTicks.map((t) => t.label)).toEqual(['10 µs', '100 µs', '1 ms', '10 ms', '100 ms', '1 s', '10 s']);
  });

  it('draws each interval from low to high around its median and marks which clear the bar', () => {
    for (const k of m.marks) {
      expect(k.yHigh).toBeLessThan(k.yMedian); // higher speed-up is further up (smaller y)
      expect(k.yMedian).toBeLessThan(k.yLow);
    }
    expect(m.marks.map((k) => [k.n, k.clears])).toEqual([
      [100, false],
      [1000, true],
      [10000, true],
    ]);
    const small = m.marks[0]!;
    expect(small.yLow).toBeGreaterThan(m.barY); // its low end (1.0×) lies below the 1.1× bar
    expect(m.marks[1]!.yLow).toBeLessThan(m.barY);
    expect(m.oneY).toBeGreaterThan(m.barY);
    expect(m.bar).toBe(1.1);
    expect(m.slopes).toBe('before ~n^2.0, after ~n^1.0');
  });
});

describe('SpeedupChart markup', () => {
  it('renders bars, intervals, the bar line and a table for screen readers', () => {
    const html = renderToString(<SpeedupChart bench={BENCH} />);
    expect(html.match(/data-testid="perf-bar-before"/g)).toHaveLength(3);
    expect(html.match(/data-testid="perf-bar-after"/g)).toHaveLength(3);
    expect(html.match(/data-testid="perf-interval"/g)).toHaveLength(3);
    expect(html).toContain('data-testid="perf-threshold"');
    expect(html).toContain('<title>before, n = 1000: 11 ms</title>');
    expect(html).toContain('before ~n^2.0, after ~n^1.0');
    expect(html).toContain('n = 100: 1.50× (1.00–2.00×), not clear of the bar');
    expect(html).toMatch(/role="img" aria-label="Before and after \(pyperf\): before ~n\^2\.0, after ~n\^1\.0; verdict faster/);
  });
});

describe('edge cases', () => {
  it('draws one size with equal times and a speed-up of exactly 1 with finite geometry', () => {
    const one: BenchResult = {
      ...BENCH,
      sizes: [{ n: 50, beforeSec: [0.01], afterSec: [0.01], speedup: ci(1, 1, 1) }],
      verdict: 'not-proven',
    };
    const m = speedupChartModel(one);
    const numbers = [...m.bars.flatMap((b) => [b.x, b.y, b.height]), ...m.marks.flatMap((k) => [k.yLow, k.yHigh]), m.barY, m.oneY];
    expect(numbers.every(Number.isFinite)).toBe(true);
    expect(m.bars[0]!.height).toBeCloseTo(m.bars[1]!.height);
    expect(m.marks[0]!.clears).toBe(false);
  });

  it('shows a typed message instead of a chart for a malformed result', () => {
    const html = renderToString(<SpeedupChart bench={{ ...BENCH, sizes: [] }} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('Malformed benchmark result');
    expect(html).not.toContain('perf-bar-before');
  });
});

describe('helpers', () => {
  it('median, log scale and seconds formatting', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const s = logScale(1, 100, 0, 200);
    expect([s(1), s(10), s(100)]).toEqual([0, 100, 200]);
    expect(Number.isFinite(logScale(5, 5, 0, 10)(5))).toBe(true);
    expect([2.5e-7, 0.0123, 3, 0.5].map(formatSeconds)).toEqual(['250 ns', '12.3 ms', '3 s', '500 ms']);
  });
});
