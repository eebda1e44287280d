// DB worker requests of the local API server's tokens (issue 14 item 4): rows hold a SHA-256 of the token, never
// the token itself; creation, revocation and rate-limit changes are audited in the same transaction.
import { z } from 'zod';

const Id = z.string().min(1).max(200);
const Ts = z.number().int().nonnegative();

/** What a token may call; every route of the local server maps to exactly one (auth/route-scopes.ts). */
export const API_SCOPES = ['chat', 'completions', 'embeddings', 'models'] as const;
export const ApiScopeSchema = z.enum(API_SCOPES);
export type ApiScope = z.infer<typeof ApiScopeSchema>;

export const API_TOKEN_LIMITS = { name: 100, maxRatePerMin: 100_000 } as const;

export const ApiTokenNameSchema = z.string().trim().min(1, 'A token needs a name').max(API_TOKEN_LIMITS.name);
/** Requests per minute for one token; null: no per-token limit (the server's queue still bounds it). */
export const ApiRateLimitSchema = z.number().int().min(1).max(API_TOKEN_LIMITS.maxRatePerMin).nullable();
/** Scopes without repeats, at least one. */
export const ApiScopesSchema = z
  .array(ApiScopeSchema)
  .min(1, 'A token needs at least one scope')
  .max(API_SCOPES.length)
  .refine((s) => new Set(s).size === s.length, 'Scopes must not repeat');

/** A token as the UI and CLI list it: no secret, only a short prefix hint to recognise it by. */
export const ApiTokenInfoSchema = z.object({
  id: Id,
  name: z.string(),
  scopes: z.array(ApiScopeSchema),
  /** The first characters of the token (e.g. `evst_Ab3xYz`), enough to tell tokens apart, far too few to guess it. */
  prefixHint: z.string(),
  createdAt: Ts,
  expiresAt: Ts.nullable(),
  lastUsedAt: Ts.nullable(),
  revokedAt: Ts.nullable(),
  rateLimitPerMin: ApiRateLimitSchema,
});
export type ApiTokenInfo = z.infer<typeof ApiTokenInfoSchema>;

/** The stored row: the info plus the SHA-256 (hex) the server compares against. Stays in main, never in a contract. */
export const ApiTokenRowSchema = ApiTokenInfoSchema.extend({ hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type ApiTokenRow = z.infer<typeof ApiTokenRowSchema>;

export const ApiTokenRequests = {
  /** Stores a new token (its hash); CONFLICT when an active token has the same name or the hash exists. Audited. */
  'apiToken.insert': {
    params: z.object({
      id: Id,
      name: ApiTokenNameSchema,
      scopes: ApiScopesSchema,
      hash: ApiTokenRowSchema.shape.hash,
      prefixHint: z.string().min(1).max(40),
      createdAt: Ts,
      expiresAt: Ts.nullable(),
      rateLimitPerMin: ApiRateLimitSchema,
    }),
    result: ApiTokenRowSchema,
  },
  /** Every token, newest first (revoked ones too: the server tells a revoked token from an unknown one). */
  'apiToken.list': { params: z.object({}).strict(), result: z.array(ApiTokenRowSchema) },
  /** Revokes a token for good. NOT_FOUND: unknown or already revoked. Audited. */
  'apiToken.revoke': { params: z.object({ id: Id, at: Ts }), result: ApiTokenRowSchema },
  /** Changes a token's requests per minute. NOT_FOUND: unknown or revoked. Audited. */
  'apiToken.setRateLimit': { params: z.object({ id: Id, rateLimitPerMin: ApiRateLimitSchema }), result: ApiTokenRowSchema },
  /** Records when a token was last used (the server calls it at most once a minute per token). */
  'apiToken.touch': { params: z.object({ id: Id, at: Ts }), result: z.object({ updated: z.boolean() }) },
} as const;
