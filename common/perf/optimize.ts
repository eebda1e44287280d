// Wire shapes of one optimisation run (issue 15): the request, its progress events and its report — every suggestion
// with both proofs and the offer decision, so the panel, the CLI and the audit show the same thing.
import { z } from 'zod';
import { FileDiffSchema, CodeFileSchema } from '../codegen/types';
import { TestRunSchema } from '../codegen/engine';
import { BenchResultSchema, CodeVersionSchema, EquivalenceResultSchema, InputGeneratorSchema, ProfileResultSchema } from './types';

export const OptimizeRequestSchema = z
  .object({
    before: CodeVersionSchema,
    /** The project the code comes from: proposals are then stored with it and applied through the workspace. */
    projectId: z.string().min(1).max(200).optional(),
    /** Given by the user, else written by the model and validated (main/services/perf/inputs). */
    inputs: InputGeneratorSchema.optional(),
    /** Sizes for a model-written generator (≥ 3); ignored when `inputs` is given. */
    sizes: z.array(z.number().int().positive()).min(3).max(8).optional(),
    /** The project's tests of the function: visible tests for the engine and part of the equivalence proof. */
    tests: z.array(CodeFileSchema).max(50).optional(),
    /** Call sites from the project index, shown to the model. */
    callers: z.array(z.string().max(2000)).max(10).optional(),
    /** Proposals to generate and prove, one after the other (each is a full codegen generation). */
    proposals: z.number().int().min(1).max(5).default(1),
    modelId: z.string().min(1).max(512).optional(),
  })
  .strict();
export type OptimizeRequest = z.input<typeof OptimizeRequestSchema>;
export type OptimizeRequestParsed = z.output<typeof OptimizeRequestSchema>;

export const OptimizeStageSchema = z.enum(['inputs', 'profile', 'propose', 'equivalence', 'bench']);
export type OptimizeStage = z.infer<typeof OptimizeStageSchema>;

export const OptimizeEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stage'), stage: OptimizeStageSchema, proposal: z.number().int().nonnegative().optional() }),
  z.object({ kind: z.literal('profile'), result: ProfileResultSchema }),
  z.object({ kind: z.literal('suggestion'), index: z.number().int().nonnegative() }),
]);
export type OptimizeEvent = z.infer<typeof OptimizeEventSchema>;

export const OfferDecisionSchema = z.object({
  offered: z.boolean(),
  outcome: z.enum(['proven', 'rejected', 'unavailable']),
  cause: z.enum(['proven', 'behaviour', 'speed', 'unavailable', 'malformed']),
  label: z.string(),
  reason: z.string(),
});

export const SuggestionSchema = z.object({
  index: z.number().int().nonnegative(),
  generationId: z.string().nullable(),
  after: CodeVersionSchema.optional(),
  diffs: z.array(FileDiffSchema),
  /** The engine's run of the visible tests on the proposal (null when there were none). */
  tests: TestRunSchema.nullable(),
  equivalence: EquivalenceResultSchema.optional(),
  /** Absent when equivalence already rejected the proposal: a wrong answer is never timed. */
  bench: BenchResultSchema.optional(),
  decision: OfferDecisionSchema,
  /** Why no proposal came back (the model's code unusable, unchanged): the suggestion is then rejected. */
  error: z.string().optional(),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const OptimizeReportSchema = z.object({
  before: CodeVersionSchema,
  inputs: InputGeneratorSchema,
  inputsWrittenByModel: z.boolean(),
  profile: ProfileResultSchema.nullable(),
  /** Why there is no profile (the run still proposes from the code alone). */
  profileError: z.string().optional(),
  suggestions: z.array(SuggestionSchema),
  /** Index of the best offered suggestion (highest proven median speed-up), or null when none is offered. */
  offered: z.number().int().nonnegative().nullable(),
  durationMs: z.number().nonnegative(),
});
export type OptimizeReport = z.infer<typeof OptimizeReportSchema>;
