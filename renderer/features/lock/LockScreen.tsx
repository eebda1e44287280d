// The lock screen that replaces the whole app while it is locked: the lock passphrase, then (when main asks for the
// second factor) a TOTP or recovery code; during the delay after failed attempts, a countdown with the input disabled.
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from '../../app/store';
import './lock.css';

/** "m:ss" for a wait in ms (rounded up: never shows 0:00 while the input is still disabled). */
export function formatWait(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The current time, ticking twice a second while `active` (render stays pure otherwise). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0); // the time the countdown started, not the time the screen first rendered
    const t = setInterval(tick, 500);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [active]);
  return now;
}

/** A forgotten lock passphrase: the store's recovery key (shown once at first run) still opens the data. */
function RecoveryKeyUnlock({ onBack }: { onBack: () => void }) {
  const busy = useStore((s) => s.appLock.unlockBusy);
  const error = useStore((s) => s.appLock.unlockError);
  const unlock = useStore((s) => s.unlockAppWithRecoveryKey);
  const [key, setKey] = useState('');
  return (
    <form
      className="lock-card"
      onSubmit={(e) => {
        e.preventDefault();
        if (key.trim().length >= 8 && !busy) void unlock(key).then((ok) => ok && setKey(''));
      }}
    >
      <h2 id="lock-title">Unlock with your recovery key</h2>
      <label>
        Recovery key
        <input
          value={key}
          autoFocus
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setKey(e.target.value)}
          data-testid="lock-recovery-key"
        />
      </label>
      <div className="row">
        <button type="submit" disabled={busy || key.trim().length < 8} data-testid="lock-recovery-unlock">
          {busy ? 'Checking…' : 'Unlock'}
        </button>
        <button type="button" className="link" onClick={onBack}>
          Use the lock passphrase
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text" data-testid="lock-error">
          {error.message}
        </p>
      )}
    </form>
  );
}

export function LockScreen() {
  const [recovery, setRecovery] = useState(false);
  const resetUnlock = useStore((s) => s.resetUnlock);
  if (recovery) {
    return (
      <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen">
        <RecoveryKeyUnlock
          onBack={() => {
            resetUnlock();
            setRecovery(false);
          }}
        />
      </div>
    );
  }
  return (
    <LockForm
      onRecovery={() => {
        resetUnlock();
        setRecovery(true);
      }}
    />
  );
}

function LockForm({ onRecovery }: { onRecovery: () => void }) {
  const lock = useStore((s) => s.appLock);
  const unlock = useStore((s) => s.unlockApp);
  const back = useStore((s) => s.resetUnlock);
  const askForCode = useStore((s) => s.askForCode);
  const totpOn = lock.status?.totp === 'on';
  const [passphrase, setPassphrase] = useState('');
  const [code, setCode] = useState('');
  const now = useNow(lock.retryAt !== null);
  const waitMs = lock.retryAt === null ? 0 : lock.retryAt - now;
  const waiting = waitMs > 0;
  const disabled = waiting || lock.unlockBusy;
  const step = lock.needsCode ? 'code' : 'passphrase';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (disabled) return;
    if (step === 'passphrase') {
      if (passphrase.length < 8) return;
      if (totpOn) return askForCode();
      void unlock(passphrase).then((ok) => {
        if (ok) setPassphrase('');
      });
    } else {
      if (code.trim().length < 6) return;
      void unlock(passphrase, code.trim()).then((ok) => {
        setCode('');
        // Unlocked, or sent back to the first step: the passphrase is typed again.
        if (ok || !useStore.getState().appLock.needsCode) setPassphrase('');
      });
    }
  };

  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen">
      <form className="lock-card" onSubmit={submit}>
        <h2 id="lock-title">Evolve Studio is locked</h2>
        {step === 'passphrase' ? (
          <label>
            Lock passphrase
            <input
              type="password"
              value={passphrase}
              autoFocus
              autoComplete="current-password"
              disabled={disabled}
              onChange={(e) => setPassphrase(e.target.value)}
              data-testid="lock-passphrase"
            />
          </label>
        ) : (
          <label>
            Code from your authenticator app, or a recovery code
            <input
              type="text"
              inputMode="text"
              value={code}
              autoFocus
              autoComplete="one-time-code"
              spellCheck={false}
              disabled={disabled}
              onChange={(e) => setCode(e.target.value)}
              data-testid="lock-code"
            />
          </label>
        )}
        <div className="row">
          <button
            type="submit"
            disabled={disabled || (step === 'passphrase' ? passphrase.length < 8 : code.trim().length < 6)}
            data-testid="lock-unlock"
          >
            {lock.unlockBusy ? 'Checking…' : step === 'passphrase' && totpOn ? 'Next' : 'Unlock'}
          </button>
          {step === 'code' && (
            <button
              type="button"
              className="link"
              onClick={() => {
                setCode('');
                setPassphrase('');
                back();
              }}
              data-testid="lock-back"
            >
              Use a different passphrase
            </button>
          )}
        </div>
        {waiting && (
          <p className="lock-countdown" role="status" data-testid="lock-countdown">
            Too many failed attempts. Try again in {formatWait(waitMs)}.
          </p>
        )}
        {lock.unlockError && !waiting && (
          <p role="alert" className="error-text" data-testid="lock-error">
            {lock.unlockError.message}
          </p>
        )}
        <p className="hint">
          <button type="button" className="link" onClick={onRecovery} data-testid="lock-use-recovery-key">
            Forgot the passphrase? Use your recovery key
          </button>
        </p>
        {lock.status && lock.status.failedAttempts > 0 && (
          <p className="hint" data-testid="lock-failed-count">
            {lock.status.failedAttempts} failed attempt{lock.status.failedAttempts === 1 ? '' : 's'} since the last unlock (each is in the
            audit log).
          </p>
        )}
      </form>
    </div>
  );
}
