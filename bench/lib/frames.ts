// Pure frame statistics for bench:renderer: which requestAnimationFrame intervals overlapped a long task
// (PerformanceObserver 'longtask'), the share of clean frames, the longest task and the p95 frame interval.

/** A long task as the page reported it: start time and duration, in ms on the page's performance clock. */
export interface LongTask {
  start: number;
  duration: number;
}

export interface FrameStats {
  /** Frame intervals seen (one fewer than the rAF timestamps). */
  frames: number;
  /** Intervals that did not overlap any long task. */
  cleanFrames: number;
  /** cleanFrames / frames × 100 (100 when there were no frames to judge: nothing was janky). */
  cleanPct: number;
  longTasks: number;
  longestTaskMs: number;
  p95FrameMs: number;
  maxFrameMs: number;
}

/** Nearest-rank percentile of `xs` (0 for an empty list). */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? 0;
}

/**
 * Frame interval i is [t(i-1), t(i)]; it is "janky" when any long task [start, start+duration] intersects it
 * (open intervals: a task that ends exactly when a frame starts does not count). Only tasks that overlap the
 * window [first, last rAF] are counted in longTasks / longestTaskMs.
 */
export function frameStats(rafTimestamps: readonly number[], tasks: readonly LongTask[]): FrameStats {
  const ts = [...rafTimestamps].sort((a, b) => a - b);
  const sortedTasks = [...tasks].sort((a, b) => a.start - b.start);
  const first = ts[0] ?? 0;
  const last = ts[ts.length - 1] ?? 0;
  const inWindow = sortedTasks.filter((t) => t.start < last && t.start + t.duration > first);
  const intervals: number[] = [];
  let clean = 0;
  let k = 0; // first task that may still overlap the current or a later interval
  for (let i = 1; i < ts.length; i++) {
    const a = ts[i - 1] ?? 0;
    const b = ts[i] ?? 0;
    intervals.push(b - a);
    while (k < inWindow.length && (inWindow[k]?.start ?? 0) + (inWindow[k]?.duration ?? 0) <= a) k++;
    let overlaps = false;
    for (let j = k; j < inWindow.length; j++) {
      const t = inWindow[j];
      if (!t || t.start >= b) break;
      if (t.start + t.duration > a) {
        overlaps = true;
        break;
      }
    }
    if (!overlaps) clean++;
  }
  const frames = intervals.length;
  return {
    frames,
    cleanFrames: clean,
    cleanPct: frames === 0 ? 100 : (clean / frames) * 100,
    longTasks: inWindow.length,
    longestTaskMs: inWindow.reduce((m, t) => Math.max(m, t.duration), 0),
    p95FrameMs: percentile(intervals, 95),
    maxFrameMs: intervals.reduce((m, x) => Math.max(m, x), 0),
  };
}
