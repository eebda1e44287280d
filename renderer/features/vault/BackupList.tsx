// The encrypted backups on this machine, newest first, each restorable after a confirmation; restoring
// keeps the replaced database file aside.
import { useEffect, useState } from 'react';
import { useStore } from '../../app/store';

export function BackupList() {
  const backups = useStore((s) => s.vault.backups);
  const busy = useStore((s) => s.vault.busy);
  const restored = useStore((s) => s.vault.restored);
  const load = useStore((s) => s.loadBackups);
  const restore = useStore((s) => s.restoreBackup);
  const [confirm, setConfirm] = useState<string | null>(null);
  useEffect(() => void load(), [load]);
  if (backups.length === 0) return <p className="muted">No backups yet.</p>;
  return (
    <div data-testid="backup-list">
      <ul className="folders">
        {backups.map((b) => (
          <li key={b.name}>
            <code>{b.name}</code>{' '}
            <span className="muted">
              {(b.bytes / 1024).toFixed(0)} KiB · {new Date(b.createdAt).toLocaleString()}
            </span>{' '}
            {confirm === b.name ? (
              <>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void restore(b.name).then(() => setConfirm(null))}
                  data-testid="restore-confirm"
                >
                  Replace my data with this backup
                </button>
                <button type="button" onClick={() => setConfirm(null)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" className="link" onClick={() => setConfirm(b.name)} data-testid="restore-backup">
                Restore…
              </button>
            )}
          </li>
        ))}
      </ul>
      {restored && <p role="status">Restored. The previous database was kept at {restored}.</p>}
    </div>
  );
}
