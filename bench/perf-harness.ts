// Benchmark of the performance lab's benchmark harness at its real settings (7 pairs, 50 ms batches, CPU clock):
// quadratic → set dedupe in Python and TypeScript, and the same code against itself. Prints each size's speed-up
// interval, the slopes, the verdict and the wall time. Goal: each run under 90 s on an idle 2-core machine.
// Run: npm run bench:perf-harness
import { loadavg } from 'node:os';
import type { BenchResult, CodeVersion, InputGenerator } from '../common/perf/types';
import { sandboxSupport } from '../main/services/codegen/sandbox';
import { benchmark } from '../main/services/perf/bench';
import { PY_INPUTS, PY_QUADRATIC, PY_SET, TS_INPUTS, TS_QUADRATIC, TS_SET } from '../test/integration/perf/bench/fixtures';

const GOAL_MS = 90_000;

const CASES: { name: string; before: CodeVersion; after: CodeVersion; inputs: InputGenerator }[] = [
  { name: 'python quadratic → set', before: PY_QUADRATIC, after: PY_SET, inputs: { ...PY_INPUTS, sizes: [250, 500, 1000] } },
  { name: 'python set vs itself', before: PY_SET, after: PY_SET, inputs: { ...PY_INPUTS, sizes: [250, 500, 1000] } },
  { name: 'typescript quadratic → Set', before: TS_QUADRATIC, after: TS_SET, inputs: { ...TS_INPUTS, sizes: [500, 1000, 2000] } },
];

function line(name: string, r: BenchResult): string {
  const sizes = r.sizes
    .map((s) => `n=${s.n}: ${s.speedup.median.toFixed(2)}× [${s.speedup.low.toFixed(2)}, ${s.speedup.high.toFixed(2)}]`)
    .join('  ');
  const ok = r.durationMs <= GOAL_MS ? 'ok' : 'OVER GOAL';
  return `${name.padEnd(28)} ${r.verdict.padEnd(10)} slope ${r.slope.before.toFixed(2)} → ${r.slope.after.toFixed(2)}  ${sizes}  ${(r.durationMs / 1000).toFixed(1)} s ${ok}`;
}

async function main(): Promise<void> {
  const support = await sandboxSupport();
  if (!support.available) {
    console.log(`No sandbox here (${support.reasons.join(' ')}): nothing to measure.`);
    return;
  }
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (figures are noisy under load)`,
  );
  for (const c of CASES) {
    const r = await benchmark({ before: c.before, after: c.after, inputs: c.inputs, repeats: 7 });
    console.log(line(c.name, r));
  }
}

void main();
