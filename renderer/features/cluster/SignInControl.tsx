// Per-profile sign-in: the state (who, role from claims, expiry, http:// warnings), "Sign in" with the device code
// and URL to open (copy buttons, cancel), and "Sign out" (clears the keychain entry).
import { useEffect } from 'react';
import { expiryText } from '../../../common/cluster/auth';
import type { ClusterProfile } from '../../../common/cluster/profile';
import { qrImageSrc } from '../lock/TotpSection';
import { useClusterSignIn } from './sign-in-store';

const copy = (text: string) => void navigator.clipboard?.writeText(text).catch(() => undefined);

export function SignInControl({ profile }: { profile: ClusterProfile }) {
  const status = useClusterSignIn((s) => s.status[profile.id]);
  const pending = useClusterSignIn((s) => (s.pending?.profileId === profile.id ? s.pending : null));
  const error = useClusterSignIn((s) => (s.error?.profileId === profile.id ? s.error.message : null));
  const { load, signIn, cancel, signOut } = useClusterSignIn.getState();
  const mode = profile.auth?.mode ?? (profile.hasToken ? 'bearer' : 'none');
  useEffect(() => {
    if (mode !== 'none') void load(profile.id);
  }, [profile, mode, load]);
  if (mode === 'none') return null;
  const who = status?.email ?? status?.subject;
  return (
    <div className="cluster-sign-in" data-testid="cluster-sign-in">
      {status?.httpUrls.length ? (
        <p className={status.httpRefused ? 'error-text' : 'hint'} data-testid="cluster-http-warning">
          {status.httpRefused
            ? `The token is not sent to ${status.httpUrls.join(', ')}: plain http:// on the network. Use https:// or a tunnel.`
            : `The token goes over plain http:// to ${status.httpUrls.join(', ')}.`}
        </p>
      ) : null}
      {status?.expiresAt !== undefined && (
        <span className={status.expired ? 'error-text' : 'muted'} data-testid="cluster-token-expiry">
          {mode === 'bearer' ? 'Token ' : 'Sign-in '}
          {expiryText(status.expiresAt)}
          {status.expired && status.canRefresh ? ' (renewed on the next request)' : ''}
        </span>
      )}
      {mode === 'oidc' && (
        <>
          {status?.signedIn ? (
            <p data-testid="cluster-signed-in">
              Signed in as <strong>{who}</strong>
              {status.roleFromClaims ? ` · role from your identity provider: ${status.roleFromClaims}` : ''}{' '}
              <button type="button" data-testid="cluster-sign-out" onClick={() => void signOut(profile.id)}>
                Sign out
              </button>
            </p>
          ) : pending ? (
            <div className="cluster-device-code" data-testid="cluster-device-code" role="status">
              {pending.prompt ? (
                <>
                  <p>
                    Open <a href={pending.prompt.verificationUri}>{pending.prompt.verificationUri}</a>{' '}
                    <button type="button" onClick={() => copy(pending.prompt?.verificationUri ?? '')}>
                      Copy URL
                    </button>{' '}
                    and enter <strong data-testid="cluster-user-code">{pending.prompt.userCode}</strong>{' '}
                    <button type="button" data-testid="cluster-copy-code" onClick={() => copy(pending.prompt?.userCode ?? '')}>
                      Copy code
                    </button>
                  </p>
                  {pending.prompt.qrSvg && (
                    <img
                      className="totp-qr"
                      src={qrImageSrc(pending.prompt.qrSvg)}
                      alt="QR code of the sign-in page, to sign in on a phone"
                      data-testid="cluster-sign-in-qr"
                    />
                  )}
                  <p className="hint">Waiting for approval · the code {expiryText(pending.prompt.expiresAt)}</p>
                </>
              ) : (
                <p className="hint">Contacting the identity provider…</p>
              )}
              <button type="button" data-testid="cluster-sign-in-cancel" onClick={cancel}>
                Cancel
              </button>
            </div>
          ) : (
            <button type="button" data-testid="cluster-sign-in-start" onClick={() => void signIn(profile.id)}>
              Sign in
            </button>
          )}
        </>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
