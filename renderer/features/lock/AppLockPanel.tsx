// Settings → Security: turn the app lock on (passphrase twice with a strength hint, idle minutes), lock now, change
// the idle timeout or the passphrase, two-step verification, turn the lock off. Errors show inline; typed fields stay.
import { useEffect, useState } from 'react';
import type { AppLockStatus } from '../../../common/security/app-lock';
import { useStore } from '../../app/store';
import { MIN_PASSPHRASE, STRENGTH_HINT, passphraseStrength } from './passphrase-strength';
import { RecoveryCodesDialog } from './RecoveryCodesDialog';
import { TotpSection } from './TotpSection';
import './lock.css';

const DEFAULT_IDLE_MINUTES = 15;

function idleValid(text: string): number | null {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 1440 ? n : null;
}

/** A new passphrase typed twice, with the strength hint; `onChange` gets it once both match and it is long enough. */
function NewPassphrase({ prefix, onChange }: { prefix: string; onChange: (p: string | null) => void }) {
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const strength = passphraseStrength(a);
  const mismatch = b.length > 0 && a !== b;
  useEffect(() => onChange(a === b && [...a].length >= MIN_PASSPHRASE ? a : null), [a, b, onChange]);
  return (
    <>
      <label className="stack">
        New passphrase
        <input type="password" autoComplete="new-password" value={a} onChange={(e) => setA(e.target.value)} data-testid={`${prefix}-new`} />
      </label>
      <p className={strength === 'strong' ? 'hint ok-text' : 'hint'} data-testid={`${prefix}-strength`} data-strength={strength}>
        {STRENGTH_HINT[strength]}
      </p>
      <label className="stack">
        Repeat it
        <input
          type="password"
          autoComplete="new-password"
          value={b}
          onChange={(e) => setB(e.target.value)}
          data-testid={`${prefix}-repeat`}
        />
      </label>
      {mismatch && <p className="error-text">The two passphrases differ.</p>}
    </>
  );
}

function EnableForm() {
  const enable = useStore((s) => s.enableAppLock);
  const busy = useStore((s) => s.appLock.busy);
  const [passphrase, setPassphrase] = useState<string | null>(null);
  const [idle, setIdle] = useState(String(DEFAULT_IDLE_MINUTES));
  const idleMinutes = idleValid(idle);
  return (
    <form
      data-testid="app-lock-enable-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (passphrase !== null && idleMinutes !== null) void enable(passphrase, idleMinutes);
      }}
    >
      <p className="hint">
        Asks for a passphrase at launch and after a while without use. While locked, the database is closed and its key is not held by any
        process: the passphrase (argon2id) is what unwraps it. Your recovery key still opens the data if you forget the passphrase.
      </p>
      <NewPassphrase prefix="app-lock-enable" onChange={setPassphrase} />
      <label className="stack">
        Lock after this many idle minutes (0 = only at launch and when you lock)
        <input type="number" min="0" max="1440" value={idle} onChange={(e) => setIdle(e.target.value)} data-testid="app-lock-idle" />
      </label>
      <button type="submit" disabled={busy || passphrase === null || idleMinutes === null} data-testid="app-lock-enable">
        {busy ? 'Turning on…' : 'Turn on the app lock'}
      </button>
    </form>
  );
}

function ChangePassphrase() {
  const change = useStore((s) => s.changeAppLockPassphrase);
  const busy = useStore((s) => s.appLock.busy);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  return (
    <form
      key={formKey}
      data-testid="app-lock-change-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (next !== null && current.length >= MIN_PASSPHRASE)
          void change(current, next).then((ok) => {
            if (!ok) return;
            setCurrent('');
            setFormKey((k) => k + 1); // a fresh form: the new passphrase fields empty again
          });
      }}
    >
      <h4>Change the passphrase</h4>
      <label className="stack">
        Current passphrase
        <input
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          data-testid="app-lock-change-current"
        />
      </label>
      <NewPassphrase prefix="app-lock-change" onChange={setNext} />
      <button type="submit" disabled={busy || next === null || current.length < MIN_PASSPHRASE} data-testid="app-lock-change">
        Change passphrase
      </button>
    </form>
  );
}

function Disable({ status }: { status: AppLockStatus }) {
  const disable = useStore((s) => s.disableAppLock);
  const busy = useStore((s) => s.appLock.busy);
  const [passphrase, setPassphrase] = useState('');
  const [code, setCode] = useState('');
  const needsCode = status.totp === 'on';
  const ready = passphrase.length >= MIN_PASSPHRASE && (!needsCode || code.trim().length >= 6) && !busy;
  return (
    <form
      data-testid="app-lock-disable-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void disable(passphrase, needsCode ? code.trim() : undefined);
      }}
    >
      <h4>Turn the app lock off</h4>
      <p className="hint">The database key goes back to the keychain, as before the lock was on.</p>
      <div className="row">
        <label className="stack">
          Lock passphrase
          <input
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            data-testid="app-lock-disable-passphrase"
          />
        </label>
        {needsCode && (
          <label className="stack">
            Authenticator or recovery code
            <input value={code} onChange={(e) => setCode(e.target.value)} data-testid="app-lock-disable-code" />
          </label>
        )}
      </div>
      <button type="submit" disabled={!ready} data-testid="app-lock-disable">
        Turn off
      </button>
    </form>
  );
}

function IdleMinutes({ status }: { status: AppLockStatus }) {
  const save = useStore((s) => s.setAppLockIdleMinutes);
  const busy = useStore((s) => s.appLock.busy);
  const [idle, setIdle] = useState(String(status.idleMinutes));
  const n = idleValid(idle);
  return (
    <div className="row">
      <label>
        Lock after idle minutes (0 = never){' '}
        <input type="number" min="0" max="1440" value={idle} onChange={(e) => setIdle(e.target.value)} data-testid="app-lock-idle-edit" />
      </label>
      {n !== status.idleMinutes && (
        <button type="button" disabled={busy || n === null} onClick={() => n !== null && void save(n)} data-testid="app-lock-idle-save">
          Save
        </button>
      )}
    </div>
  );
}

export function AppLockPanel() {
  const lock = useStore((s) => s.appLock);
  const load = useStore((s) => s.loadAppLock);
  const lockNow = useStore((s) => s.lockApp);
  useEffect(() => {
    void load();
  }, [load]);
  const status = lock.status;
  return (
    <fieldset className="app-lock-panel" data-testid="app-lock-panel">
      <legend>Security — app lock</legend>
      {!status ? (
        <p className="hint">Loading…</p>
      ) : !status.enabled ? (
        <EnableForm />
      ) : (
        <>
          <div className="row">
            <p data-testid="app-lock-state">
              The app lock is <strong>on</strong>
              {status.idleMinutes > 0 ? `: it locks after ${status.idleMinutes} idle minutes` : ''}.
            </p>
            <button type="button" onClick={() => void lockNow()} data-testid="app-lock-now">
              Lock now (Ctrl+L)
            </button>
          </div>
          <IdleMinutes key={status.idleMinutes} status={status} />
          <TotpSection status={status} />
          <ChangePassphrase />
          <Disable key={String(status.enabled)} status={status} />
        </>
      )}
      {lock.error && (
        <p role="alert" className="error-text" data-testid="app-lock-error">
          {lock.error.message}
        </p>
      )}
      <RecoveryCodesDialog />
    </fieldset>
  );
}
