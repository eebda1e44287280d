// Contract for the `jobLogs` domain: full-text search over every stored job log (jobs outlive their cluster),
// deleting a job's history, exporting one job as one file, and the job-history retention policy.
import { z } from 'zod';
import { JobRecordSchema, MetricPointSchema, TrainingEventSchema } from '../cluster/job';
import { JobLogDeletionSchema, JobLogHitSchema, JobLogProfileSchema, JOB_LOG_LIMITS } from '../store/job-log-requests';
import { JsonSchema } from '../store/rows';
import { EmptyInput } from './app';
import { call, defineDomain } from './define';

const Id = z.string().min(1).max(200);

/** Keep finished jobs for `keepDays` days and/or only the newest `keepNewest` jobs; 0 turns a rule off (both 0: keep all). */
export const JobHistoryRetentionSchema = z.object({
  keepDays: z.number().int().min(0).max(36_500),
  keepNewest: z.number().int().min(0).max(1_000_000),
});
export type JobHistoryRetention = z.infer<typeof JobHistoryRetentionSchema>;
/** Off by default: deleting a user's history is their decision. */
export const DEFAULT_JOB_HISTORY_RETENTION: JobHistoryRetention = { keepDays: 0, keepNewest: 0 };

/** A hit as the page shows it: the line with the spans to highlight ([start, end) UTF-16 offsets into `text`). */
export const JobLogSearchHitSchema = JobLogHitSchema.extend({
  highlights: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
});
export type JobLogSearchHit = z.infer<typeof JobLogSearchHitSchema>;

export const JobLogSearchInput = z
  .object({
    /** Words (all must match), "exact phrases", prefix*, -excluded, a OR b; punctuation such as file.py:12 is a phrase. */
    query: z.string().max(500),
    jobId: Id.optional(),
    limit: z.number().int().min(1).max(JOB_LOG_LIMITS.pageSize).optional(),
    offset: z.number().int().nonnegative().max(1_000_000).optional(),
    context: z.number().int().min(0).max(JOB_LOG_LIMITS.context).optional(),
  })
  .strict();

export const JobLogSearchResultSchema = z.object({
  hits: z.array(JobLogSearchHitSchema),
  total: z.number().int().nonnegative(),
  totalCapped: z.boolean(),
  offset: z.number().int().nonnegative(),
  /** The normalised words the query matches (what is highlighted). */
  terms: z.array(z.string()),
});
export type JobLogSearchResult = z.infer<typeof JobLogSearchResultSchema>;

/** The one-file export of a job (JSON, `format` + `version` first, so a reader knows what it holds). */
export const JOB_EXPORT_FORMAT = 'evolve-studio/job-export';
export const JOB_EXPORT_VERSION = 1;
export const JobExportSchema = z.object({
  format: z.literal(JOB_EXPORT_FORMAT),
  version: z.literal(JOB_EXPORT_VERSION),
  exportedAt: z.string(),
  app: z.object({ name: z.string(), version: z.string() }),
  /** The whole job record: training config, launch options, attempts, restarts, last checkpoint. */
  job: JobRecordSchema,
  profile: JobLogProfileSchema,
  logs: z.array(z.object({ submissionId: z.string(), log: z.string() })),
  metrics: z.array(MetricPointSchema),
  /** Training events (checkpoint, resumed, error…) parsed from each attempt's log. */
  events: z.array(z.object({ submissionId: z.string(), event: TrainingEventSchema })),
  /** Other features' records about the job (e.g. a diagnosis), keyed by feature; empty when none. */
  extras: z.record(z.string(), JsonSchema),
});
export type JobExport = z.infer<typeof JobExportSchema>;

export const JobExportResultSchema = z.discriminatedUnion('kind', [
  /** Desktop: written atomically where the user chose in the save dialog. */
  z.object({ kind: z.literal('saved'), path: z.string(), bytes: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('cancelled') }),
  /** Browser host: the page downloads `content` as `fileName` (the page has no file system). */
  z.object({ kind: z.literal('download'), fileName: z.string(), content: z.string(), bytes: z.number().int().nonnegative() }),
]);
export type JobExportResult = z.infer<typeof JobExportResultSchema>;

export const jobLogsContract = defineDomain('jobLogs', {
  /** Full-text search across every job's stored logs, latest log and latest lines first; a bad query is INVALID_ARGUMENT. */
  search: call({ input: JobLogSearchInput, output: JobLogSearchResultSchema, doc: 'Search all jobs’ logs.' }),
  /** Deletes one finished job's history (record, logs, metrics); audited. A running job is CONFLICT. */
  deleteJob: call({ input: z.object({ jobId: Id }).strict(), output: JobLogDeletionSchema, doc: 'Delete a job’s history.' }),
  /** Exports one job as one JSON file: the save dialog on the desktop, a download in the browser host. */
  export: call({ input: z.object({ jobId: Id }).strict(), output: JobExportResultSchema, doc: 'Export a job as one file.' }),
  /** The job-history retention policy (a setting). */
  retention: call({ input: EmptyInput, output: JobHistoryRetentionSchema, doc: 'Read the retention policy.' }),
  /** Saves the policy and applies it at once (also applied at startup and daily); returns what was removed. */
  setRetention: call({
    input: JobHistoryRetentionSchema.strict(),
    output: z.object({ policy: JobHistoryRetentionSchema, removed: JobLogDeletionSchema }),
    doc: 'Set and apply the retention policy.',
  }),
});
