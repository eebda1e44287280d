// DB worker requests of experience learning (issue 12 item 6): the decisions a project's user made, and the
// conventions learned from what they kept and edited — listed with their source generations, edited, removed.
import { z } from 'zod';
import { LanguageSchema } from '../codegen/types';
import { CodegenDecisionKindSchema, GenerationStatusSchema, GenerationTypeSchema } from './codegen-requests';

const Id = z.string().min(1).max(200);
const Ts = z.number().int().nonnegative();

export const CONVENTION_LIMITS = { text: 500, value: 100, observations: 20 } as const;

/** What a learned convention is about; one row per (project, language, kind, value). */
export const ConventionKindSchema = z.enum(['test-framework', 'naming', 'error-style', 'quotes', 'indent']);
export type ConventionKind = z.infer<typeof ConventionKindSchema>;
/** `edited`: seen in the lines the user wrote after accepting (strong); `kept`: seen in code the user accepted as is. */
export const ConventionEvidenceSchema = z.enum(['kept', 'edited']);
export type ConventionEvidence = z.infer<typeof ConventionEvidenceSchema>;

/** The user's text for a convention: blank is INVALID_ARGUMENT (a blank rule teaches nothing). */
export const ConventionTextSchema = z.string().trim().min(1, 'A convention needs some text').max(CONVENTION_LIMITS.text);

/** One finding of the learning rules on one generation (main/services/codegen/experience/learn-conventions.ts). */
export const ConventionObservationSchema = z.object({
  kind: ConventionKindSchema,
  value: z.string().min(1).max(CONVENTION_LIMITS.value),
  text: ConventionTextSchema,
  evidence: ConventionEvidenceSchema,
});
export type ConventionObservation = z.infer<typeof ConventionObservationSchema>;

export const LearnedConventionSchema = z.object({
  id: Id,
  projectId: Id,
  lang: LanguageSchema,
  kind: ConventionKindSchema,
  value: z.string(),
  /** What the prompt says (the rule's wording, or the user's own once they edited it). */
  text: z.string(),
  userEdited: z.boolean(),
  /** Removed by the user (listed only on request): never re-learned from the generations below. */
  removed: z.boolean(),
  /**
   * The one of its (language, kind) that goes into prompts: a convention the user wrote beats one they edited into
   * code, which beats one only seen in accepted code; then the most recently confirmed.
   */
  inEffect: z.boolean(),
  sources: z.array(z.object({ generationId: Id, request: z.string(), evidence: ConventionEvidenceSchema, at: Ts })),
  createdAt: Ts,
  updatedAt: Ts,
});
export type LearnedConvention = z.infer<typeof LearnedConventionSchema>;

/** One decision as the Experience panel lists it: what was asked, what the user decided, why, and what they changed. */
export const ExperienceDecisionSchema = z.object({
  generationId: Id,
  request: z.string(),
  type: GenerationTypeSchema,
  lang: LanguageSchema,
  status: GenerationStatusSchema,
  score: z.number().int().nullable(),
  decision: CodegenDecisionKindSchema,
  reason: z.string(),
  /** The user's edits after accepting, as a unified diff (capped for the list; the generation has all of it). */
  userEdits: z.string().nullable(),
  at: Ts,
});
export type ExperienceDecision = z.infer<typeof ExperienceDecisionSchema>;

const ConventionRef = z.object({ id: Id });

export const ExperienceRequests = {
  /**
   * Stores what the rules found in an accepted generation of a project: new conventions, or another source for known
   * ones; the generation's earlier sources it no longer shows are withdrawn (learning again after edits replaces, and a
   * generation rejected after all withdraws everything it taught). A removed convention comes back only from a
   * different generation's user edits, never from its old sources nor from code merely kept. NOT_FOUND for an unknown
   * or undecided generation; none learned without a project.
   */
  'experience.learn': {
    params: z.object({
      generationId: Id,
      observations: z.array(ConventionObservationSchema).max(CONVENTION_LIMITS.observations),
    }),
    result: z.object({ learned: z.array(Id), skipped: z.number().int().nonnegative() }),
  },
  /** A project's learned conventions, newest first (removed ones only with includeRemoved). */
  'experience.conventions': {
    params: z.object({ projectId: Id, includeRemoved: z.boolean().default(false) }),
    result: z.array(LearnedConventionSchema),
  },
  /** Replaces a convention's text with the user's; learning never overwrites it after that. NOT_FOUND: unknown/removed. */
  'experience.editConvention': {
    params: ConventionRef.extend({ text: ConventionTextSchema }),
    result: LearnedConventionSchema,
  },
  /** Removes a convention from prompts for good (a tombstone keeps its sources). NOT_FOUND: unknown/already removed. */
  'experience.removeConvention': {
    params: ConventionRef,
    result: z.object({ id: Id, removed: z.literal(true) }),
  },
  /** A project's decisions (null: generations without a project), newest first: each generation's latest decision. */
  'experience.decisions': {
    params: z.object({ projectId: Id.nullable(), limit: z.number().int().positive().max(1000).default(100) }),
    result: z.array(ExperienceDecisionSchema),
  },
} as const;
