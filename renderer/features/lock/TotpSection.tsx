// Security panel → two-step verification: enrol (passphrase → QR code rendered from main's local SVG + the secret for
// manual entry → confirm with a first code), regenerate the recovery codes, or turn TOTP off.
import { useState } from 'react';
import type { AppLockStatus, TotpBeginResult } from '../../../common/security/app-lock';
import { useStore } from '../../app/store';

/** The QR code as an image: a data URI of main's SVG (an <img> never runs script in it, and nothing is fetched). */
export function qrImageSrc(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The secret in groups of four, easier to type into an authenticator app. */
export const groupSecret = (s: string): string => s.replace(/=+$/, '').replace(/(.{4})(?=.)/g, '$1 ');

function Enrolment({ enrolment }: { enrolment: TotpBeginResult }) {
  const confirm = useStore((s) => s.confirmTotp);
  const cancel = useStore((s) => s.cancelTotpEnrolment);
  const busy = useStore((s) => s.appLock.busy);
  const [code, setCode] = useState('');
  return (
    <form
      data-testid="totp-enrolment"
      onSubmit={(e) => {
        e.preventDefault();
        if (/^\d{6}$/.test(code.trim())) void confirm(code.trim()).then((ok) => ok && setCode(''));
      }}
    >
      <p>Scan this code with your authenticator app (or type the secret below), then enter the 6-digit code it shows.</p>
      <img className="totp-qr" src={qrImageSrc(enrolment.qrSvg)} alt="QR code for your authenticator app" data-testid="totp-qr" />
      <p>
        Secret: <code data-testid="totp-secret">{groupSecret(enrolment.secretBase32)}</code>
      </p>
      <label className="stack">
        Code from the app
        <input
          value={code}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          onChange={(e) => setCode(e.target.value)}
          data-testid="totp-confirm-code"
        />
      </label>
      <div className="row">
        <button type="submit" disabled={busy || !/^\d{6}$/.test(code.trim())} data-testid="totp-confirm">
          Turn on two-step verification
        </button>
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Passphrase + code, then one of the two actions that need both. */
function ManageTotp({ status }: { status: AppLockStatus }) {
  const regenerate = useStore((s) => s.regenerateRecoveryCodes);
  const disable = useStore((s) => s.disableTotp);
  const busy = useStore((s) => s.appLock.busy);
  const [passphrase, setPassphrase] = useState('');
  const [code, setCode] = useState('');
  const ready = passphrase.length >= 8 && code.trim().length >= 6 && !busy;
  const clear = (ok: boolean) => {
    if (!ok) return;
    setPassphrase('');
    setCode('');
  };
  return (
    <div data-testid="totp-manage">
      <p>
        Two-step verification is <strong>on</strong>. {status.recoveryCodesLeft} of 10 recovery codes left.
      </p>
      <div className="row">
        <label className="stack">
          Lock passphrase
          <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="totp-manage-passphrase" />
        </label>
        <label className="stack">
          Authenticator or recovery code
          <input value={code} autoComplete="one-time-code" onChange={(e) => setCode(e.target.value)} data-testid="totp-manage-code" />
        </label>
      </div>
      <div className="row">
        <button
          type="button"
          disabled={!ready}
          onClick={() => void regenerate(passphrase, code.trim()).then(clear)}
          data-testid="recovery-codes-regenerate"
        >
          New recovery codes
        </button>
        <button
          type="button"
          disabled={!ready}
          onClick={() => void disable(passphrase, code.trim()).then(clear)}
          data-testid="totp-disable"
        >
          Turn off two-step verification
        </button>
      </div>
    </div>
  );
}

function BeginEnrolment() {
  const begin = useStore((s) => s.beginTotp);
  const busy = useStore((s) => s.appLock.busy);
  const [passphrase, setPassphrase] = useState('');
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        if (passphrase.length >= 8) void begin(passphrase).then((ok) => ok && setPassphrase(''));
      }}
    >
      <label className="stack">
        Lock passphrase
        <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="totp-begin-passphrase" />
      </label>
      <button type="submit" disabled={busy || passphrase.length < 8} data-testid="totp-begin">
        Set up two-step verification
      </button>
    </form>
  );
}

export function TotpSection({ status }: { status: AppLockStatus }) {
  const enrolment = useStore((s) => s.appLock.enrolment);
  return (
    <section data-testid="totp-section">
      <h4>Two-step verification (TOTP)</h4>
      <p className="hint">After the passphrase, unlocking asks for a code from an authenticator app (RFC 6238, 30-second codes).</p>
      {status.totp === 'on' ? <ManageTotp status={status} /> : enrolment ? <Enrolment enrolment={enrolment} /> : <BeginEnrolment />}
    </section>
  );
}
