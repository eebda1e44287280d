// Contract for the `diagnosis` domain: why a training job failed (rules + evidence + the local model's explanation),
// re-running the diagnosis, and applying one of the fixes it offers.
import { z } from 'zod';
import { DiagnosisSchema, FixActionSchema } from '../cluster/diagnosis';
import { call, defineDomain } from './define';

const JobId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);

export const DiagnosisViewSchema = z.object({
  jobId: z.string(),
  /** The failed attempt (Ray submission) this diagnosis is about: the job's latest failed one. */
  submissionId: z.string(),
  diagnosis: DiagnosisSchema,
  createdAt: z.number().int().nonnegative(),
  /** True while the local model is still writing the explanation (ask again to get it). */
  explaining: z.boolean(),
});
export type DiagnosisView = z.infer<typeof DiagnosisViewSchema>;

export const FixOutcomeSchema = z.object({
  /** The job that now runs: the same id for a resume, a new job's id when the config changed. */
  jobId: z.string(),
  newJob: z.boolean(),
  detail: z.string(),
});
export type FixOutcome = z.infer<typeof FixOutcomeSchema>;

export const diagnosisContract = defineDomain('diagnosis', {
  get: call({
    input: z.object({ jobId: JobId, explain: z.boolean().default(false) }).strict(),
    output: DiagnosisViewSchema.nullable(),
    doc: "The latest failed attempt's diagnosis (diagnosed now if none is stored; explain: let the local model explain it); null when none failed.",
  }),
  run: call({
    input: z.object({ jobId: JobId }).strict(),
    output: DiagnosisViewSchema,
    doc: 'Diagnose the latest failed attempt again (replaces the stored diagnosis) and ask the local model to explain it.',
  }),
  applyFix: call({
    input: z.object({ jobId: JobId, fix: FixActionSchema }).strict(),
    output: FixOutcomeSchema,
    doc: 'Apply one of the fixes the stored diagnosis offers (resume, smaller batch, fewer nodes, free disk); audited.',
  }),
});
