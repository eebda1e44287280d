// Wire shapes of the codegen engine (issue 11): the request, its stream events and its result, shared by the
// `codegen` contract, the CLI and the engine. The test-run shapes are the ones main's tests/ module uses; the budget
// shapes mirror prompt/'s types (main/services/codegen/engine/types.ts asserts at compile time that they stay the same).
import { InjectionFlagSchema } from '../security/injection';
import { z } from 'zod';
import { GenerationTypeSchema } from '../store/codegen-requests';
import { CheckResultSchema, CodeFileSchema, FileDiffSchema, LanguageSchema } from './types';

/** Repair rounds after the first answer (N; 0 = single shot). The default: 3, no confirmation needed. */
export const MaxRoundsSchema = z.number().int().min(0).max(10);
export const DEFAULT_MAX_ROUNDS = 3;
/**
 * Candidates (k; 1 = no selection). 1 by default: on a 2-core CPU each candidate costs about one more single shot
 * (`npm run eval:codegen`, 62 problems, Qwen 1.5B: k=3, N=0 took 2.53× the single shot), so selection is the user's
 * choice (the ask panel's Candidates field, the CLI's --samples), not a hidden cost.
 */
export const SamplesSchema = z.number().int().min(1).max(16);
export const DEFAULT_SAMPLES = 1;

/** Where a test came from; the same keys as TEST_ORIGIN_WEIGHTS in main's score.ts (user 3, docstring 2, model 1). */
export const TestOriginSchema = z.enum(['user', 'docstring', 'model']);
export type TestOrigin = z.infer<typeof TestOriginSchema>;

export const TestCaseResultSchema = z.object({
  /** Stable id: "<test file>::<test name>" (pytest node id, or the node --test top-level name). */
  id: z.string(),
  origin: TestOriginSchema,
  passed: z.boolean(),
  /** Trimmed failure text (assertion + traceback lines inside the candidate's files). */
  message: z.string().optional(),
});

/** One test run of one candidate (main/services/codegen/tests runs it in the sandbox). */
export const TestRunSchema = z.object({
  /**
   * passed: every case passed. failed: a case failed, or the run was killed (a hang → killedBy 'wall').
   * error: the runner could not collect the tests (syntax error in the candidate, import error) — a failed round too.
   * unavailable: the runner or the sandbox is missing: NOT a failed round (doctor and the UI say why).
   * no-tests: no suite was given or none had a test.
   */
  status: z.enum(['passed', 'failed', 'error', 'unavailable', 'no-tests']),
  /** e.g. 'pytest 9.2.0 (project .venv)', 'node --test (node 20.19.0)'. */
  runner: z.string(),
  cases: z.array(TestCaseResultSchema),
  /** Trimmed: assertion + traceback lines inside the generated code, capped (~2 KB); goes back to the model. */
  output: z.string(),
  unavailableReason: z.string().optional(),
  /** The sandbox's KilledBy when the run was killed (a hang → 'wall'). */
  killedBy: z.string().optional(),
  /**
   * Model-written test files that could not load through their own fault (a syntax error in the test, not in the
   * candidate): left out of `cases`, so they neither fail nor pass any candidate.
   */
  invalidTests: z.array(z.object({ file: z.string(), message: z.string() })).optional(),
  durationMs: z.number().nonnegative(),
});
export type TestRun = z.infer<typeof TestRunSchema>;

/** Test files written next to the candidate, all of one origin. */
export const TestSuiteSchema = z.object({ origin: TestOriginSchema, files: z.array(CodeFileSchema).max(50) });

export const BudgetPartSchema = z.object({
  name: z.enum(['instructions', 'task', 'target', 'rules', 'conventions', 'experience', 'retrieved', 'repoMap']),
  tokens: z.number().int().nonnegative(),
  items: z.array(z.string()),
  dropped: z.number().int().nonnegative(),
});
/** How the model's context was spent: per part tokens, what went in and what was left out. */
export const BudgetSplitSchema = z.object({
  contextTokens: z.number().int().positive(),
  reservedForAnswer: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
  parts: z.array(BudgetPartSchema),
});
export type BudgetSplit = z.infer<typeof BudgetSplitSchema>;

