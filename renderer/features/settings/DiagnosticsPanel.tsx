// Diagnostics: runs the environment checks with a progress bar, a cancel button and a fix hint per problem.
import { useStore } from '../../app/store';

export function DiagnosticsPanel() {
  const d = useStore((s) => s.diagnostics);
  const run = useStore((s) => s.runDiagnostics);
  const cancel = useStore((s) => s.cancelDiagnostics);
  const done = d.checks.length;
  return (
    <fieldset data-testid="diagnostics">
      <legend>Diagnostics</legend>
      <div className="row">
        <button type="button" onClick={() => void run()} disabled={d.running} data-testid="diagnostics-run">
          {d.report ? 'Run checks again' : 'Run checks'}
        </button>
        {d.running && (
          <button type="button" onClick={cancel} data-testid="diagnostics-cancel">
            Cancel
          </button>
        )}
        {/* Indeterminate until the first result says how many checks there are. */}
        {(d.running || d.total > 0) &&
          (d.total > 0 ? <progress max={d.total} value={done} aria-label="Checks done" /> : <progress aria-label="Checks starting" />)}
        {d.report && (
          <span data-testid="diagnostics-summary">
            {d.report.summary.ok} ok · {d.report.summary.warn} warnings · {d.report.summary.fail} failures
          </span>
        )}
      </div>
      {d.error && (
        <p role="alert" className="error-text">
          {d.error.code === 'CANCELLED' ? 'Checks cancelled.' : d.error.message}
        </p>
      )}
      <ul className="checks">
        {d.checks.map((c) => (
          <li key={c.id} className={`check ${c.status}`} data-testid={`check-${c.id}`}>
            <span className="badge">{c.status}</span> <strong>{c.label}</strong> <span>{c.detail}</span>
            {c.hint && c.status !== 'ok' && <div className="hint">→ {c.hint}</div>}
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
