// `evolve sql`: bad arguments are refused as INVALID_ARGUMENT before the store opens, and the text report shows each
// query's location, SQL, plan, why it was not planned, the proposals and a verification's verdict per table size.
import { describe, expect, it } from 'vitest';
import type { SqlQueriesResult } from '../../../../common/contracts/perf';
import type { IndexVerification } from '../../../../common/perf/types';
import { sqlCommand, sqlReportText } from '../../../../main/cli/sql';

const SQL = 'SELECT id FROM users WHERE email = ?';
const DDL = 'CREATE INDEX ix_users_email ON users (email)';
const FOUND: SqlQueriesResult = {
  truncated: false,
  queries: [
    {
      file: 'users.py',
      line: 5,
      sql: SQL,
      origin: 'string',
      plan: { rows: [{ id: 2, parent: 0, detail: 'SCAN users' }], fullScans: ['users'] },
      proposals: [{ table: 'users', columns: ['email'], ddl: DDL, reason: 'email = ? filters users' }],
    },
    { file: 'report.py', line: 9, sql: 'SELECT * FROM missing', origin: 'string', proposals: [], error: 'no such table: missing' },
  ],
};
const speedup = (median: number) => ({ median, low: median * 0.9, high: median * 1.1, confidence: 0.95, method: 'bootstrap' as const });
const VERIFIED: IndexVerification = {
  ddl: DDL,
  planBefore: FOUND.queries[0]!.plan!,
  planAfter: { rows: [{ id: 3, parent: 0, detail: 'SEARCH users USING INDEX ix_users_email (email=?)' }], fullScans: [] },
  usesIndex: true,
  sizes: [
    { n: 2000, beforeSec: [1e-4], afterSec: [2e-6], speedup: speedup(50) },
    { n: 6000, beforeSec: [3e-4], afterSec: [2e-6], speedup: speedup(140) },
    { n: 18000, beforeSec: [9e-4], afterSec: [2e-6], speedup: speedup(420) },
  ],
  slope: { before: 1, after: 0.05 },
  threshold: 1.1,
  verdict: 'faster',
  durationMs: 4000,
};

describe('evolve sql', () => {
  it('refuses bad arguments before opening anything', async () => {
    await expect(sqlCommand([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(sqlCommand(['--project', '.', '--rows', '10,20'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(sqlCommand(['--project', '.', '--rows', '10,20,x'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('prints queries, plans, proposals and verifications', () => {
    const text = sqlReportText(FOUND, [{ sql: SQL, ddl: DDL, result: VERIFIED }]);
    expect(text).toContain(`users.py:5 (string)\n  ${SQL}\n  plan: SCAN users\n  proposal: ${DDL}`);
    expect(text).toContain('verdict: faster (the plan uses the index)');
    expect(text).toContain('18000 rows: speed-up 420.00× (378.00–462.00×, 95 %)');
    expect(text).toContain('report.py:9 (string)\n  SELECT * FROM missing\n  not planned: no such table: missing');
    expect(sqlReportText({ queries: [], truncated: false })).toBe('No SQL query found.\n');
  });
});
