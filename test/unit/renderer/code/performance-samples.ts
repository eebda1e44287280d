// Wire-shaped samples for the performance panel's unit tests: a small profile and a report with one proven and one
// rejected suggestion (figures of the kind the lab produced on py-dedupe-keep-order).
import type { OptimizeReport } from '../../../../common/perf/optimize';
import type { BenchResult, ProfileResult } from '../../../../common/perf/types';

export const PROFILE: ProfileResult = {
  profile: {
    language: 'python',
    tool: 'pyinstrument',
    frames: [{ name: '<module>' }, { name: 'dedupe_emails', file: 'module.py', line: 4 }],
    samples: [[0, 1], [0, 1], [0]],
    weightsMs: [40, 50, 2],
    totalMs: 92,
  },
  hot: [
    { name: 'dedupe_emails', file: 'module.py', line: 4, selfMs: 90, totalMs: 90, selfPercent: 97.8 },
    { name: '<module>', selfMs: 2, totalMs: 92, selfPercent: 2.2 },
  ],
  durationMs: 800,
};

const ci = (median: number, low: number, high: number) => ({ median, low, high, confidence: 0.95, method: 'bootstrap' as const });
const size = (n: number, before: number, after: number, r: ReturnType<typeof ci>) => ({
  n,
  beforeSec: [before, before * 1.02, before * 0.98, before, before, before * 1.01],
  afterSec: [after, after * 1.01, after * 0.99, after, after, after * 1.02],
  speedup: r,
});

export const BENCH: BenchResult = {
  language: 'python',
  tool: 'pyperf',
  sizes: [size(1000, 0.009, 0.0009, ci(10, 9, 11)), size(3000, 0.08, 0.0027, ci(30, 28, 32)), size(8000, 0.57, 0.005, ci(114, 105, 122))],
  slope: { before: 1.96, after: 1.08 },
  threshold: 1.1,
  verdict: 'faster',
  clock: 'cpu',
  durationMs: 30_000,
};

const BEFORE = {
  language: 'python' as const,
  files: { 'module.py': 'def dedupe_emails(emails):\n    return emails\n' },
  module: 'module.py',
  function: 'dedupe_emails',
};
const HUNK = { id: 'h1', oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-    seen = []', '+    seen = set()'] };

export const REPORT: OptimizeReport = {
  before: BEFORE,
  inputs: { source: 'def make_input(n, seed):\n    return ([],)\n', sizes: [1000, 3000, 8000] },
  inputsWrittenByModel: false,
  profile: PROFILE,
  suggestions: [
    {
      index: 0,
      generationId: 'gen-proven',
      diffs: [{ path: 'module.py', hunks: [HUNK] }],
      tests: null,
      equivalence: {
        status: 'equivalent',
        tool: 'hypothesis',
        examples: 100,
        coverage: { branches: { covered: 4, total: 4, percent: 100 }, lines: { covered: 9, total: 9, percent: 100 } },
        durationMs: 4000,
      },
      bench: BENCH,
      decision: {
        offered: true,
        outcome: 'proven',
        cause: 'proven',
        label: 'Proven 114× (105–122×, 95 %)',
        reason: 'Equivalent on 100 generated inputs, and 114× faster at n = 8000 (95 % interval 105–122×).',
      },
    },
    {
      index: 1,
      generationId: 'gen-wrong',
      diffs: [],
      tests: null,
      equivalence: {
        status: 'different',
        tool: 'hypothesis',
        examples: 3,
        counterexample: { input: "(['a', 'A'],)", before: "['a']", after: "['A']" },
        durationMs: 900,
      },
      decision: {
        offered: false,
        outcome: 'rejected',
        cause: 'behaviour',
        label: 'Rejected: behaves differently',
        reason: "Rejected: on (['a', 'A'],) the original returns ['a'] and the proposal ['A'].",
      },
    },
  ],
  offered: 0,
  durationMs: 95_000,
};
