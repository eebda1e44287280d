// Contract for the `apiTokens` domain: named tokens of the local API server with scopes, expiry and rate limits;
// the token's secret crosses this boundary exactly once, in create's result, and is never stored in clear.
import { z } from 'zod';
import { ApiRateLimitSchema, ApiScopesSchema, ApiTokenInfoSchema, ApiTokenNameSchema } from '../store/api-token-requests';
import { call, defineDomain } from './define';

const Id = z.string().min(1).max(200);

export const ApiTokenCreateInput = z
  .object({
    name: ApiTokenNameSchema,
    scopes: ApiScopesSchema,
    /** When it stops working (ms since epoch; must be in the future); null or absent: never. */
    expiresAt: z.number().int().positive().nullable().optional(),
    /** Requests per minute; null: none; absent: the default (600). */
    rateLimitPerMin: ApiRateLimitSchema.optional(),
  })
  .strict();

export const apiTokensContract = defineDomain('apiTokens', {
  /** The tokens in force (revoked ones too with includeRevoked), newest first: never the secret, only a prefix hint. */
  list: call({
    input: z.object({ includeRevoked: z.boolean().optional() }).strict(),
    output: z.array(ApiTokenInfoSchema),
    doc: 'List local API server tokens (no secrets).',
  }),
  /** Creates a token and returns its secret this once (CONFLICT: an active token has the name). */
  create: call({
    input: ApiTokenCreateInput,
    output: z.object({ token: z.string().regex(/^evst_[A-Za-z0-9_-]{43}$/), info: ApiTokenInfoSchema }),
    doc: 'Create a named API token with scopes; the token is shown once.',
  }),
  /** Revokes a token: the next request with it is refused (NOT_FOUND: unknown or already revoked). */
  revoke: call({ input: z.object({ id: Id }).strict(), output: ApiTokenInfoSchema, doc: 'Revoke an API token.' }),
  /** Changes a token's requests per minute (null: no limit). */
  setRateLimit: call({
    input: z.object({ id: Id, rateLimitPerMin: ApiRateLimitSchema }).strict(),
    output: ApiTokenInfoSchema,
    doc: "Set an API token's rate limit.",
  }),
});
