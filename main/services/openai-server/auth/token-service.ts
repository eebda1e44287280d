// Named tokens of the local API server: created with scopes, an optional expiry and rate limit, shown once, kept
// as SHA-256 hashes in the encrypted store, listed without the secret, revoked with immediate effect; and the
// authoriser the server asks on every request (tokens held in memory, refusals audited with throttling).
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { EvolveError, toErrorInfo } from '../../../../common/errors';
import {
  ApiRateLimitSchema,
  ApiScopesSchema,
  ApiTokenNameSchema,
  type ApiScope,
  type ApiTokenInfo,
  type ApiTokenRow,
} from '../../../../common/store/api-token-requests';
import type { StoreClient } from '../../store/store-client';
import { clientIdFor } from '../route-context';
import { AuditThrottle } from './audit-throttle';
import { matchDefaultToken, unknownToken, type ApiAuthDecision, type ApiAuthorizer, type ApiAuthRequest } from './authorizer';
import { RateLimiter } from './rate-limit';
import { findByHash, generateApiToken, hashApiToken, isApiTokenShape, prefixHintOf } from './token-format';

/** What the service needs from the encrypted store. `ready` false = locked: no request is served then. */
export interface ApiTokenStore {
  readonly ready: boolean;
  readonly client: Pick<StoreClient, 'call'>;
}

export interface ApiTokenServiceOptions {
  store: ApiTokenStore;
  now?: () => number;
  log?: (level: 'info' | 'warn', msg: string) => void;
  /** Audit-spam throttling of refusals (tests shorten the window). */
  auditWindowMs?: number;
}

export interface CreateApiTokenInput {
  name: string;
  scopes: ApiScope[];
  /** When the token stops working (ms since epoch); null or absent: never. Must be in the future. */
  expiresAt?: number | null;
  /** Requests per minute; null: no per-token limit. Absent: DEFAULT_RATE_PER_MIN. */
  rateLimitPerMin?: number | null;
}

/** Generous for an editor's completions (one request per pause in typing), tight enough to stop a runaway script. */
export const DEFAULT_RATE_PER_MIN = 600;
/** Last-use writes per token at most this often (every request would be a database write). */
const TOUCH_EVERY_MS = 60_000;
/**
 * Tokens are re-read when the copy in memory is older than this, before the request is decided: a revocation made
 * in another process (the `evolve tokens` CLI) takes effect within this time; the app's own revocations at once.
 */
const REFRESH_MS = 1_000;

export const toInfo = ({ hash: _hash, ...info }: ApiTokenRow): ApiTokenInfo => info;

/** Bad input is a typed INVALID_ARGUMENT naming the field, not a ZodError (the CLI calls the service directly). */
function valid<T extends z.ZodType>(schema: T, value: unknown, param: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new EvolveError('INVALID_ARGUMENT', `${param}: ${r.error.issues.map((i) => i.message).join('; ')}`, { param });
}