/** The quality score as main/services/codegen/score.ts computes it (measured signals only). */
export const ScoreBreakdownItemSchema = z.object({
  signal: z.enum(['compiles', 'tests', 'security', 'lint', 'complexity', 'docs', 'coverage']),
  measured: z.boolean(),
  value: z.number().min(0).max(1),
  weight: z.number().nonnegative(),
  points: z.number().nonnegative(),
  detail: z.string(),
});
export const QualityScoreWireSchema = z.object({
  score: z.number().int().min(0).max(100),
  breakdown: z.array(ScoreBreakdownItemSchema),
});

const Id = z.string().min(1).max(200);
const Line = z.number().int().positive();

/** Everything a generation needs; the contract exposes the user-facing part (GenerateRequestSchema). */
export const GenerateInputSchema = z
  .object({
    type: GenerationTypeSchema,
    language: LanguageSchema,
    prompt: z
      .string()
      .max(100_000)
      .refine((p) => p.trim().length > 0, 'The request is empty'),
    projectId: Id.optional(),
    /** A file of the project (relative path) the request is about: an edit changes it, a test targets it. */
    targetFile: z.string().min(1).max(512).optional(),
    selection: z.object({ startLine: Line, endLine: Line }).optional(),
    /** Support files without a project (also the files an edit may change when there is no project). */
    files: z.array(CodeFileSchema).max(200).optional(),
    maxRounds: MaxRoundsSchema.default(DEFAULT_MAX_ROUNDS),
    samples: SamplesSchema.default(DEFAULT_SAMPLES),
    modelId: z.string().min(1).max(512).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .optional(),
    /** Where the code goes and what tests import (the eval passes its solution file and exports). */
    entry: z.object({ file: z.string().min(1).max(512), exports: z.array(z.string().min(1).max(200)).max(50) }).optional(),
    /** Visible tests given by the caller (the eval's examples), run as origin 'docstring'. */
    extraSuites: z.array(TestSuiteSchema).max(20).optional(),
    /** Tokens of one answer (default: a quarter of the context, at most 1024). */
    maxAnswerTokens: z.number().int().min(16).max(8192).optional(),
  })
  .strict();
export type GenerateInput = z.input<typeof GenerateInputSchema>;
export type GenerateInputParsed = z.output<typeof GenerateInputSchema>;

/** What the UI and the CLI may ask for (no eval-only fields). */
export const GenerateRequestSchema = GenerateInputSchema.omit({ extraSuites: true });

export const NamedCheckSchema = CheckResultSchema.extend({ name: z.string() });
export type NamedCheck = z.infer<typeof NamedCheckSchema>;

/**
 * What the store keeps of a round besides its code, test output and token/time counts (`codegen_rounds.checks`): the
 * checks, the test cases (their output is stored on its own), the round's error, the feedback sent back to the model
 * and the files it wrote. Written by the engine's store adapter, read by the review's round list.
 */
export const StoredRoundDetailSchema = z.object({
  checks: z.array(NamedCheckSchema),
  tests: TestRunSchema.omit({ output: true }).nullable(),
  error: z.string().optional(),
  feedback: z.string().optional(),
  files: z.array(z.string()),
});
export type StoredRoundDetail = z.infer<typeof StoredRoundDetailSchema>;

export const CandidateRoundSchema = z.object({
  round: z.number().int().nonnegative(),
  code: z.string(),
  files: z.array(CodeFileSchema),
  checks: z.array(NamedCheckSchema),
  tests: TestRunSchema.nullable(),
  tokens: z.number().int().nonnegative(),
  /**
   * This round's own time: its generation, checks and test runs. Waiting for the generation's shared model-written
   * suite is left out (it is written once for all candidates; `usage.tests` counts it), so candidate 0's first round
   * is what a single shot costs.
   */
  ms: z.number().nonnegative(),
  /** Of `ms`, the model's answer (prompt evaluation and generation); the rest is checks, tests and the scan. */
  generateMs: z.number().nonnegative().optional(),
  /** Why this round's answer could not be used (no code, an edit that did not apply, a renamed signature). */
  error: z.string().optional(),
  /** The feedback that produced the next round (absent on the last round). */
  feedback: z.string().optional(),
  /**
   * Why the candidate stopped here although a repair was still possible: its code did not change ('unchanged'), it
   * failed exactly as the round before ('same-failure'), or another candidate already passed ('early-stop').
   */
  stop: z.enum(['unchanged', 'same-failure', 'early-stop']).optional(),
});
export type CandidateRound = z.infer<typeof CandidateRoundSchema>;

