// The benchmark harness on real TypeScript in the sandbox with tinybench: a deliberately slower 'after' (the same
// output, three times the work) is called 'slower'.
import { describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { benchmark } from '../../../../main/services/perf/bench';
import { TS_INPUTS, TS_SET, TS_SET_SLOWER } from './fixtures';

const support = await sandboxSupport();

describe.skipIf(!support.available)('benchmark (TypeScript, tinybench, sandboxed): slower after', () => {
  it("calls a deliberately slower 'after' slower", async () => {
    const r = await benchmark(
      { before: TS_SET, after: TS_SET_SLOWER, inputs: { ...TS_INPUTS, sizes: [500, 1000, 2000] }, repeats: 6 },
      { batchMs: 20 },
    );
    expect(r.verdict, JSON.stringify(r)).toBe('slower');
    expect(r.sizes[2]!.speedup.high, JSON.stringify(r)).toBeLessThan(1);
    expect(r.sizes[2]!.speedup.median, JSON.stringify(r)).toBeLessThan(0.6);
  });
});
