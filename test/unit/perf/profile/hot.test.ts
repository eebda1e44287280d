// hotFunctions on hand-made profiles: self vs total, recursion counted once per sample, order, limit, percent.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../../common/perf/types';
import { hotFunctions } from '../../../../main/services/perf/profile';

const profile = (frames: Profile['frames'], samples: number[][], weightsMs: number[]): Profile => ({
  language: 'python',
  tool: 'pyinstrument',
  frames,
  samples,
  weightsMs,
  totalMs: weightsMs.reduce((a, b) => a + b, 0),
});

describe('hotFunctions', () => {
  it('splits self from total time and sorts by self time', () => {
    const p = profile(
      [
        { name: 'main', file: 'app.py', line: 1 },
        { name: 'slow', file: 'app.py', line: 5 },
        { name: 'fast', file: 'app.py', line: 9 },
      ],
      [[0, 1], [0, 2], [0]],
      [60, 10, 30],
    );
    expect(hotFunctions(p)).toEqual([
      { name: 'slow', file: 'app.py', line: 5, selfMs: 60, totalMs: 60, selfPercent: 60 },
      { name: 'main', file: 'app.py', line: 1, selfMs: 30, totalMs: 100, selfPercent: 30 },
      { name: 'fast', file: 'app.py', line: 9, selfMs: 10, totalMs: 10, selfPercent: 10 },
    ]);
  });

  it('does not double-count the total time of a recursive function', () => {
    // fib → fib → fib (leaf) for 40 ms, fib → fib for 10 ms: fib's total is 50, not 40·3 + 10·2.
    const p = profile(
      [{ name: 'main' }, { name: 'fib', file: 'f.ts', line: 2 }],
      [
        [0, 1, 1, 1],
        [0, 1, 1],
      ],
      [40, 10],
    );
    const fib = hotFunctions(p).find((h) => h.name === 'fib');
    expect(fib).toMatchObject({ selfMs: 50, totalMs: 50, selfPercent: 100 });
    expect(hotFunctions(p).find((h) => h.name === 'main')).toMatchObject({ selfMs: 0, totalMs: 50 });
  });

  it('keeps the top `limit` rows and leaves out frames with no time', () => {
    const p = profile([{ name: 'a' }, { name: 'b' }, { name: 'never' }, { name: 'c' }], [[0], [1], [3]], [3, 2, 1]);
    expect(hotFunctions(p, 2).map((h) => h.name)).toEqual(['a', 'b']);
    expect(hotFunctions(p).map((h) => h.name)).toEqual(['a', 'b', 'c']);
  });

  it('returns an empty table for an empty profile and ignores frame indices out of range', () => {
    expect(hotFunctions(profile([], [], []))).toEqual([]);
    const p = profile([{ name: 'a' }], [[0, 7]], [5]);
    expect(hotFunctions(p)).toEqual([{ name: 'a', selfMs: 0, totalMs: 5, selfPercent: 0 }]);
  });
});
