// Shared zod schemas of the performance lab (issue 15): the code under study, profiles, benchmark results with their
// confidence interval, equivalence proofs and SQL plans. main/services/perf/* produce them; the UI and CLI show them.
import { z } from 'zod';

/** Languages the lab profiles, benchmarks and proves (the codegen engine checks the same three fully). */
export const PerfLanguageSchema = z.enum(['python', 'typescript', 'javascript']);
export type PerfLanguage = z.infer<typeof PerfLanguageSchema>;

const RelPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), { message: 'a relative path inside the code' });

/**
 * One version of the code under study, as files written into a sandbox run: `files` keyed by relative path, the
 * module holding the function and its name. Before and after are two of these with the same module and function.
 */
export const CodeVersionSchema = z
  .object({
    language: PerfLanguageSchema,
    files: z.record(RelPath, z.string()),
    module: RelPath,
    function: z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)?$/, 'a function name or Class.method'),
  })
  .strict();
export type CodeVersion = z.infer<typeof CodeVersionSchema>;

/**
 * How to build fresh inputs: source of a module (same language) exporting `make_input(n, seed)` (Python) /
 * `makeInput(n, seed)` (JS/TS) that returns the argument list for one call of size n. A new seed per repeat means
 * memoisation carried across repeats never counts as a speed-up; the equivalence check draws (n, seed) too.
 */
export const InputGeneratorSchema = z
  .object({
    source: z.string().min(1),
    /** At least three sizes, so an O(n²) → O(n log n) change shows as a slope. */
    sizes: z.array(z.number().int().positive()).min(3).max(8),
  })
  .strict();
export type InputGenerator = z.infer<typeof InputGeneratorSchema>;

// ---------------------------------------------------------------------------------------------- profiles (15.1)

/** A stack frame; `file` is relative to the code's root when it is the user's code, absent for builtins. */
export const ProfileFrameSchema = z.object({
  name: z.string(),
  file: z.string().optional(),
  line: z.number().int().nonnegative().optional(),
});
export type ProfileFrame = z.infer<typeof ProfileFrameSchema>;

/**
 * A sampled profile in speedscope's "sampled" shape: each sample is a stack of frame indices from root to leaf with
 * its weight in milliseconds. cProfile's call graph and V8's cpu-prof are both converted to it.
 */
