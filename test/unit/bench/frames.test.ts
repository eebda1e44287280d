// Unit: the pure helpers behind bench:renderer and bench:startup — frame/long-task overlap, percentiles, /proc parsing, subtree RSS.
import { describe, expect, it } from 'vitest';
import { frameStats, percentile } from '../../../bench/lib/frames';
import { median, parseStatPpid, parseStatusRssKiB, subtree, sumRssMiB, type ProcInfo } from '../../../bench/lib/proc-tree';

describe('frameStats', () => {
  it('counts a frame as janky only when a long task intersects its interval', () => {
    const raf = [0, 16, 32, 48, 120, 136];
    // 50..110 lies inside the 48..120 interval only; a task ending exactly at 16 touches but does not overlap 16..32.
    const s = frameStats(raf, [
      { start: 50, duration: 60 },
      { start: -40, duration: 56 },
    ]);
    expect(s.frames).toBe(5);
    expect(s.cleanFrames).toBe(3); // 0..16 overlaps the first task (−40..16), 48..120 overlaps the second
    expect(s.cleanPct).toBeCloseTo(60);
    expect(s.longTasks).toBe(2);
    expect(s.longestTaskMs).toBe(60);
    expect(s.maxFrameMs).toBe(72);
  });

  it('ignores long tasks outside the recorded window and handles unsorted input', () => {
    const s = frameStats([32, 0, 16], [{ start: 500, duration: 80 }]);
    expect(s).toMatchObject({ frames: 2, cleanFrames: 2, cleanPct: 100, longTasks: 0, longestTaskMs: 0 });
  });

  it('one long task spanning many frames marks each of them', () => {
    const raf = Array.from({ length: 11 }, (_, i) => i * 10);
    expect(frameStats(raf, [{ start: 15, duration: 50 }]).cleanFrames).toBe(10 - 6);
  });

  it('no frames is 100 % clean, not NaN', () => {
    expect(frameStats([], []).cleanPct).toBe(100);
    expect(frameStats([5], []).frames).toBe(0);
  });
});

describe('percentile and median', () => {
  it('uses nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 95)).toBe(0);
  });
  it('median of odd and even lists', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('/proc parsing and process subtrees', () => {
  it('reads the parent pid even when the command name has spaces and parentheses', () => {
    expect(parseStatPpid('1234 (node (worker) x) S 999 1234 1234 0 -1')).toBe(999);
  });
  it('reads VmRSS, 0 when absent', () => {
    expect(parseStatusRssKiB('Name:\tnode\nVmHWM:\t  9000 kB\nVmRSS:\t  4096 kB\n')).toBe(4096);
    expect(parseStatusRssKiB('Name:\tkthreadd\n')).toBe(0);
  });
  it('sums a subtree and leaves out unrelated processes', () => {
    const procs: ProcInfo[] = [
      { pid: 10, ppid: 1, rssKiB: 1024, cmd: 'host' },
      { pid: 11, ppid: 10, rssKiB: 2048, cmd: 'worker a' },
      { pid: 12, ppid: 11, rssKiB: 1024, cmd: 'grandchild' },
      { pid: 20, ppid: 1, rssKiB: 99_999, cmd: 'other' },
    ];
    const tree = subtree(procs, 10);
    expect(tree.map((p) => p.pid).sort()).toEqual([10, 11, 12]);
    expect(sumRssMiB(tree)).toBe(4);
    expect(subtree(procs, 404)).toEqual([]);
  });
});
