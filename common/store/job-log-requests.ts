// DB worker requests of job-log search and history housekeeping (issue 16 item 3): full-text search over every
// stored job log line, deleting one job's history, and the retention sweep — each deletion audited in its transaction.
import { z } from 'zod';

const Id = z.string().min(1).max(200);
const Ts = z.number().int().nonnegative();

/**
 * Each stored log chunk starts with this line naming its attempt (written by StoreJobRepository.putAttemptOutput);
 * line numbers count from the line after it. A later chunk for the same attempt replaces the earlier one in the index.
 */
export const JOB_LOG_ATTEMPT_HEADER = '\u0000evolve-attempt:';

/** Search hits carry at most this many context lines on each side, and each line at most this many characters. */
export const JOB_LOG_LIMITS = { context: 10, lineChars: 2000, pageSize: 200, countCap: 10_000 } as const;

/** Where a hit's job ran: the profile's name, and whether that profile was removed (or its row is gone). */
export const JobLogProfileSchema = z.object({ id: Id.nullable(), name: z.string().nullable(), deleted: z.boolean() });

export const JobLogHitSchema = z.object({
  jobId: Id,
  jobName: z.string(),
  jobStatus: z.string(),
  submittedAt: Ts,
  profile: JobLogProfileSchema,
  /** The attempt (Ray submission) whose log holds the line; null for a chunk written without an attempt header. */
  submissionId: z.string().nullable(),
  /** 1-based line number within that attempt's log. */
  line: z.number().int().positive(),
  text: z.string(),
  /** Set when `text` was cut to JOB_LOG_LIMITS.lineChars. */
  truncated: z.boolean(),
  before: z.array(z.string()),
  after: z.array(z.string()),
});
export type JobLogHit = z.infer<typeof JobLogHitSchema>;

export const JobLogDeletionSchema = z.object({
  jobs: z.number().int().nonnegative(),
  jobIds: z.array(Id),
  logChunks: z.number().int().nonnegative(),
  logLines: z.number().int().nonnegative(),
});
export type JobLogDeletion = z.infer<typeof JobLogDeletionSchema>;

export const JobLogRequests = {
  /**
   * `match` is an FTS5 expression built by main's query parser (main/services/cluster/job-logs/query.ts); anything
   * SQLite still refuses comes back as INVALID_ARGUMENT. The most recently stored log first; within a log, its last lines
   * first (where a failure is).
   */
  'jobLog.search': {
    params: z.object({
      match: z.string().min(1).max(4000),
      jobId: Id.optional(),
      limit: z.number().int().min(1).max(JOB_LOG_LIMITS.pageSize).default(50),
      offset: z.number().int().nonnegative().max(1_000_000).default(0),
      context: z.number().int().min(0).max(JOB_LOG_LIMITS.context).default(2),
    }),
    result: z.object({
      hits: z.array(JobLogHitSchema),
      /** Matching lines, counted up to JOB_LOG_LIMITS.countCap (then `totalCapped`). */
      total: z.number().int().nonnegative(),
      totalCapped: z.boolean(),
    }),
  },
  /** Deletes one finished job's history (record, logs, index rows); audited as cluster.history-delete. */
  'jobLog.deleteJob': { params: z.object({ jobId: Id }), result: JobLogDeletionSchema },
  /**
   * Deletes finished jobs older than `keepDays` (by end, else submission time) and/or beyond the newest `keepNewest`
   * (0 = that rule is off); running jobs are never deleted. At most `maxJobs` per call, audited as one
   * cluster.history-retention row with the counts; `more` says another call has work left.
   */
  'jobLog.applyRetention': {
    params: z.object({
      keepDays: z.number().int().min(0).max(36_500),
      keepNewest: z.number().int().min(0).max(1_000_000),
      now: Ts,
      maxJobs: z.number().int().min(1).max(1000).default(200),
    }),
    result: JobLogDeletionSchema.extend({ more: z.boolean() }),
  },
  /** What the index holds (tests and the doctor: FTS rows must equal indexed lines — no orphans). */
  'jobLog.stats': {
    params: z.object({}).strict(),
    result: z.object({ chunks: z.number().int(), lines: z.number().int(), ftsRows: z.number().int(), jobs: z.number().int() }),
  },
} as const;
