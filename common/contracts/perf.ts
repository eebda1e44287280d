// Contract for the `perf` domain (issue 15): the performance lab on a trusted project's FILE:FUNCTION — optimize as a
// stream (stages, the profile as soon as it exists, the engine's generation summarised, benchmark progress, then the
// report with every suggestion's proofs and offer decision) and profile alone as a call.
import { z } from 'zod';
import { OptimizeReportSchema, OptimizeStageSchema } from '../perf/optimize';
import { IndexProposalSchema, IndexVerificationSchema, ProfileResultSchema, QueryPlanSchema, SqlQuerySchema } from '../perf/types';
import { call, defineDomain, stream } from './define';

const Id = z.string().min(1).max(200);
/** `src/util.py:dedupe` or `lib/stack.ts:Stack.push`; the handler resolves it inside the project (bad form: INVALID_ARGUMENT). */
const Target = z.string().min(3).max(1000);
/** At least three sizes so a complexity change shows as a slope (the lab's own rule). */
const Sizes = z.array(z.number().int().positive().max(10_000_000)).min(3).max(8);
/** Source of a module of the target's language defining make_input(n, seed) / makeInput(n, seed). */
const InputsSource = z.string().min(1).max(100_000);

export const PerfOptimizeInputSchema = z
  .object({
    projectId: Id,
    target: Target,
    /** Absent: the model writes the generator and the lab validates it. */
    inputsSource: InputsSource.optional(),
    sizes: Sizes.optional(),
    proposals: z.number().int().min(1).max(5).optional(),
    modelId: z.string().min(1).max(512).optional(),
  })
  .strict();
export type PerfOptimizeInput = z.input<typeof PerfOptimizeInputSchema>;

/**
 * Progress of one run. The engine's own events are summarised (a line per phase/check/test, a running token count)
 * rather than forwarded: the panel shows where the run is, the stored generation keeps the detail.
 */
export const PerfOptimizeEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stage'), stage: OptimizeStageSchema, proposal: z.number().int().nonnegative().optional() }),
  z.object({ kind: z.literal('profile'), result: ProfileResultSchema }),
  z.object({ kind: z.literal('suggestion'), index: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('generate'),
    /** Tokens generated so far in this run (all proposals). */
    tokens: z.number().int().nonnegative(),
    line: z.string().max(500).optional(),
  }),
  z.object({
    kind: z.literal('bench'),
    n: z.number().int().positive(),
    repeat: z.number().int().nonnegative(),
    repeats: z.number().int().nonnegative(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
]);
export type PerfOptimizeEvent = z.infer<typeof PerfOptimizeEventSchema>;

/** Row counts of the SQL benchmark's tables: at least three, so the scan's growth shows as a slope. */
const RowSizes = z.array(z.number().int().min(1).max(1_000_000)).min(3).max(8);

/**
 * One query of the project with what the scratch SQLite made of it: its plan and the proposed indexes, or why it
 * could not be planned (no schema found, a table the schema lacks): one bad query does not hide the others.
 */
export const SqlQueryReportSchema = SqlQuerySchema.extend({
  plan: QueryPlanSchema.optional(),
  proposals: z.array(IndexProposalSchema),
  error: z.string().optional(),
});
export type SqlQueryReport = z.infer<typeof SqlQueryReportSchema>;

export const SqlQueriesResultSchema = z.object({
  queries: z.array(SqlQueryReportSchema),
  /** More queries were found than are planned in one call (they are listed without a plan). */
  truncated: z.boolean(),
});
export type SqlQueriesResult = z.infer<typeof SqlQueriesResultSchema>;

export const perfContract = defineDomain('perf', {
  /**
   * Profiles the target, asks the coding model for proposals and proves each (project tests + property-based
   * equivalence, then an interleaved benchmark); a suggestion is offered only when both proofs hold. Untrusted
   * project: FORBIDDEN (its code and tests would run). Cancel stops the model, the sandbox and the benchmark.
   */
  optimize: stream({
    input: PerfOptimizeInputSchema,
    event: PerfOptimizeEventSchema,
    output: OptimizeReportSchema,
    doc: 'Profile, propose, prove and benchmark optimisations of a function.',
  }),
  /** Profiles the target alone on the given input generator at its largest size (trusted projects only). */
  profile: call({
    input: z.object({ projectId: Id, target: Target, inputsSource: InputsSource, sizes: Sizes.optional() }).strict(),
    output: ProfileResultSchema,
    doc: 'Profile a function of a trusted project.',
  }),
  /**
   * The project's SQL queries (read statically from its sources), each planned on a scratch SQLite built from its
   * schema (.sql, SQLAlchemy models, schema.prisma) with the indexes proposed for its full scans. Trusted projects
   * only: the plans run in the sandbox.
   */
  sqlQueries: call({
    input: z.object({ projectId: Id }).strict(),
    output: SqlQueriesResultSchema,
    doc: "Find a project's SQL queries, their plans and index proposals.",
  }),
  /** Times the query without/with the index on synthetic rows at ≥ 3 table sizes (trusted projects only; cancelable). */
  verifyIndex: call({
    input: z
      .object({ projectId: Id, sql: z.string().min(1).max(20_000), ddl: z.string().min(1).max(2_000), sizes: RowSizes.optional() })
      .strict(),
    output: IndexVerificationSchema,
    doc: 'Benchmark a proposed index against the query it is for.',
  }),
});
