// The status bar: version, platform, mode, data dir and the state of each backend, from `app.status`.
import type { AppStatus } from '../../../common/contracts/app';
import { useStore } from '../../app/store';

const STATE_LABEL = { ready: 'ready', degraded: 'degraded', unavailable: 'unavailable', pending: 'not set up' } as const;

const WORK_STATE = { running: 'running', waiting: 'waiting for chat/completion', paused: 'paused' } as const;

/** Background work (indexing, embeddings, backups): what runs, why it waits, and a pause/resume button. */
function WorkIndicator({ work }: { work: AppStatus['work'] }) {
  const pauseBackground = useStore((s) => s.pauseBackground);
  if (work.background.length === 0 && !work.paused) return null;
  const summary = work.background.map((b) => `${b.label}: ${WORK_STATE[b.state]}`).join(' · ') || 'no background work';
  return (
    <span
      className="work"
      data-testid="status-work"
      title={work.interactive.length ? `Interactive: ${work.interactive.join(', ')}` : undefined}
    >
      {work.paused ? 'Background paused' : 'Background'} — {summary}{' '}
      <button type="button" className="link" onClick={() => void pauseBackground(!work.paused)} data-testid="status-work-toggle">
        {work.paused ? 'Resume' : 'Pause'}
      </button>
    </span>
  );
}

export function StatusBar() {
  const status = useStore((s) => s.status);
  const error = useStore((s) => s.statusError);
  if (error) {
    return (
      <footer className="status-bar error" role="status" data-testid="status-bar">
        Status unavailable: {error.message}
      </footer>
    );
  }
  if (!status) {
    return (
      <footer className="status-bar" role="status" data-testid="status-bar">
        Connecting…
      </footer>
    );
  }
  return (
    <footer className="status-bar" role="status" data-testid="status-bar">
      <span data-testid="status-version">
        {status.name} {status.version}
      </span>
      <span data-testid="status-platform">
        {status.platform} {status.arch}
      </span>
      <span data-testid="status-mode">{status.mode === 'electron' ? 'desktop' : 'browser host'}</span>
      <span data-testid="status-data-dir" title="Data directory">
        {status.dataDir}
      </span>
      {Object.entries(status.backends).map(([name, b]) => (
        <span key={name} className={`backend ${b.state}`} title={b.detail} data-testid={`status-backend-${name}`}>
          {name}: {STATE_LABEL[b.state]}
        </span>
      ))}
      <WorkIndicator work={status.work} />
    </footer>
  );
}
