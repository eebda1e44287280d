// Shown above every section while the encrypted store is locked: set or enter the passphrase, or unlock
// with the recovery key; and, once after first run, the recovery key the user must write down.
import { useState, type FormEvent } from 'react';
import { useStore } from '../../app/store';
import { BackupList } from './BackupList';

function UnlockForm() {
  const status = useStore((s) => s.vault.status);
  const error = useStore((s) => s.vault.error);
  const busy = useStore((s) => s.vault.busy);
  const withPassphrase = useStore((s) => s.unlockWithPassphrase);
  const withRecovery = useStore((s) => s.unlockWithRecoveryKey);
  const [secret, setSecret] = useState('');
  const [mode, setMode] = useState<'passphrase' | 'recovery'>(status?.state === 'needs-recovery' ? 'recovery' : 'passphrase');
  if (!status || (status.state !== 'needs-passphrase' && status.state !== 'needs-recovery')) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void (mode === 'passphrase' ? withPassphrase(secret) : withRecovery(secret));
  };
  return (
    <form className="vault-gate" onSubmit={submit} data-testid="vault-gate">
      <h2>Unlock your encrypted data</h2>
      <p>{status.message}</p>
      <label>
        {mode === 'passphrase' ? 'Passphrase (at least 8 characters)' : 'Recovery key'}
        <input
          type={mode === 'passphrase' ? 'password' : 'text'}
          value={secret}
          autoFocus
          autoComplete="off"
          onChange={(e) => setSecret(e.target.value)}
          data-testid="vault-secret"
        />
      </label>
      <div className="row">
        <button type="submit" disabled={busy || secret.length < 8} data-testid="vault-unlock">
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
        <button type="button" className="link" onClick={() => setMode(mode === 'passphrase' ? 'recovery' : 'passphrase')}>
          {mode === 'passphrase' ? 'Use the recovery key instead' : 'Use a passphrase instead'}
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error.message}
        </p>
      )}
    </form>
  );
}

function RecoveryKeyDialog() {
  const key = useStore((s) => s.vault.recoveryKey);
  const dismiss = useStore((s) => s.dismissRecoveryKey);
  const [saved, setSaved] = useState(false);
  if (!key) return null;
  return (
    <div className="modal-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="rk-title" className="modal" data-testid="recovery-key-dialog">
        <h2 id="rk-title">Your recovery key</h2>
        <p>
          This key opens your encrypted data if your keychain or passphrase is ever lost. It is shown <strong>only now</strong> and is not
          stored anywhere: write it down or keep it in your password manager.
        </p>
        <code className="recovery-key" data-testid="recovery-key">
          {key}
        </code>
        <div className="row">
          <button type="button" onClick={() => void navigator.clipboard?.writeText(key)}>
            Copy
          </button>
          <label className="toggle">
            <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} data-testid="recovery-key-saved" />I have
            saved my recovery key
          </label>
          <button type="button" disabled={!saved} onClick={dismiss} data-testid="recovery-key-done">
            Done
          </button>
        </div>
      </div>
    </div>
  );
}

/** The store is unlocked but could not be opened (a damaged file): say so and offer the backups. */
function OpenError() {
  const status = useStore((s) => s.vault.status);
  const error = useStore((s) => s.vault.error);
  if (status?.state !== 'error') return null;
  return (
    <div className="vault-gate" role="alert" data-testid="vault-error">
      <h2>Your encrypted data could not be opened</h2>
      <p>{status.message}</p>
      <BackupList />
      {error && <p className="error-text">{error.message}</p>}
    </div>
  );
}

export function VaultGate() {
  return (
    <>
      <UnlockForm />
      <OpenError />
      <RecoveryKeyDialog />
    </>
  );
}
