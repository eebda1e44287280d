// Migration 9 (job-log search): on a version-8 database with stored logs, every existing line becomes searchable
// (backfill) with its chunk and line number; a re-stored attempt supersedes its earlier chunk; purging leaves no rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOB_LOG_ATTEMPT_HEADER } from '../../../common/store/job-log-requests';
import { keyConnection } from '../../../native/db/connection';
import { migrate, MIGRATIONS, schemaVersion } from '../../../native/db/migrations';
import { indexLogChunk, LINE_SLOTS, purgeIndexedChunk, purgeOrphanChunks } from '../../../native/db/ops/job-log-index';
import { Sqlite, type Database } from '../../../native/db/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'evolve-mig9-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function db(): Database {
  const d = new Sqlite(join(dir, 'm.db'));
  keyConnection(d, 'ab'.repeat(32));
  d.pragma('foreign_keys = ON');
  return d;
}
const n = (d: Database, sql: string, ...args: unknown[]) => (d.prepare(sql).get(...args) as { n: number }).n;
const hits = (d: Database, q: string) =>
  (d.prepare('SELECT rowid FROM job_log_fts WHERE job_log_fts MATCH ? ORDER BY rowid').all(q) as { rowid: number }[]).map((r) => ({
    chunk: Math.floor(r.rowid / LINE_SLOTS),
    line: r.rowid % LINE_SLOTS,
  }));

describe('migration 009 job-log search', () => {
  it('backfills existing logs line by line, supersedes re-stored attempts and purges without leftovers', () => {
    const d = db();
    migrate(d, MIGRATIONS, 8);
    d.exec(
      `INSERT INTO jobs (id, cluster_profile_id, entrypoint, status, submitted_at, metadata) VALUES ('j1', NULL, 'python t.py', 'FAILED', 1, 'null')`,
    );
    const put = d.prepare('INSERT INTO job_logs (job_id, seq, text, at) VALUES (?, ?, ?, 1)');
    put.run('j1', 1, `${JOB_LOG_ATTEMPT_HEADER}sub-a\nstep 1 loss 2.5\nRuntimeError: CUDA out of memory\r\nstep 2`);
    put.run('j1', 2, 'a chunk without header\nsecond línea');
    expect(migrate(d, MIGRATIONS, 9)).toEqual([9]);
    expect(schemaVersion(d)).toBe(9);
    expect(n(d, 'SELECT count(*) AS n FROM job_log_index')).toBe(2);
    const [first] = hits(d, '"cuda" "memory"');
    expect(first?.line).toBe(2);
    // Diacritics are folded (the project's tokenizer), and a chunk without a header counts lines from its first.
    expect(hits(d, '"linea"')).toEqual([{ chunk: 2, line: 2 }]);

    // The same attempt stored again: only the new chunk is searchable.
    put.run('j1', 3, `${JOB_LOG_ATTEMPT_HEADER}sub-a\nstep 1 loss 2.5\nfinal words`);
    indexLogChunk(d, { jobId: 'j1', seq: 3, text: d.prepare('SELECT text FROM job_logs WHERE seq = 3').pluck().get() as string });
    expect(hits(d, '"cuda"')).toEqual([]);
    expect(hits(d, '"final"')).toEqual([{ chunk: 3, line: 2 }]);
    expect(n(d, 'SELECT count(*) AS n FROM job_log_fts')).toBe(n(d, 'SELECT sum(lines) AS n FROM job_log_index'));

    // A job outlives its cluster profile: the profile row's deletion sets the job's reference to NULL, logs stay.
    d.exec(`INSERT INTO cluster_profiles (id, name, dashboard_url, updated_at) VALUES ('lab', 'GPU lab', 'http://x', 1);
      UPDATE jobs SET cluster_profile_id = 'lab' WHERE id = 'j1'; DELETE FROM cluster_profiles WHERE id = 'lab';`);
    expect(n(d, "SELECT count(*) AS n FROM jobs WHERE id = 'j1' AND cluster_profile_id IS NULL")).toBe(1);
    expect(hits(d, '"final"')).toHaveLength(1);

    // Deleting the job cascades its chunks; the sweep then removes their postings and index rows.
    d.exec(`DELETE FROM jobs WHERE id = 'j1'`);
    expect(purgeOrphanChunks(d)).toEqual({ chunks: 2, lines: 4 });
    expect(n(d, 'SELECT count(*) AS n FROM job_log_fts')).toBe(0);
    expect(n(d, 'SELECT count(*) AS n FROM job_log_index')).toBe(0);
    purgeIndexedChunk(d, { id: 99, lines: 3 }); // nothing there: harmless
    d.close();
  });
});
