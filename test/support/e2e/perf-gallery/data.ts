// Fixed inputs of the performance parts gallery: a small profile, its hot functions, a proven benchmark.
import type { BenchResult, EquivalenceResult, HotFunction, Profile } from '../../../../common/perf/types';

export const PROFILE: Profile = {
  language: 'python',
  tool: 'pyinstrument',
  frames: [
    { name: 'main', file: 'app.py', line: 1 },
    { name: 'parse', file: 'app.py', line: 10 },
    { name: 'sort_items', file: 'app.py', line: 20 },
    { name: 'len' },
  ],
  samples: [
    [0, 1, 3],
    [0, 1],
    [0, 2],
    [0, 2],
  ],
  weightsMs: [2, 4, 10, 5],
  totalMs: 21,
};

export const HOT: HotFunction[] = [
  { name: 'parse', file: 'app.py', line: 10, selfMs: 4, totalMs: 6, selfPercent: 19, calls: 3 },
  { name: 'sort_items', file: 'app.py', line: 20, selfMs: 15, totalMs: 15, selfPercent: 71.4, calls: 1 },
  { name: 'len', selfMs: 2, totalMs: 2, selfPercent: 9.5, calls: 9000 },
];

const ci = (median: number, low: number, high: number) => ({ median, low, high, confidence: 0.95, method: 'bootstrap' as const });

export const BENCH: BenchResult = {
  language: 'python',
  tool: 'pyperf',
  sizes: [
    { n: 100, beforeSec: [0.0002, 0.0002], afterSec: [0.0001, 0.0001], speedup: ci(1.5, 1.0, 2.0) },
    { n: 1000, beforeSec: [0.011], afterSec: [0.0011], speedup: ci(10, 9, 11) },
    { n: 10000, beforeSec: [1.1], afterSec: [0.011], speedup: ci(100, 90, 110) },
  ],
  slope: { before: 2, after: 1 },
  threshold: 1.1,
  verdict: 'faster',
  durationMs: 5000,
};

export const EQUIVALENT: EquivalenceResult = { status: 'equivalent', tool: 'hypothesis', examples: 200, durationMs: 800 };
