// The benchmark harness on async TypeScript: an async function is awaited call by call and timed by the wall clock
// (CPU time cannot see a wait), so dropping a 2 ms wait shows as a large speed-up.
import { describe, expect, it } from 'vitest';
import type { CodeVersion } from '../../../../common/perf/types';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { benchmark } from '../../../../main/services/perf/bench';
import { TS_INPUTS } from './fixtures';

const support = await sandboxSupport();

const waits: CodeVersion = {
  language: 'typescript',
  module: 'fetcher.ts',
  function: 'load',
  files: {
    'fetcher.ts':
      'export async function load(xs: number[]): Promise<number> {\n  await new Promise((r) => setTimeout(r, 2));\n  return xs.length;\n}\n',
  },
};
const noWait: CodeVersion = {
  ...waits,
  files: { 'fetcher.ts': 'export async function load(xs: number[]): Promise<number> {\n  return xs.length;\n}\n' },
};

describe.skipIf(!support.available)('benchmark (async TypeScript, wall clock)', () => {
  it('times async code by the wall clock and sees a removed wait', async () => {
    const r = await benchmark({ before: waits, after: noWait, inputs: { ...TS_INPUTS, sizes: [10, 20, 40] }, repeats: 3 }, { batchMs: 20 });
    expect(r.clock, JSON.stringify(r)).toBe('wall');
    for (const s of r.sizes) expect(Math.min(...s.beforeSec), JSON.stringify(r)).toBeGreaterThan(0.0015);
    expect(r.sizes[2]!.speedup.median, JSON.stringify(r)).toBeGreaterThan(5);
    // Three pairs cannot prove anything at 95 %: the harness says so rather than claiming 'faster'.
    expect(r.sizes[2]!.speedup.confidence).toBeCloseTo(0.75, 10);
    expect(r.verdict).toBe('not-proven');
  });
});
