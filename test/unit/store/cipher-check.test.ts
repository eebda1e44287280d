// Unit tests for the independent SQLCipher 4 page check: intact, wrong key, one damaged page, damaged header, WAL-healed page.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCipherPages, verdictOf } from '../../../native/db/cipher-check';
import { keyConnection } from '../../../native/db/connection';
import { Sqlite } from '../../../native/db/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'evolve-cc-'));
const key = randomBytes(32);
const db = join(dir, 'c.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  const d = new Sqlite(db);
  keyConnection(d, key.toString('hex'));
  d.exec('CREATE TABLE t (x TEXT)');
  const ins = d.prepare('INSERT INTO t VALUES (?)');
  d.transaction(() => {
    for (let i = 0; i < 3000; i++) ins.run(`row ${i} `.repeat(10));
  })();
  d.close();
});

function damaged(name: string, offset: number): string {
  const p = join(dir, name);
  const b = readFileSync(db);
  b[offset] = (b[offset] ?? 0) ^ 0x01;
  writeFileSync(p, b);
  return p;
}

describe('checkCipherPages', () => {
  it('verifies every page of an intact file with the right key', () => {
    const r = checkCipherPages(db, key);
    expect(r.pages).toBeGreaterThan(50);
    expect(r.badCount).toBe(0);
    expect(verdictOf(r)).toBe('ok');
  });
  it('calls a file where no page verifies a wrong key', () => {
    expect(verdictOf(checkCipherPages(db, randomBytes(32)))).toBe('wrong-key');
  });
  it('finds one flipped bit in a data page, by page number', () => {
    const r = checkCipherPages(damaged('d1.db', 4096 * 9 + 1234), key);
    expect(r.badPages).toEqual([10]);
    expect(verdictOf(r)).toBe('corrupt');
  });
  it('finds a flipped bit in the header page (after the salt)', () => {
    const r = checkCipherPages(damaged('d2.db', 40), key);
    expect(r.badPages).toEqual([1]);
    expect(verdictOf(r)).toBe('corrupt');
  });
  it('flags a truncated trailing page', () => {
    const p = join(dir, 'trunc.db');
    writeFileSync(p, readFileSync(db).subarray(0, 4096 * 20 + 100));
    expect(checkCipherPages(p, key).badPages).toEqual([21]);
  });
  it('counts a bad page that the -wal holds a good copy of as healed', () => {
    const p = damaged('w.db', 4096 * 4 + 10);
    // A minimal WAL: 32-byte header, then one frame (24-byte header with the page number, then the intact page).
    const frame = Buffer.alloc(24);
    frame.writeUInt32BE(5, 0);
    writeFileSync(`${p}-wal`, Buffer.concat([Buffer.alloc(32), frame, readFileSync(db).subarray(4096 * 4, 4096 * 5)]));
    const r = checkCipherPages(p, key);
    expect(r).toMatchObject({ badCount: 1, healedByWal: 1 });
    expect(verdictOf(r)).toBe('ok');
  });
  it('reports an empty file as empty', () => {
    const p = join(dir, 'empty.db');
    writeFileSync(p, '');
    expect(verdictOf(checkCipherPages(p, key))).toBe('empty');
  });
});
