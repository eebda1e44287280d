// The benchmark harness on real Python in the sandbox with pyperf: the same code against itself is not proven faster
// (its own file so each file stays short on a loaded machine).
import { describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { benchmark } from '../../../../main/services/perf/bench';
import { PY_INPUTS, PY_SET } from './fixtures';

const support = await sandboxSupport();

describe.skipIf(!support.available)('benchmark (Python, pyperf, sandboxed): same code', () => {
  it('does not prove the same code faster than itself', async () => {
    const r = await benchmark(
      { before: PY_SET, after: PY_SET, inputs: { ...PY_INPUTS, sizes: [50, 100, 200] }, repeats: 6 },
      { batchMs: 20 },
    );
    // With 6 pairs the interval is [min, max] of the ratios: it contains the true ratio (1 here) with probability
    // 1 − 2/64, not always, so asserting that would be a flaky test. What must hold every time: nothing is proven
    // faster and the interval sits around 1 (overlapping [0.95, 1.05]).
    expect(r.verdict, JSON.stringify(r)).not.toBe('faster');
    const s = r.sizes[2]!.speedup;
    expect(s.median, JSON.stringify(r)).toBeGreaterThan(0.8);
    expect(s.median, JSON.stringify(r)).toBeLessThan(1.25);
    expect(s.low, JSON.stringify(r)).toBeLessThan(1.05);
    expect(s.high, JSON.stringify(r)).toBeGreaterThan(0.95);
  });
});
