// What the local server asks before serving a request: who is calling and may they call this route. The decision
// is synchronous (tokens are held in memory) so authorisation adds no round trip to a request.
import type { ApiScope } from '../../../../common/store/api-token-requests';
import { clientIdFor } from '../route-context';
import { safeEqual } from './token-format';

export interface ApiAuthRequest {
  /** The presented secret, null when the request carries none. */
  presented: string | null;
  method: string;
  route: string;
  /** The scope the route needs; null for a route the server does not serve (authenticated, then 404). */
  scope: ApiScope | null;
  remote: string;
  userAgent?: string;
}

export interface ApiPrincipal {
  /** 'default' for the server's single token of earlier versions; a token id otherwise. */
  tokenId: string;
  name: string;
  /** Non-secret id of the caller (hash of its token): KV cache sequences are never shared across clients. */
  clientId: string;
  /** Rate-limit headers to send back (x-ratelimit-*), when the token has a limit. */
  headers: Record<string, string>;
}

export type DenyReason = 'missing' | 'unknown' | 'revoked' | 'expired' | 'scope' | 'rate' | 'locked';

export type ApiAuthDecision =
  | { ok: true; principal: ApiPrincipal }
  | { ok: false; status: 401 | 403 | 429 | 503; reason: DenyReason; message: string; retryAfterSec?: number };

export interface ApiAuthorizer {
  /** May wait for a refresh of the tokens (at most about once a second); never throws. */
  authorize(req: ApiAuthRequest): ApiAuthDecision | Promise<ApiAuthDecision>;
}

export const DEFAULT_TOKEN_ID = 'default';
const WHERE = 'Use a token from Evolve Studio → Settings → Local server.';

export function unknownToken(presented: string | null): ApiAuthDecision {
  return presented === null
    ? { ok: false, status: 401, reason: 'missing', message: `No API key provided. ${WHERE}` }
    : { ok: false, status: 401, reason: 'unknown', message: `Incorrect API key provided. ${WHERE}` };
}

/**
 * The server's one token of earlier versions (kept in the keychain, shown in Settings → Local server): it keeps
 * working with every scope and no per-token rate limit, so editors set up before named tokens existed go on working.
 * Returns the principal when `presented` is that token, null otherwise.
 */
export function matchDefaultToken(presented: string, defaultToken: string): ApiPrincipal | null {
  if (!safeEqual(presented, defaultToken)) return null;
  return { tokenId: DEFAULT_TOKEN_ID, name: 'default', clientId: clientIdFor(defaultToken), headers: {} };
}

/** The authoriser of a server started with only its one token (tests, benchmarks, the CLI's `serve`). */
export class SingleTokenAuthorizer implements ApiAuthorizer {
  constructor(private readonly token: string) {}
  authorize(req: ApiAuthRequest): ApiAuthDecision {
    const principal = req.presented === null ? null : matchDefaultToken(req.presented, this.token);
    return principal ? { ok: true, principal } : unknownToken(req.presented);
  }
}
