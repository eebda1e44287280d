// Contract for the `experience` domain: what the user's decisions taught the codegen engine — the decisions
// (accepted/rejected, reasons, edits after accepting) and the conventions learned from them, editable and removable.
import { z } from 'zod';
import { ConventionTextSchema, ExperienceDecisionSchema, LearnedConventionSchema } from '../store/experience-requests';
import { call, defineDomain } from './define';

const Id = z.string().min(1).max(200);

export const experienceContract = defineDomain('experience', {
  /** A project's decisions, newest first (projectId null: generations made without a project). */
  decisions: call({
    input: z.object({ projectId: Id.nullable(), limit: z.number().int().positive().max(1000).optional() }).strict(),
    output: z.array(ExperienceDecisionSchema),
    doc: 'List accept/reject decisions with reasons and edits.',
  }),
  /** The conventions learned in a project, each with the generations it came from (removed ones on request). */
  conventions: call({
    input: z.object({ projectId: Id, includeRemoved: z.boolean().optional() }).strict(),
    output: z.array(LearnedConventionSchema),
    doc: 'List learned conventions with their source generations.',
  }),
  /** Rewrites a learned convention in the user's words (blank text is INVALID_ARGUMENT; unknown id NOT_FOUND). */
  editConvention: call({
    input: z.object({ id: Id, text: ConventionTextSchema }).strict(),
    output: LearnedConventionSchema,
    doc: 'Edit a learned convention.',
  }),
  /** Removes a learned convention from prompts; the same generations never teach it again. */
  removeConvention: call({
    input: z.object({ id: Id }).strict(),
    output: z.object({ id: Id, removed: z.literal(true) }),
    doc: 'Remove a learned convention.',
  }),
});
