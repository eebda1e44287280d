// Geometry of the before/after chart, as a pure function of a BenchResult (so tests check bars and error bars
// without a DOM): per size the two median times on a log axis, below them the speed-up interval against the bar.
import { formatRange, formatRatio, OFFER_MIN_SPEEDUP } from '../../../../common/perf/offer';
import type { BenchResult } from '../../../../common/perf/types';

export const CHART_WIDTH = 560;
const PAD = { l: 64, r: 16 };
const TIME = { top: 12, bottom: 188 };
const SPEED = { top: 240, bottom: 376 };
export const CHART_HEIGHT = SPEED.bottom + 28;

export interface TimeBar {
  n: number;
  version: 'before' | 'after';
  medianSec: number;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface SpeedupMark {
  n: number;
  median: number;
  low: number;
  high: number;
  x: number;
  yMedian: number;
  yLow: number;
  yHigh: number;
  /** The whole interval lies above the bar. */
  clears: boolean;
}
export interface Tick {
  y: number;
  label: string;
}
export interface SpeedupChartModel {
  groups: { n: number; x: number }[];
  bars: TimeBar[];
  timeTicks: Tick[];
  marks: SpeedupMark[];
  speedTicks: Tick[];
  /** The bar the interval must clear (the larger of the run's threshold and the lab's floor). */
  bar: number;
  barY: number;
  /** y of the "same speed" line (1×). */
  oneY: number;
  plot: { left: number; right: number; timeTop: number; timeBottom: number; speedTop: number; speedBottom: number };
  /** "before ~n^2.0, after ~n^1.0" */
  slopes: string;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Maps [d0, d1] to [r0, r1] on a log axis (d0 maps to r0); a degenerate domain is widened by a factor of 10 each way. */
export function logScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  let [a, b] = [Math.log10(d0), Math.log10(d1)];
  if (!(b - a > 1e-12)) [a, b] = [a - 1, b + 1];
  return (v: number) => r0 + ((Math.log10(v) - a) / (b - a)) * (r1 - r0);
}

/** 2.5e-7 → "250 ns", 0.012 → "12 ms", 3 → "3 s". */
export function formatSeconds(s: number): string {
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : String(Number(v.toPrecision(2))));
  if (s < 1e-6) return `${fmt(s * 1e9)} ns`;
  if (s < 1e-3) return `${fmt(s * 1e6)} µs`;
  if (s < 1) return `${fmt(s * 1e3)} ms`;
  return `${fmt(s)} s`;
}

export function formatSlopes(slope: BenchResult['slope']): string {
  return `before ~n^${slope.before.toFixed(1)}, after ~n^${slope.after.toFixed(1)}`;
}

export function speedupChartModel(bench: BenchResult): SpeedupChartModel {
  const sizes = [...bench.sizes].sort((a, b) => a.n - b.n);
  const left = PAD.l;
  const right = CHART_WIDTH - PAD.r;
  const band = (right - left) / sizes.length;
  const groups = sizes.map((s, i) => ({ n: s.n, x: left + band * (i + 0.5) }));

  const medians = sizes.map((s) => ({ n: s.n, before: median(s.beforeSec), after: median(s.afterSec) }));
  const all = medians.flatMap((m) => [m.before, m.after]);
  // Whole decades, so the gridlines read 1 ms, 10 ms, …; the bottom decade lies below the smallest bar so it shows.
  const t0 = 10 ** Math.floor(Math.log10(Math.min(...all)) - 1e-9);
  const t1 = 10 ** Math.ceil(Math.log10(Math.max(...all)) + 1e-9);
  const ty = logScale(t0, t1, TIME.bottom, TIME.top);
  const timeTicks: Tick[] = [];
  for (let e = Math.round(Math.log10(t0)); e <= Math.round(Math.log10(t1)); e++)
    timeTicks.push({ y: ty(10 ** e), label: formatSeconds(10 ** e) });
  const barWidth = Math.min(36, band * 0.32);
  const bars: TimeBar[] = medians.flatMap((m, i) => {
    const cx = groups[i]?.x ?? left;
    return (['before', 'after'] as const).map((version, k) => {
      const v = m[version];
      const y = ty(v);
      return { n: m.n, version, medianSec: v, x: cx + (k === 0 ? -barWidth - 2 : 2), y, width: barWidth, height: TIME.bottom - y };
    });
  });

  const bar = Math.max(bench.threshold, OFFER_MIN_SPEEDUP);
  const lows = sizes.map((s) => s.speedup.low);
  const highs = sizes.map((s) => s.speedup.high);
  const s0 = Math.min(...lows, 1) / 1.25;
  const s1 = Math.max(...highs, bar) * 1.25;
  const sy = logScale(s0, s1, SPEED.bottom, SPEED.top);
  const marks: SpeedupMark[] = sizes.map((s, i) => ({
    n: s.n,
    median: s.speedup.median,
    low: s.speedup.low,
    high: s.speedup.high,
    x: groups[i]?.x ?? left,
    yMedian: sy(s.speedup.median),
    yLow: sy(s.speedup.low),
    yHigh: sy(s.speedup.high),
    clears: s.speedup.low > bar,
  }));
  const speedTicks: Tick[] = [s0 * 1.25, s1 / 1.25]
    .filter((v, i, a) => a.indexOf(v) === i)
    .map((v) => ({ y: sy(v), label: `${formatRatio(v)}×` }));
  return {
    groups,
    bars,
    timeTicks,
    marks,
    speedTicks,
    bar,
    barY: sy(bar),
    oneY: sy(1),
    plot: { left, right, timeTop: TIME.top, timeBottom: TIME.bottom, speedTop: SPEED.top, speedBottom: SPEED.bottom },
    slopes: formatSlopes(bench.slope),
  };
}

/** One line per size for screen readers and the table under the chart. */
export function describeMark(m: SpeedupMark): string {
  return `n = ${m.n}: ${formatRatio(m.median)}× (${formatRange(m.low, m.high)})${m.clears ? '' : ', not clear of the bar'}`;
}
