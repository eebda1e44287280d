// Settings → Storage & security: where the key lives, the database file, and online backups.
import { useStore } from '../../app/store';

export function StoragePanel() {
  const status = useStore((s) => s.vault.status);
  const backup = useStore((s) => s.vault.backup);
  const run = useStore((s) => s.runBackup);
  const cancel = useStore((s) => s.cancelBackup);
  return (
    <fieldset data-testid="storage-panel">
      <legend>Storage &amp; security</legend>
      <dl className="facts">
        <dt>State</dt>
        <dd data-testid="store-state">{status?.state ?? '…'}</dd>
        <dt>Key</dt>
        <dd>{status?.backend ?? '—'}</dd>
        <dt>Database</dt>
        <dd>{status?.dbPath}</dd>
      </dl>
      <div className="row">
        <button type="button" onClick={() => void run()} disabled={backup.running || status?.state !== 'ready'} data-testid="backup-run">
          Back up now
        </button>
        {backup.running && (
          <>
            {backup.total > 0 ? (
              <progress max={backup.total} value={backup.done} aria-label="Backup progress" />
            ) : (
              <progress aria-label="Backup starting" />
            )}
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </>
        )}
        {backup.lastPath && !backup.running && <span data-testid="backup-path">Saved to {backup.lastPath}</span>}
      </div>
      {backup.error && (
        <p role="alert" className="error-text">
          {backup.error.code === 'CANCELLED' ? 'Backup cancelled.' : backup.error.message}
        </p>
      )}
    </fieldset>
  );
}
