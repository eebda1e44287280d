// Job-log line index (migration 9): splits a stored log chunk into lines and writes them to the contentless FTS5
// table `job_log_fts`, keyed so a hit names its chunk and line; removes a chunk's postings row by row.
import { JOB_LOG_ATTEMPT_HEADER } from '../../../common/store/job-log-requests';
import type { Database } from '../sqlite';

/** FTS rowid = chunk index id × LINE_SLOTS + line number; 2^24 lines per chunk (the repository caps logs at ~2M chars). */
export const LINE_SLOTS = 16_777_216;
/** Longer lines are indexed by their first characters only (a progress bar redrawn with \r can be megabytes). */
const MAX_INDEXED_LINE_CHARS = 10_000;

export interface LogChunkBody {
  submissionId: string | null;
  /** The log text after the attempt header line. */
  body: string;
}

/** Separates the attempt header (see JOB_LOG_ATTEMPT_HEADER) from the log lines. */
export function chunkBody(text: string): LogChunkBody {
  if (!text.startsWith(JOB_LOG_ATTEMPT_HEADER)) return { submissionId: null, body: text };
  const nl = text.indexOf('\n');
  return {
    submissionId: text.slice(JOB_LOG_ATTEMPT_HEADER.length, nl < 0 ? undefined : nl),
    body: nl < 0 ? '' : text.slice(nl + 1),
  };
}

/** Lines of a chunk body as the search shows them (line n is element n - 1); a trailing \r is dropped. */
export function bodyLines(body: string): string[] {
  return body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/**
 * Deletes one indexed chunk's FTS rows and its index row. Rows go one by one: a rowid-range DELETE on a contentless
 * FTS5 table scans the whole index (measured: ~36 ms per range at 300k rows vs ~13 µs per single-row delete).
 */
export function purgeIndexedChunk(db: Database, chunk: { id: number; lines: number }): void {
  const del = db.prepare('DELETE FROM job_log_fts WHERE rowid = ?');
  const base = chunk.id * LINE_SLOTS;
  for (let n = 1; n <= chunk.lines; n++) del.run(base + n);
  db.prepare('DELETE FROM job_log_index WHERE id = ?').run(chunk.id);
}

/**
 * Indexes one chunk of `job_logs` (every line, so a chunk's rowids are exactly 1..lines and can be deleted without
 * reading the text again). An earlier chunk of the same attempt is superseded (the repository re-stores an attempt's
 * whole log), so its postings are removed and search never shows a line twice. Returns the number of lines indexed.
 */
export function indexLogChunk(db: Database, chunk: { jobId: string; seq: number; text: string }): number {
  const { submissionId, body } = chunkBody(chunk.text);
  if (submissionId !== null) {
    const older = db
      .prepare('SELECT id, lines FROM job_log_index WHERE job_id = ? AND submission_id = ? AND seq < ?')
      .all(chunk.jobId, submissionId, chunk.seq) as { id: number; lines: number }[];
    for (const o of older) purgeIndexedChunk(db, o);
  }
  const lines = bodyLines(body);
  const count = Math.min(lines.length, LINE_SLOTS - 1);
  const id = Number(
    db
      .prepare('INSERT INTO job_log_index (job_id, seq, submission_id, lines) VALUES (?, ?, ?, ?)')
      .run(chunk.jobId, chunk.seq, submissionId, count).lastInsertRowid,
  );
  const ins = db.prepare('INSERT INTO job_log_fts (rowid, text) VALUES (?, ?)');
  const base = id * LINE_SLOTS;
  for (let n = 1; n <= count; n++) {
    const line = lines[n - 1] as string;
    ins.run(base + n, line.length > MAX_INDEXED_LINE_CHARS ? line.slice(0, MAX_INDEXED_LINE_CHARS) : line);
  }
  return count;
}

/** Index rows whose chunk is gone (a job deleted by some other path): their postings are purged. */
export function purgeOrphanChunks(db: Database): { chunks: number; lines: number } {
  const orphans = db
    .prepare(
      `SELECT i.id, i.lines FROM job_log_index i
       WHERE NOT EXISTS (SELECT 1 FROM job_logs l WHERE l.job_id = i.job_id AND l.seq = i.seq)`,
    )
    .all() as { id: number; lines: number }[];
  let lines = 0;
  for (const o of orphans) {
    purgeIndexedChunk(db, o);
    lines += o.lines;
  }
  return { chunks: orphans.length, lines };
}
