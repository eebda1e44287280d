// Cluster sign-in for every profile: the OIDC device-code flow, the token each request carries (refreshed before it
// lapses, one refresh at a time per profile), sign-out, what the page shows, and the role the claims grant.
import { SequencerByKey } from '../../../../common/base/sequencer';
import type { AuthStatus, DeviceCodePrompt, OidcSettings } from '../../../../common/cluster/auth';
import { authModeOf, type ClusterProfile } from '../../../../common/cluster/profile';
import type { ClusterRole } from '../../../../common/cluster/roles';
import { EvolveError, toErrorInfo } from '../../../../common/errors';
import { roleFromClaims } from './claims-role';
import { httpUrlsOf, isLoopbackHost } from './http-policy';
import { decodeJwt, jwtExpiresAt, needsRefresh } from './jwt';
import { discover, pollDevice, refresh, startDeviceAuthorization, type OidcClientDeps, type OidcConfiguration } from './oidc-client';
import { oidcSessionAccount, readSession, sessionClaims, sessionFrom, writeSession, type OidcSession, type SecretPort } from './session';

export type AuthAuditEvent =
  'sign-in' | 'sign-in-failed' | 'sign-out' | 'refresh-failed' | 'token-over-http-refused' | 'token-over-http-sent';

export interface ClusterAuthOptions {
  secrets: SecretPort;
  /** Records a `cluster.auth` audit row (never a token); failures are the caller's to log. */
  audit: (e: { profileId: string; event: AuthAuditEvent; subject?: string; detail?: string }) => Promise<void>;
  /** The fetch for a profile's IdP calls (guardedFetch with its TLS); default: the platform's. */
  fetchFor?: (profile: ClusterProfile) => typeof fetch | undefined;
  /** The bearer token account (index.ts's clusterTokenAccount), read for a bearer JWT's expiry. */
  bearerAccount: (profileId: string) => string;
  now?: () => number;
  log?: (level: 'warn', msg: string) => void;
}

/** The QR code of the verification URL, made locally (qrcode, loaded on first sign-in); none if it fails — the URL is shown anyway. */
async function qrSvgOf(url: string, log?: (level: 'warn', msg: string) => void): Promise<string | undefined> {
  try {
    const { default: QRCode } = await import('qrcode');
    return await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  } catch (e) {
    log?.('warn', `no QR code for the sign-in URL: ${toErrorInfo(e).message}`);
    return undefined;
  }
}

const oidcOf = (p: ClusterProfile): OidcSettings | null => (p.auth?.mode === 'oidc' ? p.auth.oidc : null);
const who = (s: OidcSession): string | undefined => {
  const c = sessionClaims(s);
  return c.email ?? c.preferred_username ?? c.sub;
};

export class ClusterAuth {
  private readonly refreshLock = new SequencerByKey<string>();
  private readonly configs = new Map<string, Promise<OidcConfiguration>>();
  private readonly now: () => number;

