// Migration 11 (API tokens): created on top of a version-10 database; hashes unique and 64 characters, names
// unique among tokens in force (a revoked token's name can be reused), rate limits positive or none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyConnection } from '../../../native/db/connection';
import { migrate, MIGRATIONS, schemaVersion } from '../../../native/db/migrations';
import { Sqlite } from '../../../native/db/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'evolve-mig11-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 011 api tokens', () => {
  it('adds the table to a version-10 database with its constraints', () => {
    const d = new Sqlite(join(dir, 'm.db'));
    keyConnection(d, 'ab'.repeat(32));
    migrate(d, MIGRATIONS, 10);
    d.exec(`INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 1)`);
    expect(migrate(d, MIGRATIONS, 11)).toEqual([11]);
    expect(schemaVersion(d)).toBe(11);
    expect(d.prepare(`SELECT value FROM settings WHERE key = 'k'`).get()).toEqual({ value: '1' });
    const ins = d.prepare(
      `INSERT INTO api_tokens (id, name, hash, prefix_hint, scopes, created_at, revoked_at, rate_limit_per_min) VALUES (?, ?, ?, 'evst_x', '["chat"]', 1, ?, ?)`,
    );
    ins.run('t1', 'editor', 'a'.repeat(64), null, 60);
    expect(() => ins.run('t2', 'editor', 'b'.repeat(64), null, 60)).toThrow(/UNIQUE/);
    expect(() => ins.run('t3', 'other', 'a'.repeat(64), null, 60)).toThrow(/UNIQUE/);
    expect(() => ins.run('t4', 'short', 'c'.repeat(63), null, 60)).toThrow(/CHECK/);
    expect(() => ins.run('t5', 'zero', 'd'.repeat(64), null, 0)).toThrow(/CHECK/);
    expect(() => ins.run('t6', '  ', 'e'.repeat(64), null, null)).toThrow(/CHECK/);
    d.prepare(`UPDATE api_tokens SET revoked_at = 2 WHERE id = 't1'`).run();
    ins.run('t7', 'editor', 'f'.repeat(64), null, null);
    expect(d.prepare('SELECT count(*) AS n FROM api_tokens').get()).toEqual({ n: 2 });
    d.close();
  });
});
