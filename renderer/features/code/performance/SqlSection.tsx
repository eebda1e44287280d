// The Performance tab's SQL section (issue 15.5): "Find queries" lists the open project's queries (file:line, the SQL,
// the plan's lines, scan or search) with the indexes proposed for their full scans; "Verify index" benchmarks one and
// shows its verdict and, per table size, the median times and the speed-up's interval. A table rather than the
// speed-up chart: the chart is drawn for a function benchmark (pyperf/tinybench), which this timing is not.
import { useStore } from '../../../app/store';
import { errorTitle, type UiError } from '../../../lib/errors';
import type { SqlQueryReport } from '../../../../common/contracts/perf';
import { formatRange, formatRatio } from '../../../../common/perf/offer';
import type { IndexProposal, IndexVerification } from '../../../../common/perf/types';
import { sqlCheckKey } from './perf-slice';
import { formatSeconds, formatSlopes, median } from './speedup-model';
import './performance.css';

const VERDICT_LABEL: Record<IndexVerification['verdict'], string> = {
  faster: 'Faster',
  'not-proven': 'Not proven faster',
  slower: 'Slower',
};

function ErrorLine({ error, testId }: { error: UiError; testId: string }) {
  return (
    <p className={error.code === 'CANCELLED' ? 'hint' : 'error-text'} role="alert" data-testid={testId} data-code={error.code}>
      {error.code === 'CANCELLED' ? 'Cancelled.' : `${errorTitle(error)}: ${error.message}`}
    </p>
  );
}

export function SqlSection() {
  const projectId = useStore((s) => s.code.projectId);
  const sql = useStore((s) => s.perf.sql);
  const mine = sql.projectId !== null && sql.projectId === projectId;
  return (
    <section className="perf-sql" aria-label="SQL queries" data-testid="perf-sql">
      <h4>SQL</h4>
      <p className="hint">
        Queries are read from the sources; plans and timings run on a scratch SQLite built from the project&apos;s schema (.sql, SQLAlchemy
        models, schema.prisma).{' '}
        <button
          type="button"
          disabled={!projectId || sql.loading}
          onClick={() => void useStore.getState().findSqlQueries()}
          data-testid="perf-sql-find"
        >
          {sql.loading ? 'Finding…' : 'Find queries'}
        </button>
      </p>
      {mine && sql.error && <ErrorLine error={sql.error} testId="perf-sql-error" />}
      {mine && sql.result && (
        <>
          <p data-testid="perf-sql-count" aria-live="polite">
            {sql.result.queries.length === 0 ? 'No SQL query found.' : `${sql.result.queries.length} queries.`}
            {sql.result.truncated ? ' Only the first ones were planned.' : ''}
          </p>
          <ol className="perf-sql-queries">
            {sql.result.queries.map((q, i) => (
              <QueryView key={`${q.file}:${q.line}:${i}`} q={q} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function QueryView({ q }: { q: SqlQueryReport }) {
  const scans = q.plan?.fullScans ?? [];
  return (
    <li className="perf-sql-query" data-testid="perf-sql-query" data-file={q.file} data-line={q.line}>
      <p>
        <strong>{`${q.file}:${q.line}`}</strong> <span className="muted">({q.origin})</span>{' '}
        {q.plan && (
          <span data-testid="perf-sql-access" data-scan={scans.length > 0}>
            {scans.length > 0 ? `full scan of ${scans.join(', ')}` : 'no full scan'}
          </span>
        )}
      </p>
      <pre className="perf-sql-text" data-testid="perf-sql-text">
        {q.sql}
      </pre>
      {q.error && <p className="warn-text" data-testid="perf-sql-query-error">{`Not planned: ${q.error}`}</p>}
      {q.plan && (
        <ul className="perf-sql-plan" aria-label="Plan" data-testid="perf-sql-plan">
          {q.plan.rows.map((r) => (
            <li key={r.id}>{r.detail}</li>
          ))}
          {(q.plan.notes ?? []).map((n) => (
            <li key={n} className="muted">
              Note: {n}
            </li>
          ))}
        </ul>
      )}
      {q.proposals.map((p) => (
        <ProposalView key={p.ddl} sql={q.sql} p={p} />
      ))}
    </li>
  );
}

function ProposalView({ sql, p }: { sql: string; p: IndexProposal }) {
  const check = useStore((s) => s.perf.sql.checks[sqlCheckKey(sql, p.ddl)]);
  return (
    <div className="perf-sql-proposal" data-testid="perf-sql-proposal">
      <code data-testid="perf-sql-ddl">{p.ddl}</code>
      <p className="hint">{p.reason}</p>
      <button
        type="button"
        disabled={check?.running === true}
        onClick={() => void useStore.getState().verifySqlIndex(sql, p.ddl)}
        data-testid="perf-sql-verify"
      >
        {check?.running ? 'Verifying…' : 'Verify index'}
      </button>
      {check?.error && <ErrorLine error={check.error} testId="perf-sql-verify-error" />}
      {check?.result && <VerificationView v={check.result} />}
    </div>
  );
}

function VerificationView({ v }: { v: IndexVerification }) {
  const last = v.sizes.at(-1);
  const outcome = v.verdict === 'faster' ? 'proven' : 'rejected';
  return (
    <div data-testid="perf-sql-verification" data-verdict={v.verdict}>
      <p>
        <span className={`perf-verdict ${outcome}`} data-testid="perf-sql-verdict" data-verdict={v.verdict}>
          <span aria-hidden="true">{v.verdict === 'faster' ? '✓ ' : '✗ '}</span>
          {VERDICT_LABEL[v.verdict]}
          {last ? ` ${formatRatio(last.speedup.median)}× (${formatRange(last.speedup.low, last.speedup.high)})` : ''}
        </span>{' '}
        <span className="muted">
          {v.usesIndex ? 'The plan uses the index.' : 'The plan does not use the index.'} {formatSlopes(v.slope)} · bar{' '}
          {formatRatio(v.threshold)}× · {(v.durationMs / 1000).toFixed(0)} s
        </span>
      </p>
      {v.reason && <p className="hint">{v.reason}</p>}
      <table className="perf-sql-sizes" data-testid="perf-sql-sizes">
        <caption className="sr-only">Median seconds per query without and with the index, per table size</caption>
        <thead>
          <tr>
            <th scope="col">Rows</th>
            <th scope="col">Without</th>
            <th scope="col">With</th>
            <th scope="col">Speed-up (interval)</th>
          </tr>
        </thead>
        <tbody>
          {v.sizes.map((s) => (
            <tr key={s.n}>
              <th scope="row">{s.n}</th>
              <td>{formatSeconds(median(s.beforeSec))}</td>
              <td>{formatSeconds(median(s.afterSec))}</td>
              <td>
                {formatRatio(s.speedup.median)}× ({formatRange(s.speedup.low, s.speedup.high)}, {Math.round(s.speedup.confidence * 100)} %)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Plan after: {v.planAfter.rows.map((r) => r.detail).join('; ') || '—'}</p>
    </div>
  );
}
