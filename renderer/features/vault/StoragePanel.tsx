// Settings → Storage & security: where the key lives, the database file, and online backups.
import { useStore } from '../../app/store';
import { BackupList } from './BackupList';

const BACKUP_CHOICES: { hours: number; label: string }[] = [
  { hours: 0, label: 'Off' },
  { hours: 6, label: 'Every 6 hours' },
  { hours: 24, label: 'Daily' },
  { hours: 168, label: 'Weekly' },
];

export function StoragePanel() {
  const status = useStore((s) => s.vault.status);
  const every = useStore((s) => s.settings?.backupEveryHours ?? 24);
  const save = useStore((s) => s.saveSettings);
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
      <label className="row">
        Automatic backups (newest 7 kept){' '}
        <select value={every} onChange={(e) => void save({ backupEveryHours: Number(e.target.value) })} data-testid="backup-schedule">
          {BACKUP_CHOICES.some((c) => c.hours === every) ? null : <option value={every}>Every {every} hours</option>}
          {BACKUP_CHOICES.map((c) => (
            <option key={c.hours} value={c.hours}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
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
      <BackupList />
      {backup.error && (
        <p role="alert" className="error-text">
          {backup.error.code === 'CANCELLED' ? 'Backup cancelled.' : backup.error.message}
        </p>
      )}
    </fieldset>
  );
}
