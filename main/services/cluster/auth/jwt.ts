// Reads a JWT's claims without verifying it: the app only needs `exp` (when to refresh) and the identity/role claims it
// shows. Verifying the signature is the job of the cluster's authenticating proxy, which is what the token is for.
import { z } from 'zod';

/** The claims the app reads; everything else is kept as unknown. */
export const JwtClaimsSchema = z
  .object({
    sub: z.string().optional(),
    email: z.string().optional(),
    name: z.string().optional(),
    preferred_username: z.string().optional(),
    exp: z.number().optional(),
    iat: z.number().optional(),
  })
  .passthrough();
export type JwtClaims = z.infer<typeof JwtClaimsSchema>;

/** The payload of a compact JWS (header.payload.signature), or null when the string is not one (an opaque token). */
export function decodeJwt(token: string): JwtClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const json: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const r = JwtClaimsSchema.safeParse(json);
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Expiry in ms since epoch, or undefined for opaque tokens and JWTs without `exp`. */
export function jwtExpiresAt(token: string): number | undefined {
  const exp = decodeJwt(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}

/**
 * True when a token should be renewed now: less than 60 s or 10 % of its lifetime left (whichever is more), so a
 * request started now still carries a valid token when it reaches the proxy. The margin is capped at half the
 * lifetime: a token shorter than two minutes would otherwise be renewed on every request.
 */
export function needsRefresh(expiresAt: number | undefined, issuedAt: number | undefined, now = Date.now()): boolean {
  if (expiresAt === undefined) return false;
  const lifetime = issuedAt !== undefined && issuedAt < expiresAt ? expiresAt - issuedAt : undefined;
  const margin = lifetime === undefined ? 60_000 : Math.min(Math.max(60_000, lifetime * 0.1), lifetime / 2);
  return expiresAt - now <= margin;
}