export class ApiTokenService {
  /** Every stored token (revoked too, to tell "revoked" from "unknown"); null until loaded or after a lock. */
  private rows: ApiTokenRow[] | null = null;
  private hashes: string[] = [];
  private loading: Promise<void> | null = null;
  private loadedAt = -Infinity;
  private readonly limiter: RateLimiter;
  private readonly throttle: AuditThrottle;
  private readonly touchedAt = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly o: ApiTokenServiceOptions) {
    this.now = o.now ?? Date.now;
    this.limiter = new RateLimiter(this.now);
    this.throttle = new AuditThrottle({ now: this.now, ...(o.auditWindowMs !== undefined ? { windowMs: o.auditWindowMs } : {}) });
  }

  private requireStore(): void {
    if (!this.o.store.ready) throw new EvolveError('UNAVAILABLE', 'Unlock Evolve Studio first: API tokens live in the encrypted store');
  }

  /** Reads the tokens into memory (the server awaits it before it listens; again after an unlock). */
  load(): Promise<void> {
    this.requireStore();
    const startedAt = Date.now();
    this.loading ??= this.o.store.client
      .call('apiToken.list', {})
      .then((rows) => {
        this.setRows(rows);
        this.loadedAt = startedAt;
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }

  private setRows(rows: ApiTokenRow[]): void {
    this.rows = rows;
    this.hashes = rows.map((r) => r.hash);
  }

  private upsertRow(row: ApiTokenRow): void {
    const rows = (this.rows ?? []).filter((r) => r.id !== row.id);
    this.setRows([row, ...rows]);
  }

  /** Creates a token; the only time its secret is returned. */
  async create(input: CreateApiTokenInput): Promise<{ token: string; info: ApiTokenInfo }> {
    this.requireStore();
    const name = valid(ApiTokenNameSchema, input.name, 'name');
    const scopes = valid(ApiScopesSchema, input.scopes, 'scopes');
    const rateLimitPerMin =
      input.rateLimitPerMin === undefined ? DEFAULT_RATE_PER_MIN : valid(ApiRateLimitSchema, input.rateLimitPerMin, 'rateLimitPerMin');
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && (!Number.isInteger(expiresAt) || expiresAt <= this.now()))
      throw new EvolveError('INVALID_ARGUMENT', 'The expiry must be a time in the future', { param: 'expiresAt' });
    const token = generateApiToken();
    const row = await this.o.store.client.call('apiToken.insert', {
      id: randomUUID(),
      name,
      scopes,
      hash: hashApiToken(token),
      prefixHint: prefixHintOf(token),
      createdAt: this.now(),
      expiresAt,
      rateLimitPerMin,
    });
    if (this.rows) this.upsertRow(row);
    return { token, info: toInfo(row) };
  }

  async list(opts: { includeRevoked?: boolean } = {}): Promise<ApiTokenInfo[]> {
    this.requireStore();
    const rows = await this.o.store.client.call('apiToken.list', {});
    return rows.filter((r) => opts.includeRevoked || r.revokedAt === null).map(toInfo);
  }

  /** Revokes a token; the next request with it is refused (the in-memory copy changes before this resolves). */
  async revoke(id: string): Promise<ApiTokenInfo> {
    this.requireStore();
    const row = await this.o.store.client.call('apiToken.revoke', { id, at: this.now() });
    if (this.rows) this.upsertRow(row);
    this.limiter.forget(id);
    return toInfo(row);
  }

  async setRateLimit(id: string, rateLimitPerMin: number | null): Promise<ApiTokenInfo> {
    this.requireStore();
    const row = await this.o.store.client.call('apiToken.setRateLimit', {
      id,
      rateLimitPerMin: valid(ApiRateLimitSchema, rateLimitPerMin, 'rateLimitPerMin'),
    });
    if (this.rows) this.upsertRow(row);
    return toInfo(row);
  }

  /** The server's authoriser: `defaultToken` (the single token of earlier versions) keeps every scope. */
  authorizerFor(defaultToken: string | null): ApiAuthorizer {
    return { authorize: (req) => this.authorize(req, defaultToken) };
  }

  private async authorize(req: ApiAuthRequest, defaultToken: string | null): Promise<ApiAuthDecision> {
    if (this.o.store.ready && req.presented !== null && isApiTokenShape(req.presented) && Date.now() - this.loadedAt > REFRESH_MS)
      await this.load().catch((e: unknown) => this.o.log?.('warn', `API tokens not reloaded: ${toErrorInfo(e).message}`));
    const d = this.decide(req, defaultToken);
    if (!d.decision.ok) this.auditDenial(req, d.decision, d.row);
    return d.decision;
  }

  private decide(req: ApiAuthRequest, defaultToken: string | null): { decision: ApiAuthDecision; row?: ApiTokenRow } {
    // The app lock's seam: while the store is locked nothing is served, and the tokens leave memory with the key.
    if (!this.o.store.ready) {
      this.rows = null;
      this.hashes = [];
      this.loadedAt = -Infinity;
      return {
        decision: { ok: false, status: 503, reason: 'locked', message: 'Evolve Studio is locked: unlock it to use the local server' },
      };
    }
    if (req.presented === null) return { decision: unknownToken(null) };
    if (defaultToken) {
      const principal = matchDefaultToken(req.presented, defaultToken);
      if (principal) return { decision: { ok: true, principal } };
    }
    if (!isApiTokenShape(req.presented)) return { decision: unknownToken(req.presented) };
    if (!this.rows) {
      return {
        decision: {
          ok: false,
          status: 503,
          reason: 'locked',
          message: 'The local server is loading its tokens; try again',
          retryAfterSec: 1,
        },
      };
    }
    const i = findByHash(hashApiToken(req.presented), this.hashes);
    const row = i >= 0 ? this.rows[i] : undefined;
    if (!row) return { decision: unknownToken(req.presented) };
    const now = this.now();
    if (row.revokedAt !== null)
      return { row, decision: { ok: false, status: 401, reason: 'revoked', message: `The API token "${row.name}" has been revoked` } };
    if (row.expiresAt !== null && row.expiresAt <= now)
      return { row, decision: { ok: false, status: 401, reason: 'expired', message: `The API token "${row.name}" has expired` } };
    if (req.scope !== null && !row.scopes.includes(req.scope))
      return {
        row,
        decision: {
          ok: false,
          status: 403,
          reason: 'scope',
          message: `The API token "${row.name}" lacks the '${req.scope}' scope needed for ${req.method} ${req.route} (it has: ${row.scopes.join(', ')})`,
        },
      };
    const headers: Record<string, string> = {};
    if (row.rateLimitPerMin !== null) {
      const r = this.limiter.take(row.id, row.rateLimitPerMin);
      headers['x-ratelimit-limit-requests'] = String(row.rateLimitPerMin);
      if (!r.ok)
        return {
          row,
          decision: {
            ok: false,
            status: 429,
            reason: 'rate',
            message: `Rate limit reached for the API token "${row.name}": ${row.rateLimitPerMin} requests per minute. Try again in ${r.retryAfterSec} s.`,
            retryAfterSec: r.retryAfterSec,
          },
        };
      headers['x-ratelimit-remaining-requests'] = String(r.remaining);
    }
    this.touch(row, now);
    return { decision: { ok: true, principal: { tokenId: row.id, name: row.name, clientId: clientIdFor(req.presented), headers } } };
  }

  private touch(row: ApiTokenRow, now: number): void {
    if (now - (this.touchedAt.get(row.id) ?? -Infinity) < TOUCH_EVERY_MS) return;
    this.touchedAt.set(row.id, now);
    row.lastUsedAt = now;
    this.o.store.client
      .call('apiToken.touch', { id: row.id, at: now })
      .catch((e: unknown) => this.o.log?.('warn', `API token last use not saved: ${toErrorInfo(e).message}`));
  }

  /** One audit row per kind of refusal and window; never the token, only the stored token's id, name and hint. */
  private auditDenial(req: ApiAuthRequest, d: Extract<ApiAuthDecision, { ok: false }>, row?: ApiTokenRow): void {
    // Locked: the audit log is in the locked store; the lock's own audit records the attempt to unlock.
    if (d.reason === 'locked' || !this.o.store.ready) return;
    const route = req.route.slice(0, 300);
    const t = this.throttle.check([d.reason, row?.id ?? '-', req.method, route, req.remote].join('\0'));
    if (!t.record) return;
    this.o.store.client
      .call('audit.append', {
        kind: 'api.request.denied',
        data: {
          status: d.status,
          reason: d.reason,
          method: req.method.slice(0, 20),
          route,
          remote: req.remote.slice(0, 100),
          ...(req.userAgent ? { userAgent: req.userAgent.slice(0, 200) } : {}),
          ...(row ? { tokenId: row.id, tokenName: row.name, prefixHint: row.prefixHint } : {}),
          ...(req.scope ? { scope: req.scope } : {}),
          suppressed: t.suppressed,
        },
      })
      .catch((e: unknown) => this.o.log?.('warn', `audit of a refused API request failed: ${toErrorInfo(e).message}`));
  }
}
