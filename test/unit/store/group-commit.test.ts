// Unit: group commit on a real SQLCipher connection — a burst commits once (fewer WAL frames than one commit per
// write), a failing write rolls back alone, flushNow keeps request order, a closed store rejects without crashing.
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { keyConnection } from '../../../native/db/connection';
import { GroupCommit } from '../../../native/db/group-commit';
import { Sqlite, type Database } from '../../../native/db/sqlite';
import { tempDir } from '../../support/temp-tree';

function open(): Database {
  const { dir, cleanup } = tempDir('group-commit-');
  onTestFinished(cleanup); // removed when the calling test ends, pass or fail
  const db = new Sqlite(join(dir, 'x.db'));
  keyConnection(db, 'ab'.repeat(32));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0'); // frames stay in the WAL so the test can count them
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  return db;
}
const walFrames = (db: Database) => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]?.log ?? 0;
const insert = (db: Database, v: string) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid;

describe('GroupCommit', () => {
  it('commits a burst in one transaction: far fewer WAL frames than one commit per write', async () => {
    const separate = open();
    for (let i = 0; i < 200; i++) insert(separate, `row ${i}`)();
    const grouped = open();
    const gc = new GroupCommit(() => grouped);
    const ids = await Promise.all(Array.from({ length: 200 }, (_, i) => gc.submit(insert(grouped, `row ${i}`))));
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(grouped.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 200 });
    expect(walFrames(grouped) * 10).toBeLessThan(walFrames(separate));
  });

  it('rolls back a failing write alone; the others in its group commit', async () => {
    const db = open();
    const gc = new GroupCommit(() => db);
    const results = await Promise.allSettled([gc.submit(insert(db, 'a')), gc.submit(insert(db, 'a')), gc.submit(insert(db, 'b'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(db.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['a', 'b']);
  });

  it('flushNow commits what is queued before a later read runs', async () => {
    const db = open();
    const gc = new GroupCommit(() => db);
    const pending = gc.submit(insert(db, 'queued'));
    expect(gc.pending).toBe(1);
    gc.flushNow();
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual(['queued']);
    await expect(pending).resolves.toBe(1);
  });

  it('splits a huge burst into groups of at most maxGroup writes', async () => {
    const db = open();
    const gc = new GroupCommit(() => db, 50);
    await Promise.all(Array.from({ length: 120 }, (_, i) => gc.submit(insert(db, `r${i}`))));
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 120 });
  });

  it('rejects every queued write when the store is closed, without throwing out of the event loop', async () => {
    const gc = new GroupCommit(() => {
      throw new Error('store is locked');
    });
    const r = await Promise.allSettled([gc.submit(() => 1), gc.submit(() => 2)]);
    expect(r.map((x) => (x.status === 'rejected' ? (x.reason as Error).message : 'ok'))).toEqual(['store is locked', 'store is locked']);
  });
});
