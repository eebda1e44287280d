// PerfService's SQL calls (`perf.sqlQueries`, `perf.verifyIndex`) on a trusted project folder against the real
// sandbox: the query in the Python source is found at its line, planned as a full scan of users, the index on email
// proposed, and that index verified faster at small table sizes with the plan after searching with it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlQueriesResultSchema } from '../../../common/contracts/perf';
import { IndexVerificationSchema } from '../../../common/perf/types';
import { sandboxSupport } from '../../../main/services/codegen/sandbox';
import { PerfService } from '../../../main/services/perf/lab/perf-service';
import { memoryTrust } from '../../support/perf/memory-trust';

const support = await sandboxSupport();
const root = mkdtempSync(path.join(os.tmpdir(), 'evolve-perf-sql-project-'));
writeFileSync(path.join(root, 'schema.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n');
writeFileSync(
  path.join(root, 'users.py'),
  'import sqlite3\n\n\ndef by_email(db: sqlite3.Connection, email: str):\n    return db.execute("SELECT id, name FROM users WHERE email = ?", (email,)).fetchone()\n',
);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const { trust } = memoryTrust();

describe.skipIf(!support.available)('PerfService SQL (real sandbox)', () => {
  it('finds the query, proposes an index on email, and verifies it faster', async () => {
    await trust.set('p1', true);
    const service = new PerfService({
      projects: { get: async (id) => ({ id, rootPath: root }) },
      assertTrusted: (id) => trust.assertTrusted(id),
      generate: () => Promise.reject(new Error('SQL calls do not use the model')),
      audit: async () => undefined,
    });
    const found = SqlQueriesResultSchema.parse(await service.sqlQueries({ projectId: 'p1' }));
    expect(found.queries).toHaveLength(1);
    const q = found.queries[0]!;
    expect(q).toMatchObject({ file: 'users.py', line: 5, sql: 'SELECT id, name FROM users WHERE email = ?', origin: 'string' });
    expect(q.error).toBeUndefined();
    expect(q.plan!.fullScans).toEqual(['users']);
    expect(q.proposals.map((p) => [p.table, p.columns])).toEqual([['users', ['email']]]);

    const v = IndexVerificationSchema.parse(
      await service.verifyIndex({ projectId: 'p1', sql: q.sql, ddl: q.proposals[0]!.ddl, sizes: [2000, 6000, 18000] }),
    );
    expect(v.sizes.map((s) => s.n)).toEqual([2000, 6000, 18000]);
    expect(v.usesIndex).toBe(true);
    expect(v.planBefore.fullScans).toEqual(['users']);
    expect(v.planAfter.fullScans).toEqual([]);
    expect(v.verdict).toBe('faster');
  }, 90_000);
});
