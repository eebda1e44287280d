// The OIDC calls the app makes (discovery, device authorization, polling, refresh) through openid-client, loaded on
// first use (ESM, kept out of startup) and sent through the egress guard. Failures become typed EvolveErrors.
import type * as Oidc from 'openid-client';
import { lazyLoad } from '../../../../common/base/lazy-load';
import { EvolveError, isEvolveError } from '../../../../common/errors';
import type { OidcSettings } from '../../../../common/cluster/auth';
import { isLoopbackHost } from './http-policy';
import type { TokenAnswer } from './session';

export const loadOpenidClient = lazyLoad(() => import('openid-client'));

export type OidcConfiguration = Oidc.Configuration;
export type DeviceAuthorization = Oidc.DeviceAuthorizationResponse;

/** The OAuth error code of a failed token/device call (access_denied, expired_token, invalid_grant…), if it is one. */
export function oauthErrorCode(e: unknown): string | undefined {
  const err = (e as { error?: unknown; code?: unknown }) ?? {};
  return typeof err.error === 'string' ? err.error : undefined;
}

/** Maps openid-client's errors to the app's codes; `what` names the step for the message. */
export function oidcError(e: unknown, what: string): EvolveError {
  if (isEvolveError(e)) return e;
  const code = oauthErrorCode(e);
  const desc = (e as { error_description?: unknown }).error_description;
  const msg = `${what}: ${typeof desc === 'string' && desc ? desc : (code ?? (e instanceof Error ? e.message : String(e)))}`;
  if ((e as { name?: unknown }).name === 'AbortError' || (e as { name?: unknown }).name === 'TimeoutError')
    return new EvolveError('CANCELLED', `${what}: cancelled`);
  switch (code) {
    case 'access_denied':
      return new EvolveError('UNAUTHENTICATED', `${what}: the sign-in was denied`, { oauthError: code });
    case 'expired_token':
      return new EvolveError('TIMEOUT', `${what}: the code expired before it was approved — sign in again`, { oauthError: code });
    case 'invalid_grant':
    case 'invalid_token':
    case 'unauthorized_client':
      return new EvolveError('UNAUTHENTICATED', msg, { oauthError: code });
    case undefined:
      return new EvolveError('UNAVAILABLE', msg);
    default:
      return new EvolveError('INVALID_ARGUMENT', msg, { oauthError: code });
  }
}

export interface OidcClientDeps {
  /** A fetch through the egress guard (guardedFetch with the profile's TLS); the platform's default otherwise. */
  fetch?: typeof fetch;
  timeoutS?: number;
}

/**
 * Discovers the issuer. An http:// issuer is allowed only on a loopback host (a local IdP, a tunnel): over the network
 * it would carry the refresh token in the clear, so it is refused.
 */
export async function discover(settings: OidcSettings, deps: OidcClientDeps): Promise<OidcConfiguration> {
  const oc = await loadOpenidClient();
  const url = new URL(settings.issuer);
  const plain = url.protocol === 'http:';
  if (plain && !isLoopbackHost(url.hostname))
    throw new EvolveError('INVALID_ARGUMENT', `The OIDC issuer ${url.origin} must use https:// (http:// is allowed only on this machine)`);
  try {
    return await oc.discovery(url, settings.clientId, { token_endpoint_auth_method: 'none' }, oc.None(), {
      ...(deps.fetch ? { [oc.customFetch]: deps.fetch as Oidc.CustomFetch } : {}),
      ...(plain ? { execute: [oc.allowInsecureRequests] } : {}),
      timeout: deps.timeoutS ?? 30,
    });
  } catch (e) {
    throw oidcError(e, `OIDC discovery at ${url.origin}`);
  }
}

const audienceParams = (s: OidcSettings): Record<string, string> => (s.audience ? { audience: s.audience, resource: s.audience } : {});

export async function startDeviceAuthorization(config: OidcConfiguration, settings: OidcSettings): Promise<DeviceAuthorization> {
  const oc = await loadOpenidClient();
  if (!config.serverMetadata().device_authorization_endpoint)
    throw new EvolveError('INVALID_ARGUMENT', `The OIDC issuer ${settings.issuer} does not offer the device-code flow`);
  try {
    return await oc.initiateDeviceAuthorization(config, { scope: settings.scopes, ...audienceParams(settings) });
  } catch (e) {
    throw oidcError(e, 'Starting the sign-in');
  }
}

/** Polls until approved, denied or expired (openid-client honours `interval` and adds 5 s on each slow_down). */
export async function pollDevice(config: OidcConfiguration, auth: DeviceAuthorization, signal: AbortSignal): Promise<TokenAnswer> {
  const oc = await loadOpenidClient();
  try {
    return await oc.pollDeviceAuthorizationGrant(config, auth, undefined, { signal });
  } catch (e) {
    if (signal.aborted) throw signal.reason instanceof EvolveError ? signal.reason : new EvolveError('CANCELLED', 'Sign-in cancelled');
    throw oidcError(e, 'Sign-in');
  }
}

export async function refresh(config: OidcConfiguration, settings: OidcSettings, refreshToken: string): Promise<TokenAnswer> {
  const oc = await loadOpenidClient();
  try {
    return await oc.refreshTokenGrant(config, refreshToken, audienceParams(settings));
  } catch (e) {
    throw oidcError(e, 'Renewing the cluster sign-in');
  }
}