  constructor(private readonly o: ClusterAuthOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Discovery once per issuer/client (dropped on failure, so a later call retries). */
  private config(profile: ClusterProfile, s: OidcSettings): Promise<OidcConfiguration> {
    const key = `${s.issuer}\n${s.clientId}`;
    let c = this.configs.get(key);
    if (!c) {
      const deps: OidcClientDeps = { fetch: this.o.fetchFor?.(profile) };
      c = discover(s, deps);
      c.catch(() => this.configs.delete(key));
      this.configs.set(key, c);
    }
    return c;
  }

  /**
   * Signs in with the device-code flow: `onPrompt` gets the code and URL to show, then this polls until the user
   * approves (tokens go to the keychain), denies, the code expires, or `signal` cancels. Audited either way.
   */
  async signIn(profile: ClusterProfile, onPrompt: (p: DeviceCodePrompt) => void, signal: AbortSignal): Promise<AuthStatus> {
    const s = oidcOf(profile);
    if (!s) throw new EvolveError('INVALID_ARGUMENT', `Cluster profile "${profile.name}" does not use OIDC sign-in`);
    try {
      const config = await this.config(profile, s);
      const da = await startDeviceAuthorization(config, s);
      const expiresAt = this.now() + da.expires_in * 1000;
      const qrSvg = await qrSvgOf(da.verification_uri_complete ?? da.verification_uri, this.o.log);
      onPrompt({
        userCode: da.user_code,
        verificationUri: da.verification_uri,
        ...(da.verification_uri_complete ? { verificationUriComplete: da.verification_uri_complete } : {}),
        expiresAt,
        intervalS: da.interval ?? 5,
        ...(qrSvg ? { qrSvg } : {}),
      });
      // Our own expiry timer: the poll ends with TIMEOUT at expires_in even if the server never says expired_token.
      const expiry = AbortSignal.timeout(da.expires_in * 1000);
      const both = AbortSignal.any([signal, expiry]);
      let answer;
      try {
        answer = await pollDevice(config, da, both);
      } catch (e) {
        if (expiry.aborted && !signal.aborted)
          throw new EvolveError('TIMEOUT', 'Sign-in: the code expired before it was approved — sign in again');
        throw e;
      }
      const session = sessionFrom(answer, s.issuer, s.clientId, null, this.now());
      await this.store(profile.id, session);
      await this.audit(profile.id, 'sign-in', who(session));
      return this.status(profile);
    } catch (e) {
      const info = toErrorInfo(e);
      await this.audit(profile.id, 'sign-in-failed', undefined, `${info.code}: ${info.message}`);
      throw e;
    }
  }

  /** Drops the profile's OIDC session from the keychain (the IdP session stays: the user signs out there if they wish). */
  async signOut(profile: ClusterProfile): Promise<AuthStatus> {
    await this.o.secrets.delete(oidcSessionAccount(profile.id));
    this.sessions.delete(profile.id);
    await this.audit(profile.id, 'sign-out');
    return this.status(profile);
  }

  /** Also used when a profile is removed (no audit row: the removal has its own). */
  async forget(profileId: string): Promise<void> {
    this.sessions.delete(profileId);
    await this.o.secrets.delete(oidcSessionAccount(profileId)).catch(() => undefined);
  }

  /**
   * The session, read from the keychain once and then kept in memory (main holds the token for every request anyway):
   * each keychain read is an audited key access, and a request or a role check per read would flood the audit.
   */
  private readonly sessions = new Map<string, OidcSession | null>();
  private async session(profile: ClusterProfile): Promise<OidcSession | null> {
    const s = oidcOf(profile);
    if (!s) return null;
    const cached = this.sessions.get(profile.id);
    const ok = (x: OidcSession | null | undefined): x is OidcSession | null =>
      x === null || (!!x && x.issuer === s.issuer && x.clientId === s.clientId);
    if (cached !== undefined && ok(cached)) return cached;
    const read = await readSession(this.o.secrets, profile.id, s.issuer, s.clientId);
    this.sessions.set(profile.id, read);
    return read;
  }

  private async store(profileId: string, session: OidcSession): Promise<void> {
    await writeSession(this.o.secrets, profileId, session);
    this.sessions.set(profileId, session);
  }

  /**
   * The access token for the next request of an OIDC profile, refreshed first when less than 60 s or 10 % of its
   * lifetime remains. One refresh per profile at a time: callers queue, and the ones after the first find the new
   * token in the keychain and do not refresh again (a refresh token may be single-use: rotating IdPs revoke reuse).
   */
  async accessToken(profile: ClusterProfile): Promise<string> {
    const s = oidcOf(profile);
    if (!s) throw new EvolveError('INVALID_ARGUMENT', `Cluster profile "${profile.name}" does not use OIDC sign-in`);
    const fresh = (x: OidcSession): boolean => !needsRefresh(x.expiresAt, x.receivedAt, this.now());
    const first = await this.session(profile);
    if (first && fresh(first)) return first.accessToken;
    return this.refreshLock.queue(profile.id, async () => {
      const cur = await this.session(profile);
      if (!cur) throw new EvolveError('UNAUTHENTICATED', `Sign in to cluster profile "${profile.name}" first`, { reason: 'signed-out' });
      if (fresh(cur)) return cur.accessToken;
      if (!cur.refreshToken) {
        if (cur.expiresAt !== undefined && cur.expiresAt <= this.now())
          return this.refreshFailed(profile, 'the token expired and there is no refresh token');
        return cur.accessToken; // close to expiry but still valid, and nothing to renew it with
      }
      try {
        const answer = await refresh(await this.config(profile, s), s, cur.refreshToken);
        const next = sessionFrom(answer, s.issuer, s.clientId, cur, this.now());
        await this.store(profile.id, next);
        return next.accessToken;
      } catch (e) {
        // An IdP that is briefly unreachable must not sign the user out: a token that still works is used.
        const info = toErrorInfo(e);
        if (info.code !== 'UNAUTHENTICATED' && cur.expiresAt !== undefined && cur.expiresAt > this.now()) {
          this.o.log?.('warn', `renewing the sign-in of ${profile.id} failed (${info.message}); using the current token`);
          return cur.accessToken;
        }
        return this.refreshFailed(profile, info.message);
      }
    });
  }

  private async refreshFailed(profile: ClusterProfile, why: string): Promise<never> {
    await this.audit(profile.id, 'refresh-failed', undefined, why);
    throw new EvolveError('UNAUTHENTICATED', `The sign-in to cluster profile "${profile.name}" has ended (${why}): sign in again`, {
      reason: 'sign-in-again',
    });
  }

  /** The role the profile's claims grant (null: the profile maps no claim, the stored role applies). Signed out = viewer. */
  async roleFromClaims(profile: ClusterProfile): Promise<ClusterRole | null> {
    const s = oidcOf(profile);
    if (!s?.roleClaim) return null;
    const session = await this.session(profile);
    return roleFromClaims(s, session ? sessionClaims(session) : null);
  }

  /** What the page shows: mode, who, expiry, the role from claims, and the http:// URLs a token would go to. */
  async status(profile: ClusterProfile): Promise<AuthStatus> {
    const mode = authModeOf(profile);
    const httpUrls = mode === 'none' ? [] : httpUrlsOf([profile.dashboardUrl, profile.prometheusUrl, profile.alertmanagerUrl]);
    const httpRefused = profile.refuseTokenOverHttp && httpUrls.some((u) => !isLoopbackHost(new URL(u).hostname));
    const base = { profileId: profile.id, mode, httpUrls, httpRefused, expired: false, canRefresh: false, roleFromClaims: null };
    if (mode === 'bearer') {
      const token = await this.o.secrets.get(this.o.bearerAccount(profile.id));
      const expiresAt = token ? jwtExpiresAt(token) : undefined;
      const claims = token ? decodeJwt(token) : null;
      return {
        ...base,
        signedIn: !!token,
        ...(claims?.sub ? { subject: claims.sub } : {}),
        ...(claims?.email ? { email: claims.email } : {}),
        ...(expiresAt !== undefined ? { expiresAt, expired: expiresAt <= this.now() } : {}),
      };
    }
    if (mode !== 'oidc') return { ...base, signedIn: false };
    const session = await this.session(profile);
    if (!session) return { ...base, signedIn: false, roleFromClaims: await this.roleFromClaims(profile) };
    const claims = sessionClaims(session);
    return {
      ...base,
      signedIn: true,
      ...(claims.sub ? { subject: claims.sub } : {}),
      ...(claims.email ? { email: claims.email } : {}),
      ...(session.expiresAt !== undefined ? { expiresAt: session.expiresAt, expired: session.expiresAt <= this.now() } : {}),
      canRefresh: !!session.refreshToken,
      roleFromClaims: oidcOf(profile)?.roleClaim ? roleFromClaims(oidcOf(profile) as OidcSettings, claims) : null,
    };
  }

  /**
   * Records a token held back from (or sent over) plain http. "Sent" is recorded once per profile and origin per run:
   * the user chose it, and a row per request would drown the audit.
   */
  private readonly httpSentSeen = new Set<string>();
  tokenOverHttp(profileId: string, verdict: 'http-refused' | 'http-allowed', origin: string): void {
    if (verdict === 'http-allowed') {
      const key = `${profileId}\n${origin}`;
      if (this.httpSentSeen.has(key)) return;
      this.httpSentSeen.add(key);
    }
    void this.audit(profileId, verdict === 'http-refused' ? 'token-over-http-refused' : 'token-over-http-sent', undefined, origin);
  }

  private async audit(profileId: string, event: AuthAuditEvent, subject?: string, detail?: string): Promise<void> {
    try {
      await this.o.audit({ profileId, event, ...(subject ? { subject } : {}), ...(detail ? { detail: detail.slice(0, 2000) } : {}) });
    } catch (e) {
      this.o.log?.('warn', `audit of cluster.auth ${event} failed: ${toErrorInfo(e).message}`);
    }
  }
}