export const ProfileSchema = z.object({
  language: PerfLanguageSchema,
  tool: z.enum(['pyinstrument', 'cProfile', 'cpu-prof']),
  frames: z.array(ProfileFrameSchema),
  samples: z.array(z.array(z.number().int().nonnegative())),
  weightsMs: z.array(z.number().nonnegative()),
  totalMs: z.number().nonnegative(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const HotFunctionSchema = z.object({
  name: z.string(),
  file: z.string().optional(),
  line: z.number().int().nonnegative().optional(),
  selfMs: z.number().nonnegative(),
  totalMs: z.number().nonnegative(),
  /** Share of the profile's total time spent in the function itself. */
  selfPercent: z.number().min(0).max(100),
  /** Exact call count where the tool counts calls (cProfile); absent for sampling profilers. */
  calls: z.number().int().nonnegative().optional(),
});
export type HotFunction = z.infer<typeof HotFunctionSchema>;

export const MemoryPeakSchema = z.object({
  tool: z.enum(['tracemalloc', 'v8-heap']),
  peakBytes: z.number().int().nonnegative(),
  /** Allocation sites holding the most memory at the peak. */
  top: z.array(z.object({ file: z.string(), line: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() })),
});
export type MemoryPeak = z.infer<typeof MemoryPeakSchema>;

export const ProfileResultSchema = z.object({
  profile: ProfileSchema,
  hot: z.array(HotFunctionSchema),
  memory: MemoryPeakSchema.optional(),
  durationMs: z.number().nonnegative(),
});
export type ProfileResult = z.infer<typeof ProfileResultSchema>;

// -------------------------------------------------------------------------------------------- benchmarks (15.2)

/** A ratio's median and its confidence interval (speed-up = before time / after time; > 1 means faster). */
export const RatioIntervalSchema = z.object({
  median: z.number().positive(),
  low: z.number().positive(),
  high: z.number().positive(),
  confidence: z.number().gt(0).lt(1),
  method: z.enum(['bootstrap']),
});
export type RatioInterval = z.infer<typeof RatioIntervalSchema>;

export const BenchSizeResultSchema = z.object({
  n: z.number().int().positive(),
  /** Seconds per call of each repeat (one fresh process and fresh input per repeat), in run order. */
  beforeSec: z.array(z.number().positive()),
  afterSec: z.array(z.number().positive()),
  speedup: RatioIntervalSchema,
});
export type BenchSizeResult = z.infer<typeof BenchSizeResultSchema>;

/** Verdict against the lab's bar: proven only when the whole interval at the largest size is above `threshold`. */
export const BenchVerdictSchema = z.enum(['faster', 'not-proven', 'slower']);

export const BenchResultSchema = z.object({
  language: PerfLanguageSchema,
  tool: z.enum(['pyperf', 'tinybench']),
  sizes: z.array(BenchSizeResultSchema).min(1),
  /** Fitted exponent k of time ∝ n^k (least squares on log-log medians) for each version. */
  slope: z.object({ before: z.number(), after: z.number() }),
  threshold: z.number().positive(),
  verdict: BenchVerdictSchema,
  /** What a call's time is: the process's CPU time (robust to other load; blind to waits) or wall-clock time. */
  clock: z.enum(['cpu', 'wall']).optional(),
  durationMs: z.number().nonnegative(),
});
export type BenchResult = z.infer<typeof BenchResultSchema>;

// ------------------------------------------------------------------------------------------- equivalence (15.4)

export const CoverageFigureSchema = z.object({
  covered: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  percent: z.number().min(0).max(100),
});

export const EquivalenceResultSchema = z.object({
  /** unavailable: no runner or sandbox (reported as such, never as a failed proof). */
  status: z.enum(['equivalent', 'different', 'error', 'unavailable']),
  tool: z.enum(['hypothesis', 'fast-check']),
  examples: z.number().int().nonnegative(),
  /** The smallest input found where the two versions differ (results, raised errors, or mutated arguments). */
  counterexample: z.object({ input: z.string(), before: z.string(), after: z.string() }).optional(),
  /** Branch (and line) coverage of the OLD function reached by the generated inputs; the goal is ≥ 90 %. */
  coverage: z.object({ branches: CoverageFigureSchema, lines: CoverageFigureSchema }).optional(),
  message: z.string().optional(),
  durationMs: z.number().nonnegative(),
});
export type EquivalenceResult = z.infer<typeof EquivalenceResultSchema>;

// --------------------------------------------------------------------------------------------------- SQL (15.5)

export const SqlQuerySchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  sql: z.string().min(1),
  origin: z.enum(['string', 'sqlalchemy', 'prisma']),
});
export type SqlQuery = z.infer<typeof SqlQuerySchema>;

export const QueryPlanRowSchema = z.object({ id: z.number().int(), parent: z.number().int(), detail: z.string() });

export const QueryPlanSchema = z.object({
  rows: z.array(QueryPlanRowSchema),
  /** Tables read by a full scan ("SCAN t" without an index). */
  fullScans: z.array(z.string()),
  /** Caveats of the plan, e.g. "explained on SQLite; PostgreSQL's planner may differ", DDL SQLite refused. */
  notes: z.array(z.string()).optional(),
});
export type QueryPlan = z.infer<typeof QueryPlanSchema>;

/** A proposed index for a full scan, with why (main/services/perf/sql/propose.ts). */
export const IndexProposalSchema = z.object({
  table: z.string(),
  columns: z.array(z.string()).min(1),
  ddl: z.string(),
  reason: z.string(),
});
export type IndexProposal = z.infer<typeof IndexProposalSchema>;

/** An index timed without/with on synthetic rows at ≥ 3 sizes; 'faster' only when the plan after uses it too. */
export const IndexVerificationSchema = z.object({
  ddl: z.string(),
  planBefore: QueryPlanSchema,
  planAfter: QueryPlanSchema,
  usesIndex: z.boolean(),
  /** Same shape as a benchmark's sizes: seconds per call of each paired repeat and the speed-up's interval. */
  sizes: z.array(BenchSizeResultSchema).min(1),
  slope: z.object({ before: z.number(), after: z.number() }),
  threshold: z.number().positive(),
  verdict: BenchVerdictSchema,
  reason: z.string().optional(),
  durationMs: z.number().nonnegative(),
});
export type IndexVerification = z.infer<typeof IndexVerificationSchema>;
