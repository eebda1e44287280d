// Local job history: what the app keeps about each training job after the cluster is gone, plus metric points.
import { z } from 'zod';
import { RayJobStatusSchema } from './ray';
import { LaunchOptionsSchema, TrainingConfigSchema } from './training-config';

/** One `{"evolve_metric":1,...}` line from rank 0, as the charts use it. */
export const MetricPointSchema = z.object({
  step: z.number().int().nonnegative(),
  loss: z.number().nullable(),
  lr: z.number().nullable(),
  samplesPerS: z.number().nullable(),
  epoch: z.number().int().nullable(),
  ts: z.number().nullable(),
  /** Any other numeric fields the trainer adds (val_loss, …). */
  extra: z.record(z.string(), z.number()).default({}),
});
export type MetricPoint = z.infer<typeof MetricPointSchema>;

/** One `{"evolve_event":...}` line (checkpoint, resumed, done, launch, failed, error…). */
export const TrainingEventSchema = z.object({
  name: z.string(),
  ts: z.number().nullable(),
  fields: z.record(z.string(), z.unknown()),
});
export type TrainingEvent = z.infer<typeof TrainingEventSchema>;

/** One Ray submission of a job; a resumed or self-healed job has several. */
export const JobAttemptSchema = z.object({
  submissionId: z.string(),
  status: RayJobStatusSchema,
  message: z.string().nullable(),
  resumed: z.boolean(),
  reason: z.enum(['initial', 'manual-resume', 'self-heal']),
  submittedAt: z.number(),
  endedAt: z.number().nullable(),
});
export type JobAttempt = z.infer<typeof JobAttemptSchema>;

export const JobRecordSchema = z.object({
  /** Our id, stable across resubmissions (Ray's submission ids change per attempt). */
  id: z.string(),
  profileId: z.string(),
  name: z.string(),
  config: TrainingConfigSchema,
  launch: LaunchOptionsSchema,
  packageUri: z.string(),
  entrypoint: z.string(),
  status: RayJobStatusSchema,
  attempts: z.array(JobAttemptSchema),
  /** Self-healing resubmissions used so far (≤ maxRestarts). */
  restarts: z.number().int().nonnegative(),
  maxRestarts: z.number().int().nonnegative(),
  lastCheckpointStep: z.number().int().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

export const JobSummarySchema = JobRecordSchema.pick({
  id: true,
  profileId: true,
  name: true,
  status: true,
  restarts: true,
  createdAt: true,
  updatedAt: true,
}).extend({ lastStep: z.number().int().nullable(), lastLoss: z.number().nullable() });
export type JobSummary = z.infer<typeof JobSummarySchema>;
