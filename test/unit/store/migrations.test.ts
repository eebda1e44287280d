// One test per migration, on a real SQLCipher database in memory: each version's tables, triggers and constraints.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyConnection } from '../../../native/db/connection';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../../native/db/migrations';
import type { Migration } from '../../../native/db/migrations/types';
import { Sqlite, type Database } from '../../../native/db/sqlite';

// In-memory databases cannot be keyed, so each test gets a small encrypted file.
const dir = mkdtempSync(join(tmpdir(), 'evolve-mig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function db(): Database {
  const d = new Sqlite(join(dir, `m${n++}.db`));
  keyConnection(d, 'ab'.repeat(32));
  d.pragma('foreign_keys = ON');
  return d;
}
const tables = (d: Database) =>
  (d.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','trigger') ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('migrations', () => {
  it('are numbered 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('001 core: creates every domain table with its constraints', () => {
    const d = db();
    expect(migrate(d, MIGRATIONS, 1)).toEqual([1]);
    expect(schemaVersion(d)).toBe(1);
    expect(tables(d)).toEqual(
      expect.arrayContaining([
        'projects',
        'threads',
        'messages',
        'generations',
        'models',
        'provider_configs',
        'cluster_profiles',
        'jobs',
        'job_logs',
        'usage',
        'settings',
      ]),
    );
    expect(() =>
      d.prepare("INSERT INTO messages (id, thread_id, role, content, created_at) VALUES ('m', 'no-thread', 'user', 'x', 1)").run(),
    ).toThrow(/FOREIGN KEY/);
    d.prepare("INSERT INTO threads (id, title, created_at) VALUES ('t', '', 1)").run();
    expect(() =>
      d.prepare("INSERT INTO messages (id, thread_id, role, content, created_at) VALUES ('m', 't', 'robot', 'x', 1)").run(),
    ).toThrow(/CHECK/);
  });

  it('002 search: indexes rows that existed before it, and triggers keep it in sync', () => {
    const d = db();
    migrate(d, MIGRATIONS, 1);
    d.prepare("INSERT INTO threads (id, title, created_at) VALUES ('t', '', 1)").run();
    d.prepare("INSERT INTO messages (id, thread_id, role, content, created_at) VALUES ('old', 't', 'user', 'preexisting walrus', 1)").run();
    expect(migrate(d, MIGRATIONS, 2)).toEqual([2]);
    const count = (q: string) => (d.prepare('SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?').get(q) as { n: number }).n;
    expect(count('walrus')).toBe(1);
    d.prepare("INSERT INTO messages (id, thread_id, role, content, created_at) VALUES ('new', 't', 'user', 'fresh narwhal', 2)").run();
    expect(count('narwhal')).toBe(1);
    d.prepare("UPDATE messages SET content = 'edited dolphin' WHERE id = 'new'").run();
    expect([count('narwhal'), count('dolphin')]).toEqual([0, 1]);
    d.prepare("DELETE FROM messages WHERE id = 'new'").run();
    expect(count('dolphin')).toBe(0);
    d.prepare(
      "INSERT INTO generations (id, prompt, provider, model, output, created_at) VALUES ('g', 'prompt otter', 'p', 'm', 'output beaver', 1)",
    ).run();
    expect((d.prepare("SELECT count(*) AS n FROM generations_fts WHERE generations_fts MATCH 'beaver'").get() as { n: number }).n).toBe(1);
  });

  it('004 message stats: adds a JSON stats column to existing messages, refusing malformed JSON', () => {
    const d = db();
    migrate(d, MIGRATIONS, 3);
    d.prepare("INSERT INTO threads (id, title, created_at) VALUES ('t', '', 1)").run();
    d.prepare("INSERT INTO messages (id, thread_id, role, content, created_at) VALUES ('before', 't', 'user', 'hi', 1)").run();
    expect(migrate(d, MIGRATIONS, 4)).toEqual([4]);
    expect((d.prepare("SELECT stats FROM messages WHERE id = 'before'").get() as { stats: unknown }).stats).toBeNull();
    d.prepare(
      "INSERT INTO messages (id, thread_id, role, content, stats, created_at) VALUES ('after', 't', 'assistant', 'yo', '{\"tps\":12.5}', 2)",
    ).run();
    expect(JSON.parse((d.prepare("SELECT stats FROM messages WHERE id = 'after'").get() as { stats: string }).stats)).toEqual({
      tps: 12.5,
    });
    expect(() =>
      d
        .prepare("INSERT INTO messages (id, thread_id, role, content, stats, created_at) VALUES ('bad', 't', 'user', 'x', '{oops', 3)")
        .run(),
    ).toThrow(/CHECK/);
  });

  it('005 response cache: a keyed JSON cache table that refuses malformed values', () => {
    const d = db();
    migrate(d, MIGRATIONS, 4);
    expect(migrate(d, MIGRATIONS, 5)).toEqual([5]);
    d.prepare('INSERT INTO response_cache (key, value, stored_at, used_at) VALUES (\'ab\', \'{"text":"hi"}\', 1, 1)').run();
    expect(() => d.prepare("INSERT INTO response_cache (key, value, stored_at, used_at) VALUES ('ab', '{}', 1, 1)").run()).toThrow(
      /UNIQUE/,
    );
    expect(() => d.prepare("INSERT INTO response_cache (key, value, stored_at, used_at) VALUES ('cd', 'nope', 1, 1)").run()).toThrow(
      /CHECK/,
    );
  });

  it('003 audit: the audit table refuses UPDATE and DELETE', () => {
    const d = db();
    migrate(d, MIGRATIONS, 2);
    expect(migrate(d, MIGRATIONS, 3)).toEqual([3]);
    d.prepare("INSERT INTO audit (seq, at, kind, data, prev_hash, hash) VALUES (1, 1, 'k', '{}', 'p', 'h')").run();
    expect(() => d.prepare("UPDATE audit SET kind = 'x'").run()).toThrow(/append-only/);
    expect(() => d.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect((d.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n).toBe(1);
  });

  it('runs each migration in a transaction: a failing one leaves the previous version intact', () => {
    const d = db();
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'broken',
      up(x) {
        x.exec('CREATE TABLE half_done (x)');
        throw new Error('boom');
      },
    };
    migrate(d);
    expect(() => migrate(d, [...MIGRATIONS, broken])).toThrow('boom');
    expect(schemaVersion(d)).toBe(LATEST_VERSION);
    expect(tables(d)).not.toContain('half_done');
  });

  it('refuses a database newer than the app (no silent downgrade)', () => {
    const d = db();
    d.pragma('user_version = 99');
    expect(() => migrate(d)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('is idempotent', () => {
    const d = db();
    expect(migrate(d)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(d)).toEqual([]);
  });
});
