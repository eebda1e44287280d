// Settings → Diagnostics → Log: the newest app log entries (secrets redacted when written), a level filter, export.
import { useEffect } from 'react';
import { useStore } from '../../app/store';
import { logAsJsonLines, type LogLevel } from './log-slice';

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function LogPanel() {
  const log = useStore((s) => s.appLog);
  const load = useStore((s) => s.loadAppLog);
  useEffect(() => void load(), [load]);
  return (
    <fieldset data-testid="app-log">
      <legend>Log</legend>
      <div className="row">
        <label>
          Level{' '}
          <select value={log.minLevel} onChange={(e) => void load(e.target.value as LogLevel)} data-testid="app-log-level">
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l} and above
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load()} disabled={log.loading} data-testid="app-log-refresh">
          Refresh
        </button>
        <button
          type="button"
          onClick={() =>
            download(`evolve-log-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.jsonl`, logAsJsonLines(log.entries))
          }
          disabled={log.entries.length === 0}
          data-testid="app-log-export"
        >
          Export
        </button>
        {log.file && <span className="muted">{log.file}</span>}
      </div>
      {log.error && (
        <p role="alert" className="error-text">
          {log.error.message}
        </p>
      )}
      <ol className="log-lines" data-testid="app-log-lines">
        {log.entries.length === 0 && !log.loading && <li className="muted">No entries at this level.</li>}
        {log.entries.map((e, i) => (
          <li key={`${e.time}-${i}`} className={`log-line ${e.level}`}>
            <time>{e.time.slice(11, 19)}</time> <span className="badge">{e.level}</span> {e.scope && <strong>{e.scope}: </strong>}
            {e.msg}
          </li>
        ))}
      </ol>
    </fieldset>
  );
}
