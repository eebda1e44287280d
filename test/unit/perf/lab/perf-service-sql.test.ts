// PerfService's SQL calls before anything runs in the sandbox: an untrusted project is FORBIDDEN and nothing is read or
// run (the interactive queue is never entered); a project without a schema lists its queries with why they are not
// planned, and refuses a verification as INVALID_ARGUMENT; a malformed index statement is INVALID_ARGUMENT; an
// already-aborted verification is CANCELLED. The file gathering takes .sql/.prisma and skips node_modules.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PerfService } from '../../../../main/services/perf/lab/perf-service';
import { sqlProjectFiles } from '../../../../main/services/perf/lab/sql-lab';
import { memoryTrust } from '../../../support/perf/memory-trust';

const withSchema = mkdtempSync(path.join(os.tmpdir(), 'evolve-perf-sql-'));
const noSchema = mkdtempSync(path.join(os.tmpdir(), 'evolve-perf-sql-none-'));
writeFileSync(path.join(withSchema, 'schema.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n');
writeFileSync(
  path.join(withSchema, 'repo.py'),
  'def find(db, email):\n    return db.execute("SELECT id FROM users WHERE email = ?", (email,))\n',
);
mkdirSync(path.join(withSchema, 'node_modules', 'pkg'), { recursive: true });
writeFileSync(path.join(withSchema, 'node_modules', 'pkg', 'dump.sql'), 'CREATE TABLE vendored (id INTEGER);\n');
mkdirSync(path.join(withSchema, 'prisma'));
writeFileSync(path.join(withSchema, 'prisma', 'schema.prisma'), 'model Post {\n  id Int @id\n}\n');
writeFileSync(
  path.join(noSchema, 'repo.py'),
  'def find(db, email):\n    return db.execute("SELECT id FROM users WHERE email = ?", (email,))\n',
);
afterAll(() => {
  rmSync(withSchema, { recursive: true, force: true });
  rmSync(noSchema, { recursive: true, force: true });
});

const { trust, clear: clearTrust } = memoryTrust();
const roots: Record<string, string> = { p1: withSchema, p2: noSchema };
let entered: string[] = [];
let audited = 0;
const service = new PerfService({
  projects: { get: async (id) => ({ id, rootPath: roots[id]! }) },
  assertTrusted: (id) => trust.assertTrusted(id),
  generate: () => Promise.reject(new Error('the model is not part of this test')),
  audit: async () => {
    audited += 1;
  },
  interactive: (label, fn) => {
    entered.push(label);
    return fn();
  },
});
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code,
  );
const LOOKUP = 'SELECT id FROM users WHERE email = ?';
const DDL = 'CREATE INDEX ix_users_email ON users (email)';

beforeEach(() => {
  clearTrust();
  entered = [];
  audited = 0;
});

describe('PerfService SQL calls', () => {
  it('refuses an untrusted project as FORBIDDEN before reading or running anything', async () => {
    expect(await code(service.sqlQueries({ projectId: 'p1' }))).toBe('FORBIDDEN');
    expect(await code(service.verifyIndex({ projectId: 'p1', sql: LOOKUP, ddl: DDL, sizes: [10, 20, 40] }))).toBe('FORBIDDEN');
    expect(entered).toEqual([]);
    expect(audited).toBe(0);
  });

  it('lists the queries of a project without a schema, each saying why it was not planned', async () => {
    await trust.set('p2', true);
    const r = await service.sqlQueries({ projectId: 'p2' });
    expect(entered).toEqual(['sql-queries']);
    expect(r.truncated).toBe(false);
    expect(r.queries).toHaveLength(1);
    expect(r.queries[0]).toMatchObject({ file: 'repo.py', line: 2, sql: LOOKUP, origin: 'string', proposals: [] });
    expect(r.queries[0]!.plan).toBeUndefined();
    expect(r.queries[0]!.error).toMatch(/No schema found/);
  });

  it('refuses a verification without a schema, a malformed index, and an aborted run with typed errors', async () => {
    await trust.set('p1', true);
    await trust.set('p2', true);
    expect(await code(service.verifyIndex({ projectId: 'p2', sql: LOOKUP, ddl: DDL }))).toBe('INVALID_ARGUMENT');
    expect(await code(service.verifyIndex({ projectId: 'p1', sql: LOOKUP, ddl: 'DROP TABLE users', sizes: [10, 20, 40] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await code(service.verifyIndex({ projectId: 'p1', sql: LOOKUP, ddl: `${DDL}; DROP TABLE users`, sizes: [10, 20, 40] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await code(service.verifyIndex({ projectId: 'p1', sql: LOOKUP, ddl: DDL, sizes: [10, 20] }))).toBe('INVALID_ARGUMENT');
    const aborted = new AbortController();
    aborted.abort();
    expect(await code(service.verifyIndex({ projectId: 'p1', sql: LOOKUP, ddl: DDL, sizes: [10, 20, 40] }, aborted.signal))).toBe(
      'CANCELLED',
    );
    expect(audited).toBe(0);
  });

  it('reads sources, .sql and schema.prisma, but nothing under node_modules', async () => {
    const files = await sqlProjectFiles(withSchema);
    expect(Object.keys(files).sort()).toEqual(['prisma/schema.prisma', 'repo.py', 'schema.sql']);
  });
});
