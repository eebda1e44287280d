// The benchmark harness on real TypeScript in the sandbox with tinybench: a quadratic → Set dedupe (a class method,
// an import between files) is proven faster with slopes ~2 vs ~1 (a slower 'after': typescript-slower.test.ts).
import { describe, expect, it } from 'vitest';
import { BenchResultSchema } from '../../../../common/perf/types';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { benchmark } from '../../../../main/services/perf/bench';
import { TS_INPUTS, TS_QUADRATIC, TS_SET } from './fixtures';

const support = await sandboxSupport();

describe.skipIf(!support.available)('benchmark (TypeScript, tinybench, sandboxed)', () => {
  it('proves a quadratic → Set dedupe faster, with slopes ~2 and ~1', async () => {
    const r = await benchmark({ before: TS_QUADRATIC, after: TS_SET, inputs: TS_INPUTS, repeats: 6 }, { batchMs: 20 });
    expect(BenchResultSchema.parse(r)).toEqual(r);
    expect(r.tool).toBe('tinybench');
    expect(r.language).toBe('typescript');
    expect(r.verdict, JSON.stringify(r)).toBe('faster');
    expect(r.sizes[2]!.speedup.low, JSON.stringify(r)).toBeGreaterThan(2);
    expect(r.slope.before, JSON.stringify(r)).toBeGreaterThan(1.5);
    expect(r.slope.before, JSON.stringify(r)).toBeLessThan(2.5);
    expect(r.slope.after, JSON.stringify(r)).toBeGreaterThan(0.5);
    expect(r.slope.after, JSON.stringify(r)).toBeLessThan(1.5);
  });
});
