// Migration 6 (project index): threads and their messages survive the threads rebuild and a project's removal;
// removing a project deletes its whole index through the cascade, FTS rows included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyConnection } from '../../../native/db/connection';
import { migrate, MIGRATIONS, schemaVersion } from '../../../native/db/migrations';
import { Sqlite, type Database } from '../../../native/db/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'evolve-mig6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function db(): Database {
  const d = new Sqlite(join(dir, `m${n++}.db`));
  keyConnection(d, 'cd'.repeat(32));
  d.pragma('foreign_keys = ON');
  return d;
}
const count = (d: Database, sql: string, ...args: unknown[]) => (d.prepare(sql).get(...args) as { n: number }).n;

describe('migration 006 project index', () => {
  it('keeps existing threads and messages through the rebuild, and detaches them when their project goes', () => {
    const d = db();
    migrate(d, MIGRATIONS, 5);
    d.exec(`INSERT INTO projects (id, name, root_path, created_at, updated_at) VALUES ('p1', 'demo', '/src/demo', 1, 1);
      INSERT INTO threads (id, project_id, title, created_at) VALUES ('t1', 'p1', 'first', 2), ('t2', NULL, 'loose', 3);
      INSERT INTO messages (id, thread_id, role, content, created_at) VALUES ('m1', 't1', 'user', 'quaternion question', 4);`);
    expect(migrate(d, MIGRATIONS, 6)).toEqual([6]);
    expect(schemaVersion(d)).toBe(6);
    expect(d.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(count(d, 'SELECT count(*) AS n FROM messages')).toBe(1);
    expect(count(d, `SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'quaternion'`)).toBe(1);
    expect(d.prepare(`SELECT include_globs, exclude_globs, index_state FROM projects`).get()).toEqual({
      include_globs: '[]',
      exclude_globs: '[]',
      index_state: null,
    });
    // The threads index came back, and the rebuilt table still enforces its foreign key.
    expect(count(d, `SELECT count(*) AS n FROM sqlite_master WHERE name = 'threads_by_project'`)).toBe(1);
    expect(() => d.exec(`INSERT INTO threads (id, project_id, title, created_at) VALUES ('t3', 'nope', '', 5)`)).toThrow(/FOREIGN KEY/);

    d.exec(`INSERT INTO index_files (project_id, rel, size, mtime_ms, hash, lang, status, indexed_at) VALUES ('p1', 'a.ts', 10, 1, 'h', 'typescript', 'indexed', 1);
      INSERT INTO index_chunks (seq, project_id, hash, text) VALUES (7, 'p1', 'c1', 'function parseQuaternion() {}');
      INSERT INTO index_spans (project_id, rel, chunk_seq, start_line, end_line, kind) VALUES ('p1', 'a.ts', 7, 1, 1, 'function');
      INSERT INTO index_vectors (project_id, chunk_seq, model, emb) VALUES ('p1', 7, 'm', x'01020304');
      INSERT INTO index_fts (rowid, terms) VALUES (7, 'parsequaternion parse quaternion');`);
    expect(count(d, `SELECT count(*) AS n FROM index_fts WHERE index_fts MATCH 'quaternion'`)).toBe(1);

    d.exec(`DELETE FROM projects WHERE id = 'p1'`);
    expect(d.prepare('SELECT id, project_id FROM threads ORDER BY id').all()).toEqual([
      { id: 't1', project_id: null },
      { id: 't2', project_id: null },
    ]);
    expect(count(d, 'SELECT count(*) AS n FROM messages')).toBe(1);
    for (const t of ['index_files', 'index_chunks', 'index_spans', 'index_vectors'])
      expect(count(d, `SELECT count(*) AS n FROM ${t}`)).toBe(0);
    expect(count(d, `SELECT count(*) AS n FROM index_fts WHERE index_fts MATCH 'quaternion'`)).toBe(0);
    d.close();
  });

  it('refuses a span for a file that is not in the catalog, and malformed globs', () => {
    const d = db();
    migrate(d);
    d.exec(`INSERT INTO projects (id, name, root_path, created_at, updated_at) VALUES ('p', 'x', '/x', 1, 1);
      INSERT INTO index_chunks (seq, project_id, hash, text) VALUES (1, 'p', 'c', 't');`);
    expect(() =>
      d.exec(
        `INSERT INTO index_spans (project_id, rel, chunk_seq, start_line, end_line, kind) VALUES ('p', 'missing.ts', 1, 1, 1, 'window')`,
      ),
    ).toThrow(/FOREIGN KEY/);
    expect(() => d.exec(`UPDATE projects SET include_globs = 'not json'`)).toThrow(/CHECK/);
    d.close();
  });
});
