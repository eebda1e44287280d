// The benchmark harness on real TypeScript in the sandbox with tinybench: a quadratic → Set dedupe (a class method,
// an import between files) is proven faster with slopes ~2 vs ~1; a deliberately slower 'after' is 'slower'.
import { describe, expect, it } from 'vitest';
import { BenchResultSchema } from '../../../../common/perf/types';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { benchmark } from '../../../../main/services/perf/bench';
import { TS_INPUTS, TS_QUADRATIC, TS_SET, TS_SET_SLOWER } from './fixtures';

const support = await sandboxSupport();

describe.skipIf(!support.available)('benchmark (TypeScript, tinybench, sandboxed)', () => {
  it('proves a quadratic → Set dedupe faster, with slopes ~2 and ~1', async () => {
    const r = await benchmark({ before: TS_QUADRATIC, after: TS_SET, inputs: TS_INPUTS, repeats: 3 }, { batchMs: 15 });
    expect(BenchResultSchema.parse(r)).toEqual(r);
    expect(r.tool).toBe('tinybench');
    expect(r.language).toBe('typescript');
    expect(r.verdict).toBe('faster');
    expect(r.sizes[2]!.speedup.low).toBeGreaterThan(2);
    expect(r.slope.before).toBeGreaterThan(1.5);
    expect(r.slope.before).toBeLessThan(2.5);
    expect(r.slope.after).toBeGreaterThan(0.5);
    expect(r.slope.after).toBeLessThan(1.5);
  });

  it("calls a deliberately slower 'after' slower", async () => {
    const r = await benchmark(
      { before: TS_SET, after: TS_SET_SLOWER, inputs: { ...TS_INPUTS, sizes: [500, 1000, 2000] }, repeats: 3 },
      { batchMs: 15 },
    );
    expect(r.verdict).toBe('slower');
    expect(r.sizes[2]!.speedup.high).toBeLessThan(1);
    expect(r.sizes[2]!.speedup.median).toBeLessThan(0.6);
  });
});
