// Audit section: the hash-chained log of key access, unlocks, provider sends, applied files, cluster
// actions and settings changes — filter by kind, verify the chain, export as JSONL.
import { useEffect } from 'react';
import { useStore } from '../../app/store';
import { SecurityEventsPanel } from '../security/SecurityEventsPanel';
import { BackendPanel } from '../shell/BackendPanel';

function summary(data: unknown): string {
  const text = JSON.stringify(data);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

export function AuditView() {
  const a = useStore((s) => s.audit);
  const ready = useStore((s) => s.vault.status?.state === 'ready');
  const load = useStore((s) => s.loadAudit);
  const setKind = useStore((s) => s.setAuditKind);
  const verify = useStore((s) => s.verifyAudit);
  const exportLog = useStore((s) => s.exportAudit);
  useEffect(() => {
    if (ready) void load();
  }, [ready, load]);

  if (!ready) return <BackendPanel backend="database" title="Audit log store" />;
  return (
    <section className="section-body">
      <SecurityEventsPanel />
      <div className="row">
        <label>
          Kind{' '}
          <select value={a.kind ?? ''} onChange={(e) => void setKind(e.target.value || null)} data-testid="audit-kind">
            <option value="">All</option>
            {a.kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        <button type="button" onClick={() => void verify()} data-testid="audit-verify">
          Verify chain
        </button>
        <button type="button" onClick={() => void exportLog()} data-testid="audit-export">
          Export JSONL
        </button>
      </div>
      {a.verify && (
        <p className={a.verify.ok ? 'ok-text' : 'error-text'} role="status" data-testid="audit-verify-result">
          {a.verify.ok
            ? `Chain intact: ${a.verify.count} rows verified.`
            : `Chain broken at row ${a.verify.position} (${a.verify.reason}): ${a.verify.message}`}
        </p>
      )}
      {a.exported && (
        <p role="status">
          Exported {a.exported.count} rows to {a.exported.path}
        </p>
      )}
      {a.error && (
        <p role="alert" className="error-text">
          {a.error.message}
        </p>
      )}
      <table className="audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Time</th>
            <th>Kind</th>
            <th>Details</th>
            <th>Hash</th>
          </tr>
        </thead>
        <tbody>
          {a.rows.map((r) => (
            <tr key={r.seq}>
              <td>{r.seq}</td>
              <td>{new Date(r.at).toLocaleString()}</td>
              <td>
                <code>{r.kind}</code>
              </td>
              <td className="details">{summary(r.data)}</td>
              <td>
                <code title={r.hash}>{r.hash.slice(0, 10)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {a.rows.length === 0 && !a.loading && <p className="lede">No audit rows yet.</p>}
    </section>
  );
}
