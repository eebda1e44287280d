// The benchmark harness on real Python in the sandbox with pyperf: quadratic → set dedupe is proven faster with
// slopes ~2 vs ~1, with progress reported per pair (the same code against itself: python-self.test.ts).
import { describe, expect, it } from 'vitest';
import { BenchResultSchema } from '../../../../common/perf/types';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { benchmark, type BenchProgress } from '../../../../main/services/perf/bench';
import { PY_INPUTS, PY_QUADRATIC, PY_SET } from './fixtures';

const support = await sandboxSupport();

describe.skipIf(!support.available)('benchmark (Python, pyperf, sandboxed)', () => {
  it('proves a quadratic → set-based dedupe faster, with slopes ~2 and ~1', async () => {
    const progress: BenchProgress[] = [];
    const r = await benchmark(
      { before: PY_QUADRATIC, after: PY_SET, inputs: PY_INPUTS, repeats: 6 },
      { batchMs: 20, onProgress: (p) => progress.push(p) },
    );
    expect(BenchResultSchema.parse(r)).toEqual(r);
    expect(r.tool).toBe('pyperf');
    expect(r.verdict, JSON.stringify(r)).toBe('faster');
    expect(r.sizes.map((s) => s.n)).toEqual([100, 200, 400]);
    for (const s of r.sizes) {
      expect(s.beforeSec).toHaveLength(6);
      expect(s.afterSec).toHaveLength(6);
    }
    expect(r.sizes[2]!.speedup.low, JSON.stringify(r)).toBeGreaterThan(3);
    expect(r.slope.before, JSON.stringify(r)).toBeGreaterThan(1.6);
    expect(r.slope.before, JSON.stringify(r)).toBeLessThan(2.4);
    expect(r.slope.after, JSON.stringify(r)).toBeGreaterThan(0.6);
    expect(r.slope.after, JSON.stringify(r)).toBeLessThan(1.4);
    expect(progress).toHaveLength(18);
    expect(progress[0]).toEqual({ n: 100, repeat: 1, repeats: 6, done: 1, total: 18 });
    expect(progress[17]).toEqual({ n: 400, repeat: 6, repeats: 6, done: 18, total: 18 });
  });
});
