// Migration 8 (learned conventions): created on top of a version-7 database with its data intact; a convention's
// sources go with their generation or convention, the convention with its project; blank text and bad evidence refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyConnection } from '../../../native/db/connection';
import { migrate, MIGRATIONS, schemaVersion } from '../../../native/db/migrations';
import { Sqlite, type Database } from '../../../native/db/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'evolve-mig8-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function db(): Database {
  const d = new Sqlite(join(dir, `m${n++}.db`));
  keyConnection(d, 'ef'.repeat(32));
  d.pragma('foreign_keys = ON');
  return d;
}
const count = (d: Database, sql: string) => (d.prepare(sql).get() as { n: number }).n;

describe('migration 008 learned conventions', () => {
  it('adds the tables to a version-7 database and cascades from projects, generations and conventions', () => {
    const d = db();
    migrate(d, MIGRATIONS, 7);
    d.exec(`INSERT INTO projects (id, name, root_path, created_at, updated_at) VALUES ('p1', 'shop', '/src/shop', 1, 1);
      INSERT INTO codegen_generations (seq, id, project_id, request, type, lang, model, status, created_at, updated_at)
        VALUES (1, 'g1', 'p1', 'parse a price', 'function', 'python', 'm', 'done', 1, 1),
               (2, 'g2', 'p1', 'parse a date', 'function', 'python', 'm', 'done', 1, 1);`);
    expect(migrate(d, MIGRATIONS, 8)).toEqual([8]);
    expect(schemaVersion(d)).toBe(8);
    expect(count(d, 'SELECT count(*) AS n FROM codegen_generations')).toBe(2);

    d.exec(`INSERT INTO learned_conventions (seq, id, project_id, lang, kind, value, text, created_at, updated_at)
        VALUES (1, 'c1', 'p1', 'python', 'error-style', 'raise', 'Raise ValueError', 2, 2);
      INSERT INTO learned_convention_sources (convention_seq, generation_seq, evidence, at) VALUES (1, 1, 'edited', 2), (1, 2, 'kept', 3);`);
    // One row per (project, lang, kind, value).
    expect(() =>
      d.exec(`INSERT INTO learned_conventions (id, project_id, lang, kind, value, text, created_at, updated_at)
        VALUES ('c2', 'p1', 'python', 'error-style', 'raise', 'again', 2, 2)`),
    ).toThrow(/UNIQUE/);
    expect(() =>
      d.exec(`INSERT INTO learned_conventions (id, project_id, lang, kind, value, text, created_at, updated_at)
        VALUES ('c3', 'p1', 'python', 'quotes', 'single', '   ', 2, 2)`),
    ).toThrow(/CHECK/);
    expect(() => d.exec(`INSERT INTO learned_convention_sources VALUES (1, 1, 'guessed', 4)`)).toThrow(/CHECK|UNIQUE|PRIMARY/);
    expect(() => d.exec(`INSERT INTO learned_convention_sources VALUES (1, 99, 'kept', 4)`)).toThrow(/FOREIGN KEY/);

    d.exec(`DELETE FROM codegen_generations WHERE seq = 2`);
    expect(count(d, 'SELECT count(*) AS n FROM learned_convention_sources')).toBe(1);
    d.exec(`DELETE FROM projects WHERE id = 'p1'`);
    expect(count(d, 'SELECT count(*) AS n FROM learned_conventions')).toBe(0);
    expect(count(d, 'SELECT count(*) AS n FROM learned_convention_sources')).toBe(0);
    d.close();
  });
});
