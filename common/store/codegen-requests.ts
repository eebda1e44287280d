// DB worker requests of the codegen store (issue 11, item 11): generations, rounds, decisions, experience retrieval.
import { z } from 'zod';
import { FileDiffSchema, FindingSchema, LanguageSchema } from '../codegen/types';
import { JsonSchema } from './rows';

const Id = z.string().min(1).max(200);
const Ts = z.number().int().nonnegative();
const Count = z.number().int().nonnegative();

/** Size limits: a payload above them is INVALID_ARGUMENT (nothing stored), never silently cut. */
export const CODEGEN_LIMITS = {
  request: 100_000,
  code: 2_000_000,
  testOutput: 64 * 1024,
  reason: 4000,
  userEdits: 1_000_000,
  findings: 2000,
  diffFiles: 500,
} as const;

export const GenerationTypeSchema = z.enum([
  'function',
  'class',
  'module',
  'test',
  'api-endpoint',
  'ui-component',
  'db-model',
  'review',
  'find-bugs',
  'refactor',
  'document',
  'explain',
  'edit',
]);
export type GenerationType = z.infer<typeof GenerationTypeSchema>;
export const GenerationStatusSchema = z.enum(['running', 'done', 'failed', 'cancelled']);
export const CodegenDecisionKindSchema = z.enum(['accepted', 'rejected']);

const BreakdownSchema = z.array(
  z.object({
    signal: z.string().max(50),
    measured: z.boolean(),
    value: z.number(),
    weight: z.number(),
    points: z.number(),
    detail: z.string().max(500),
  }),
);

export const CodegenRoundSchema = z.object({
  round: Count,
  candidate: Count,
  code: z.string().max(CODEGEN_LIMITS.code),
  /** The check, test and scan results of this round, as the engine produced them. */
  checks: JsonSchema,
  /** Trimmed by the engine to the assertion and the traceback lines in the generated code. */
  testOutput: z.string().max(CODEGEN_LIMITS.testOutput),
  promptTokens: Count,
  completionTokens: Count,
  ms: Count,
  at: Ts,
});
export type CodegenRound = z.infer<typeof CodegenRoundSchema>;

export const CodegenDecisionSchema = z.object({
  decision: CodegenDecisionKindSchema,
  reason: z.string().max(CODEGEN_LIMITS.reason),
  /** What the user changed after accepting, as a unified diff. */
  userEdits: z.string().max(CODEGEN_LIMITS.userEdits).nullable(),
  at: Ts,
});
export type CodegenDecision = z.infer<typeof CodegenDecisionSchema>;

export const CodegenGenerationSchema = z.object({
  id: Id,
  projectId: Id.nullable(),
  request: z.string().max(CODEGEN_LIMITS.request),
  type: GenerationTypeSchema,
  lang: LanguageSchema,
  model: z.string().max(500),
  code: z.string().max(CODEGEN_LIMITS.code).nullable(),
  diff: z.array(FileDiffSchema).max(CODEGEN_LIMITS.diffFiles).nullable(),
  score: z.number().int().min(0).max(100).nullable(),
  breakdown: BreakdownSchema.nullable(),
  /** The final candidate's check and scan findings (the gate reads the high ones). */
  findings: z.array(FindingSchema).max(CODEGEN_LIMITS.findings),
  status: GenerationStatusSchema,
  error: z.string().max(4000).nullable(),
  createdAt: Ts,
  updatedAt: Ts,
  /** The latest decision, if any. */
  decision: CodegenDecisionSchema.nullable(),
});
export type CodegenGeneration = z.infer<typeof CodegenGenerationSchema>;

export const CodegenGenerationDetailSchema = CodegenGenerationSchema.extend({
  rounds: z.array(CodegenRoundSchema),
  decisions: z.array(CodegenDecisionSchema),
});
export type CodegenGenerationDetail = z.infer<typeof CodegenGenerationDetailSchema>;

/** A past decision on a similar request, for prompt assembly (accepted examples and rejection reasons). */
export const ExperienceHitSchema = z.object({
  generationId: Id,
  request: z.string(),
  type: GenerationTypeSchema,
  lang: LanguageSchema,
  decision: CodegenDecisionKindSchema,
  reason: z.string(),
  /** The accepted code (null for a rejection, whose code is not an example to follow). */
  code: z.string().nullable(),
  userEdits: z.string().nullable(),
  score: z.number().int().nullable(),
  at: Ts,
  /** BM25 relevance, higher is better. */
  rank: z.number(),
});
export type ExperienceHit = z.infer<typeof ExperienceHitSchema>;

const GenRef = z.object({ generationId: Id });

export const CodegenRequests = {
  /** Starts a generation (status running) and audits `generation.created` in the same transaction. */
  'codegen.create': {
    params: z.object({
      id: Id.optional(),
      projectId: Id.nullable().default(null),
      request: z.string().min(1).max(CODEGEN_LIMITS.request),
      type: GenerationTypeSchema,
      lang: LanguageSchema,
      model: z.string().min(1).max(500),
    }),
    result: CodegenGenerationSchema,
  },
  /** Stores one round of one candidate; CONFLICT when that round is already stored or the generation has ended. */
  'codegen.addRound': {
    params: GenRef.extend(CodegenRoundSchema.omit({ at: true }).shape).extend({ candidate: Count.default(0) }),
    result: CodegenRoundSchema,
  },
  /** Ends a generation with its final code/diff, score + breakdown and findings. */
  'codegen.finish': {
    params: GenRef.extend({
      status: GenerationStatusSchema.exclude(['running']),
      code: z.string().max(CODEGEN_LIMITS.code).nullable().default(null),
      diff: z.array(FileDiffSchema).max(CODEGEN_LIMITS.diffFiles).nullable().default(null),
      score: z.number().int().min(0).max(100).nullable().default(null),
      breakdown: BreakdownSchema.nullable().default(null),
      findings: z.array(FindingSchema).max(CODEGEN_LIMITS.findings).default([]),
      error: z.string().max(4000).nullable().default(null),
    }),
    result: CodegenGenerationSchema,
  },
  'codegen.get': { params: GenRef, result: CodegenGenerationDetailSchema },
  'codegen.list': {
    params: z.object({ projectId: Id.nullable().optional(), limit: z.number().int().positive().max(1000).default(50) }),
    result: z.array(CodegenGenerationSchema),
  },
  /**
   * Records accept/reject (a rejection needs a reason) and audits `generation.accepted` / `generation.rejected` in the
   * same transaction; the request and reason become searchable experience. Only a finished generation is decided.
   */
  'codegen.decide': {
    params: GenRef.extend({
      decision: CodegenDecisionKindSchema,
      reason: z.string().max(CODEGEN_LIMITS.reason).default(''),
      userEdits: z.string().max(CODEGEN_LIMITS.userEdits).nullable().default(null),
    }),
    result: CodegenGenerationSchema,
  },
  /** The user's edits after accepting (a unified diff) on the latest accepted decision; NOT_FOUND when none. */
  'codegen.userEdits': {
    params: GenRef.extend({ userEdits: z.string().min(1).max(CODEGEN_LIMITS.userEdits) }),
    result: CodegenGenerationSchema,
  },
  /** Past decisions of a project (null: without a project) whose request or reason matches `text` (FTS5, BM25). */
  'codegen.similar': {
    params: z.object({
      projectId: Id.nullable(),
      text: z.string().min(1).max(CODEGEN_LIMITS.request),
      k: z.number().int().positive().max(50).default(5),
    }),
    result: z.array(ExperienceHitSchema),
  },
} as const;
