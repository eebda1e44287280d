// Migration 9: full-text search over job log lines — a contentless FTS5 index written by the DB worker, plus the
// map from each indexed log chunk to its job, attempt and line count; existing logs are indexed (backfill).
import { indexLogChunk } from '../ops/job-log-index';
import type { Migration } from './types';

/**
 * Why contentless and written by the worker rather than triggers: `job_logs` keeps one row per attempt (up to ~2 MiB)
 * and search works per line. SQLite triggers cannot split text into lines (no CTEs inside triggers), and an
 * external-content table would need a second copy of every line. So the worker splits each chunk as it stores it
 * (same transaction) and the FTS rowid encodes chunk and line; the text is read back from `job_logs` for display.
 * The tokenizer is the project's (002_search, 006_project_index): unicode61 with diacritics folded.
 * `job_log_index` has no foreign key on purpose: a cascade would drop the line counts needed to remove postings, so
 * deletions go through the worker's job-log ops, which purge postings first (and sweep any orphans).
 */
export const migration009: Migration = {
  version: 9,
  name: 'job-log-search',
  up(db) {
    db.exec(`
      CREATE TABLE job_log_index (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        submission_id TEXT,
        lines INTEGER NOT NULL CHECK (lines >= 0),
        UNIQUE (job_id, seq)
      ) STRICT;
      CREATE INDEX job_log_index_by_attempt ON job_log_index(job_id, submission_id);
      CREATE VIRTUAL TABLE job_log_fts USING fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
    `);
    // Keys first, then one chunk's text at a time: a long history does not have to fit in memory at once.
    const keys = db.prepare('SELECT job_id, seq FROM job_logs ORDER BY job_id, seq').all() as { job_id: string; seq: number }[];
    const text = db.prepare('SELECT text FROM job_logs WHERE job_id = ? AND seq = ?').pluck();
    for (const k of keys) indexLogChunk(db, { jobId: k.job_id, seq: k.seq, text: text.get(k.job_id, k.seq) as string });
  },
};
