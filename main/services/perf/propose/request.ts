// The optimisation request sent to the codegen engine: the hot function's module as a refactor of that file, with what
// the profile and the benchmark showed and the callers the project index found, so the model knows where time goes.
import type { GenerateInput } from '../../../../common/codegen/engine';
import type { BenchResult, CodeVersion, HotFunction } from '../../../../common/perf/types';

export interface OptimizationContext {
  before: CodeVersion;
  /**
   * The project the code comes from: the engine then reads the module and the project's sources and tests itself,
   * and the generation is stored with the project, so the workspace applies it per hunk with a checkpoint.
   */
  projectId?: string;
  /** The profile's hottest functions (the lab passes the top few). */
  hot?: readonly HotFunction[];
  /** A benchmark of the current version alone or against an earlier candidate: its slope says how time grows. */
  bench?: Pick<BenchResult, 'sizes' | 'slope'>;
  /** Call sites of the function from the project index (snippets with file:line), so the model keeps their contract. */
  callers?: readonly string[];
  /** The project's tests of the function (run by the engine as visible tests, then again by the lab's proof). */
  tests?: GenerateInput['extraSuites'];
  /**
   * Why this run's earlier proposals were turned down (left the code unchanged, a counterexample, not faster): a small
   * model given the same request with another seed tends to repeat itself, so the next attempt is told what failed.
   */
  earlier?: readonly string[];
  samples?: number;
  maxRounds?: number;
  modelId?: string;
  seed?: number;
}

/** Kinds of change the model is pointed at (issue 15, item 3). */
const IDEAS =
  'a better algorithm or data structure (a set or dict instead of repeated scans, sorting once, a heap), caching or ' +
  'memoisation of repeated work, batching repeated I/O or queries, vectorisation, hoisting work out of loops';

/** Room for the reasons of earlier attempts (a counterexample can be long; the start says what went wrong). */
const EARLIER_CHARS = 400;

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

function profileLines(hot: readonly HotFunction[]): string[] {
  if (hot.length === 0) return [];
  const rows = hot.slice(0, 8).map((h) => {
    const where = h.file ? ` (${h.file}${h.line ? `:${h.line}` : ''})` : '';
    const calls = h.calls !== undefined ? `, ${h.calls} calls` : '';
    return `- ${h.name}${where}: ${ms(h.selfMs)} ms self, ${ms(h.totalMs)} ms total, ${h.selfPercent.toFixed(0)} % of the run${calls}`;
  });
  return ['Profile of one run, hottest functions first:', ...rows];
}

function benchLines(bench: Pick<BenchResult, 'sizes' | 'slope'>): string[] {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const points = bench.sizes.map((s) => `n=${s.n}: ${ms(median(s.beforeSec) * 1000)} ms`).join(', ');
  return [`Benchmark of the current version: ${points} — time grows like n^${bench.slope.before.toFixed(1)}.`];
}

function earlierLines(earlier: readonly string[]): string[] {
  if (earlier.length === 0) return [];
  const rows = earlier.slice(-3).map((r, i) => {
    const one = r.replace(/\s+/g, ' ').trim();
    return `- attempt ${i + 1}: ${one.length > EARLIER_CHARS ? `${one.slice(0, EARLIER_CHARS)}…` : one}`;
  });
  return ['Earlier attempts in this run were rejected; do something different:', ...rows];
}

/** The codegen request for one optimisation of `before.function` (a refactor of its module). */
export function optimizationRequest(ctx: OptimizationContext): GenerateInput {
  const { before } = ctx;
  const callers = (ctx.callers ?? []).slice(0, 5);
  const prompt = [
    `Make \`${before.function}\` in ${before.module} faster without changing its behaviour: for every input it must ` +
      'return the same value, raise the same kind of error and leave its arguments exactly as the current code does.',
    ...profileLines(ctx.hot ?? []),
    ...(ctx.bench ? benchLines(ctx.bench) : []),
    ...(callers.length > 0 ? ['It is called like this in the project:', ...callers.map((c) => `- ${c}`)] : []),
    ...earlierLines(ctx.earlier ?? []),
    `Consider ${IDEAS}. Keep the function's name and parameters and the module's other exports; use only the ` +
      'standard library; change only what the speed-up needs.',
  ].join('\n');
  return {
    type: 'refactor',
    language: before.language,
    prompt,
    targetFile: before.module,
    ...(ctx.projectId
      ? { projectId: ctx.projectId }
      : { files: Object.entries(before.files).map(([path, content]) => ({ path, content })) }),
    samples: ctx.samples ?? 1,
    maxRounds: ctx.maxRounds ?? 2,
    ...(ctx.modelId ? { modelId: ctx.modelId } : {}),
    ...(ctx.seed !== undefined ? { seed: ctx.seed } : {}),
    ...(ctx.tests && ctx.tests.length > 0 ? { extraSuites: ctx.tests } : {}),
  };
}