export const CandidateResultSchema = z.object({
  index: z.number().int().nonnegative(),
  rounds: z.array(CandidateRoundSchema).min(1),
  /** The round this candidate offers: its best (select.ts keptRound), the last unless a repair made it worse. */
  final: CandidateRoundSchema,
  score: QualityScoreWireSchema,
  /** CodeT: size of the candidate's agreement group × model tests that group passes. */
  agreement: z.number().nonnegative().optional(),
});
export type CandidateResult = z.infer<typeof CandidateResultSchema>;

/** Model calls of one stage: completion tokens produced, prompt tokens sent and how many of them the KV cache lacked. */
export const StageUsageSchema = z.object({
  calls: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  evaluatedPromptTokens: z.number().int().nonnegative(),
});
export type StageUsage = z.infer<typeof StageUsageSchema>;

export const CheckedLevelSchema = z.enum(['full', 'compile-only', 'unchecked']);

export const GenerateResultSchema = z.object({
  generationId: z.string().nullable(),
  selected: z.number().int().nonnegative(),
  code: z.string(),
  files: z.array(CodeFileSchema),
  diffs: z.array(FileDiffSchema),
  candidates: z.array(CandidateResultSchema),
  tests: TestRunSchema.nullable(),
  scan: CheckResultSchema,
  score: QualityScoreWireSchema,
  budget: BudgetSplitSchema,
  checked: CheckedLevelSchema,
  /** Why a language is compile-only or unchecked (e.g. "go toolchain not on PATH"). */
  checkedNote: z.string().optional(),
  /** Model-written tests shared by all candidates (0 when none). */
  modelTests: z.number().int().nonnegative().optional(),
  /** Set when the selected candidate never produced usable code (no code, an edit that did not apply): status failed. */
  error: z.string().optional(),
  timings: z.object({
    totalMs: z.number().nonnegative(),
    generateMs: z.number().nonnegative(),
    checkMs: z.number().nonnegative(),
    testMs: z.number().nonnegative(),
  }),
  /** Model calls and tokens per stage (model-written tests, first answers, repairs): load-independent cost figures. */
  usage: z
    .object({ tests: StageUsageSchema.optional(), generate: StageUsageSchema.optional(), repair: StageUsageSchema.optional() })
    .optional(),
  /** Candidates generated at once (one KV sequence each; llama.cpp batches their decode steps). */
  parallel: z.number().int().positive().optional(),
  /** A candidate passed every user/docstring test and the scan, so no further round or candidate was started. */
  earlyStop: z.object({ candidate: z.number().int().nonnegative(), round: z.number().int().nonnegative() }).optional(),
  /** Project data in the prompt (targets, rule files, retrieved code) that the prompt-injection detector flagged. */
  injectionFlags: z.array(InjectionFlagSchema).max(100).optional(),
});
export type GenerateResult = z.infer<typeof GenerateResultSchema>;

const Cand = z.number().int().nonnegative();
export const GenerateEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('context'), budget: BudgetSplitSchema }),
  z.object({ kind: z.literal('round'), candidate: Cand, round: Cand, phase: z.enum(['generate', 'repair', 'tests']) }),
  z.object({ kind: z.literal('tokens'), candidate: Cand, round: Cand, text: z.string() }),
  z.object({ kind: z.literal('check'), candidate: Cand, round: Cand, result: NamedCheckSchema }),
  z.object({ kind: z.literal('tests'), candidate: Cand, round: Cand, result: TestRunSchema }),
  z.object({ kind: z.literal('scan'), result: CheckResultSchema }),
  z.object({ kind: z.literal('score'), candidate: Cand, score: QualityScoreWireSchema }),
  z.object({ kind: z.literal('selected'), candidate: Cand, reason: z.string() }),
]);
export type GenerateEvent = z.infer<typeof GenerateEventSchema>;
