// The Performance tab's SQL section with a scripted API (no host): "Find queries" stores the open project's queries
// and the panel lists them (file:line, SQL, plan lines, proposal DDL); a typed error is kept and shown; "Verify index"
// stores the verification by query + index and the panel shows its verdict and per-size table; a verification of a
// list that was searched again meanwhile is dropped; another project's list is not shown.
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvolveApi } from '../../../../common/contracts';
import type { SqlQueriesResult } from '../../../../common/contracts/perf';
import type { IndexVerification } from '../../../../common/perf/types';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { PerformancePanel } from '../../../../renderer/features/code/performance/PerformancePanel';
import { sqlCheckKey } from '../../../../renderer/features/code/performance/perf-slice';

const SQL = 'SELECT id, name FROM users WHERE email = ?';
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
    { file: 'report.py', line: 9, sql: 'SELECT * FROM missing', origin: 'string', proposals: [], error: 'SQLite cannot plan this query' },
  ],
};
const speedup = (median: number) => ({ median, low: median * 0.9, high: median * 1.1, confidence: 0.95, method: 'bootstrap' as const });
const VERIFIED: IndexVerification = {
  ddl: DDL,
  planBefore: { rows: [{ id: 2, parent: 0, detail: 'SCAN users' }], fullScans: ['users'] },
  planAfter: { rows: [{ id: 3, parent: 0, detail: 'SEARCH users USING INDEX ix_users_email (email=?)' }], fullScans: [] },
  usesIndex: true,
  sizes: [
    { n: 2000, beforeSec: [1e-4, 1.1e-4], afterSec: [2e-6, 2.1e-6], speedup: speedup(50) },
    { n: 6000, beforeSec: [3e-4, 3.1e-4], afterSec: [2e-6, 2.2e-6], speedup: speedup(140) },
    { n: 18000, beforeSec: [9e-4, 9.2e-4], afterSec: [2.1e-6, 2.2e-6], speedup: speedup(420) },
  ],
  slope: { before: 1, after: 0.05 },
  threshold: 1.1,
  verdict: 'faster',
  durationMs: 4000,
};

let calls: { method: string; input: unknown }[];
let sqlReply: () => Promise<unknown>;
let verifyReply: () => Promise<unknown>;
const PRISTINE = { perf: useStore.getInitialState().perf, code: useStore.getInitialState().code };

beforeEach(() => {
  calls = [];
  sqlReply = async () => ({ ok: true, value: FOUND });
  verifyReply = async () => ({ ok: true, value: VERIFIED });
  const api = {
    perf: {
      sqlQueries: (input: unknown) => {
        calls.push({ method: 'sqlQueries', input });
        return sqlReply();
      },
      verifyIndex: (input: unknown) => {
        calls.push({ method: 'verifyIndex', input });
        return verifyReply();
      },
    },
  };
  setApi(api as unknown as EvolveApi);
  useStore.setState({ code: { ...PRISTINE.code, projectId: 'p1' }, perf: PRISTINE.perf });
});

function render(): string {
  Object.assign(useStore.getInitialState(), { perf: useStore.getState().perf, code: useStore.getState().code });
  return renderToString(<PerformancePanel />);
}

describe('performance SQL section', () => {
  it('finds the open project’s queries and lists them with plans and proposals', async () => {
    expect(render()).toContain('data-testid="perf-sql-find"');
    await useStore.getState().findSqlQueries();
    expect(calls).toEqual([{ method: 'sqlQueries', input: { projectId: 'p1' } }]);
    const sql = useStore.getState().perf.sql;
    expect(sql).toMatchObject({ projectId: 'p1', loading: false, error: null, result: FOUND });
    const html = render();
    expect(html).toContain('users.py:5');
    expect(html).toContain(SQL);
    expect(html).toContain('SCAN users');
    expect(html).toContain('full scan of users');
    expect(html).toContain(DDL);
    expect(html).toContain('Not planned: SQLite cannot plan this query');
    expect(html.match(/data-testid="perf-sql-verify"/g)).toHaveLength(1);
  });

  it('keeps and shows a typed error', async () => {
    sqlReply = async () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'Trust the project first' } });
    await useStore.getState().findSqlQueries();
    expect(useStore.getState().perf.sql.error).toEqual({ code: 'FORBIDDEN', message: 'Trust the project first' });
    const html = render();
    expect(html).toMatch(/data-testid="perf-sql-error" data-code="FORBIDDEN"/);
    expect(html).toContain('Trust the project first');
  });

  it('verifies a proposal and shows its verdict and per-size medians and intervals', async () => {
    await useStore.getState().findSqlQueries();
    const pending = useStore.getState().verifySqlIndex(SQL, DDL);
    expect(useStore.getState().perf.sql.checks[sqlCheckKey(SQL, DDL)]).toEqual({ running: true });
    await pending;
    expect(calls[1]).toEqual({ method: 'verifyIndex', input: { projectId: 'p1', sql: SQL, ddl: DDL } });
    expect(useStore.getState().perf.sql.checks[sqlCheckKey(SQL, DDL)]).toEqual({ running: false, result: VERIFIED });
    const html = render();
    expect(html).toMatch(/data-testid="perf-sql-verdict" data-verdict="faster"/);
    expect(html).toContain('Faster');
    expect(html).toContain('420');
    expect(html).toContain('18000');
    expect(html).toContain('910 µs');
    expect(html).toContain('SEARCH users USING INDEX ix_users_email');
  });

  it('stores a failed verification as its typed error', async () => {
    await useStore.getState().findSqlQueries();
    verifyReply = async () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'No sandbox' } });
    await useStore.getState().verifySqlIndex(SQL, DDL);
    expect(useStore.getState().perf.sql.checks[sqlCheckKey(SQL, DDL)]).toEqual({
      running: false,
      error: { code: 'UNAVAILABLE', message: 'No sandbox' },
    });
    expect(render()).toMatch(/data-testid="perf-sql-verify-error" data-code="UNAVAILABLE"/);
  });

  it('drops a verification whose list was searched again, and hides another project’s list', async () => {
    await useStore.getState().findSqlQueries();
    let release: (v: unknown) => void = () => undefined;
    verifyReply = () => new Promise((r) => (release = r));
    const pending = useStore.getState().verifySqlIndex(SQL, DDL);
    await useStore.getState().findSqlQueries();
    release({ ok: true, value: VERIFIED });
    await pending;
    expect(useStore.getState().perf.sql.checks).toEqual({});

    useStore.setState({ code: { ...useStore.getState().code, projectId: 'p2' } });
    expect(render()).not.toContain('users.py:5');
  });
});
