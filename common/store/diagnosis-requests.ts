// DB worker requests for failed-job diagnoses (issue 16 item 1): one stored Diagnosis per job and submission id.
import { z } from 'zod';
import { DiagnosisSchema } from '../cluster/diagnosis';

const Id = z.string().min(1).max(200);

export const StoredDiagnosisSchema = z.object({
  jobId: Id,
  submissionId: Id,
  diagnosis: DiagnosisSchema,
  createdAt: z.number().int().nonnegative(),
});
export type StoredDiagnosis = z.infer<typeof StoredDiagnosisSchema>;

export const DiagnosisRequests = {
  /** Inserts or replaces the diagnosis of one attempt (a re-run replaces it). NOT_FOUND when the job is unknown. */
  'diagnosis.put': { params: StoredDiagnosisSchema, result: StoredDiagnosisSchema },
  /** The job's diagnoses, newest attempt first. */
  'diagnosis.list': { params: z.object({ jobId: Id }), result: z.array(StoredDiagnosisSchema) },
} as const;
