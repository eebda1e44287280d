// Worker handlers for job-log search and history housekeeping: line search with context, deleting a job's history,
// the retention sweep (each deletion and its audit row in one transaction) and index statistics.
import { EvolveError } from '../../../common/errors';
import { JOB_LOG_LIMITS, type JobLogHit } from '../../../common/store/job-log-requests';
import { auditedTx, type TxAudit } from './audited-tx';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { StoreDb } from '../connection';
import { fromSqlite } from '../errors';
import { bodyLines, chunkBody, indexLogChunk, LINE_SLOTS, purgeIndexedChunk, purgeOrphanChunks } from './job-log-index';

type Row = Record<string, unknown>;
/** Ray's final states (common/cluster/ray.ts isTerminalStatus): only these jobs' history may be deleted. */
const TERMINAL = ['STOPPED', 'SUCCEEDED', 'FAILED'];
const DAY_MS = 86_400_000;

const clip = (s: string) => (s.length > JOB_LOG_LIMITS.lineChars ? s.slice(0, JOB_LOG_LIMITS.lineChars) : s);

export function jobLogOps(db: () => StoreDb, audit: TxAudit) {
  /** Removes one job's postings, index rows and (by cascade) its log chunks; returns what went. */
  const deleteJobRows = (jobId: string): { logChunks: number; logLines: number } => {
    const chunks = db().all<{ id: number; lines: number }>('SELECT id, lines FROM job_log_index WHERE job_id = ?', jobId);
    let logLines = 0;
    for (const c of chunks) {
      purgeIndexedChunk(db().db, c);
      logLines += c.lines;
    }
    const logChunks = db().get<{ n: number }>('SELECT count(*) AS n FROM job_logs WHERE job_id = ?', jobId)?.n ?? 0;
    db().run('DELETE FROM jobs WHERE id = ?', jobId);
    return { logChunks, logLines };
  };

  const audited = auditedTx(db, audit);

  // FTS5 walks its rowids backwards and stops at the page: no sort of every match (measured on 1M indexed lines:
  // ~1 ms vs ~1.5 s when sorting by the job's submission time, a word on every line, under load).
  const search = (p: P<'jobLog.search'>): R<'jobLog.search'> => {
    const where = `job_log_fts MATCH ?${p.jobId === undefined ? '' : ' AND i.job_id = ?'}`;
    const args: unknown[] = p.jobId === undefined ? [p.match] : [p.match, p.jobId];
    const from = `FROM job_log_fts f JOIN job_log_index i ON i.id = f.rowid / ${LINE_SLOTS} JOIN jobs j ON j.id = i.job_id`;
    let rows: Row[];
    let total: number;
    try {
      total =
        db().get<{ n: number }>(`SELECT count(*) AS n FROM (SELECT 1 ${from} WHERE ${where} LIMIT ?)`, ...args, JOB_LOG_LIMITS.countCap + 1)
          ?.n ?? 0;
      rows = db().all<Row>(
        `SELECT f.rowid AS rid, i.id AS chunk, i.job_id, i.seq, i.submission_id, j.status, j.submitted_at,
                json_extract(j.metadata, '$.record.name') AS job_name, j.cluster_profile_id AS profile_id,
                p.id AS profile_row, p.name AS profile_name, json_extract(p.options, '$.removed') AS profile_removed
         ${from} LEFT JOIN cluster_profiles p ON p.id = j.cluster_profile_id
         WHERE ${where} ORDER BY f.rowid DESC LIMIT ? OFFSET ?`,
        ...args,
        p.limit,
        p.offset,
      );
    } catch (e) {
      // Main builds the expression; a query it let through that FTS5 still rejects is the user's input, not a bug.
      const msg = e instanceof Error ? e.message : String(e);
      if (/fts5|syntax error|no such column|unterminated|unknown special query/i.test(msg))
        throw new EvolveError('INVALID_ARGUMENT', `The search query is not valid: ${msg.replace(/^fts5:\s*/, '')}`);
      throw fromSqlite(e, 'Searching job logs');
    }
    const linesOf = new Map<number, string[]>();
    const chunkLines = (r: Row): string[] => {
      const id = r.chunk as number;
      let lines = linesOf.get(id);
      if (!lines) {
        const t = db().get<{ text: string }>('SELECT text FROM job_logs WHERE job_id = ? AND seq = ?', r.job_id, r.seq);
        lines = t ? bodyLines(chunkBody(t.text).body) : [];
        linesOf.set(id, lines);
      }
      return lines;
    };
    const hits: JobLogHit[] = [];
    for (const r of rows) {
      const lines = chunkLines(r);
      const n = (r.rid as number) - (r.chunk as number) * LINE_SLOTS;
      const text = lines[n - 1];
      if (text === undefined) continue; // chunk text gone since the match (cannot happen inside one worker turn)
      const removed = r.profile_removed === 1 || r.profile_removed === true;
      hits.push({
        jobId: r.job_id as string,
        jobName: typeof r.job_name === 'string' ? r.job_name : (r.job_id as string),
        jobStatus: r.status as string,
        submittedAt: r.submitted_at as number,
        profile: {
          id: (r.profile_id as string | null) ?? null,
          name: (r.profile_name as string | null) ?? null,
          deleted: r.profile_row === null || removed,
        },
        submissionId: (r.submission_id as string | null) ?? null,
        line: n,
        text: clip(text),
        truncated: text.length > JOB_LOG_LIMITS.lineChars,
        before: lines.slice(Math.max(0, n - 1 - p.context), n - 1).map(clip),
        after: lines.slice(n, n + p.context).map(clip),
      });
    }
    return { hits, total: Math.min(total, JOB_LOG_LIMITS.countCap), totalCapped: total > JOB_LOG_LIMITS.countCap };
  };

  return {
    'jobLog.search': search,
    'jobLog.deleteJob': (p: P<'jobLog.deleteJob'>): R<'jobLog.deleteJob'> =>
      audited('Deleting the job history', () => {
        const job = db().get<Row>(
          "SELECT id, status, cluster_profile_id, json_extract(metadata, '$.record.name') AS name FROM jobs WHERE id = ?",
          p.jobId,
        );
        if (!job) throw new EvolveError('NOT_FOUND', `No job ${p.jobId} in the history`);
        if (!TERMINAL.includes(job.status as string))
          throw new EvolveError('CONFLICT', `Job ${p.jobId} is ${String(job.status)}; stop it before deleting its history`);
        const gone = deleteJobRows(p.jobId);
        audit.append({
          kind: 'cluster.history-delete',
          data: {
            jobId: p.jobId.slice(0, 500),
            ...(typeof job.cluster_profile_id === 'string' ? { profileId: job.cluster_profile_id.slice(0, 500) } : {}),
            detail: typeof job.name === 'string' ? job.name.slice(0, 2000) : undefined,
            data: { logChunks: gone.logChunks, logLines: gone.logLines },
          },
        });
        return { jobs: 1, jobIds: [p.jobId], ...gone };
      }),
    'jobLog.applyRetention': (p: P<'jobLog.applyRetention'>): R<'jobLog.applyRetention'> =>
      audited('Applying the job history retention', () => {
        const empty = { jobs: 0, jobIds: [], logChunks: 0, logLines: 0, more: false };
        if (p.keepDays === 0 && p.keepNewest === 0) return empty;
        const cutoff = p.keepDays > 0 ? p.now - p.keepDays * DAY_MS : null;
        // Newest first, running jobs included: they count toward "the newest N" but are never deleted.
        const jobs = db().all<{ id: string; status: string; t: number }>(
          'SELECT id, status, coalesce(ended_at, submitted_at) AS t FROM jobs ORDER BY submitted_at DESC, id',
        );
        const doomed = jobs
          .filter((j, i) => TERMINAL.includes(j.status) && ((p.keepNewest > 0 && i >= p.keepNewest) || (cutoff !== null && j.t < cutoff)))
          .map((j) => j.id);
        if (doomed.length === 0) return empty;
        const batch = doomed.slice(0, p.maxJobs);
        let logChunks = 0;
        let logLines = 0;
        for (const id of batch) {
          const gone = deleteJobRows(id);
          logChunks += gone.logChunks;
          logLines += gone.logLines;
        }
        const orphans = purgeOrphanChunks(db().db);
        audit.append({
          kind: 'cluster.history-retention',
          data: {
            detail: `removed ${batch.length} job${batch.length === 1 ? '' : 's'}: ${batch.join(', ')}`.slice(0, 2000),
            data: { jobs: batch.length, logChunks, logLines: logLines + orphans.lines, keepDays: p.keepDays, keepNewest: p.keepNewest },
          },
        });
        return { jobs: batch.length, jobIds: batch, logChunks, logLines: logLines + orphans.lines, more: doomed.length > batch.length };
      }),
    'jobLog.stats': (): R<'jobLog.stats'> => {
      const idx = db().get<{ c: number; l: number | null }>('SELECT count(*) AS c, sum(lines) AS l FROM job_log_index');
      return {
        chunks: idx?.c ?? 0,
        lines: idx?.l ?? 0,
        ftsRows: db().get<{ n: number }>('SELECT count(*) AS n FROM job_log_fts')?.n ?? 0,
        jobs: db().get<{ n: number }>('SELECT count(*) AS n FROM jobs')?.n ?? 0,
      };
    },
    /** Called by job.appendLog (worker.ts) inside its transaction, so a stored chunk is always searchable. */
    indexChunk: (chunk: { jobId: string; seq: number; text: string }): number => indexLogChunk(db().db, chunk),
  };
}
