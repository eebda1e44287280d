// The local API server's token format and its checks: `evst_` + 32 random bytes in base64url, hashed with SHA-256,
// compared in constant time, recognised in lists by a short prefix hint.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'evst_';
const RANDOM_BYTES = 32;
/** base64url of 32 bytes, no padding. */
const BODY_CHARS = 43;
const TOKEN_RE = new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]{${BODY_CHARS}}$`);
/** Characters of the random part shown in lists: 6 × 6 = 36 of 256 bits, enough to tell tokens apart. */
const HINT_CHARS = 6;

export function generateApiToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(RANDOM_BYTES).toString('base64url')}`;
}

/** Whether `s` has the shape of one of our named tokens (a typo or a foreign key fails fast and cheaply). */
export function isApiTokenShape(s: string): boolean {
  return TOKEN_RE.test(s);
}

/**
 * SHA-256 of the whole token, lowercase hex. A plain fast hash is the accepted practice here (GitHub, PyPI): the token
 * carries 256 random bits, so there is no dictionary to try and a slow KDF would only cost every request; a KDF such
 * as argon2 protects low-entropy passwords. The hash alone does not authenticate (the server hashes what it is given).
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function prefixHintOf(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + HINT_CHARS);
}

/** Reads the presented secret: `Authorization: Bearer …` (OpenAI clients) or `x-api-key` (some editors). */
export function presentedToken(headers: {
  authorization?: string | undefined;
  'x-api-key'?: string | string[] | undefined;
}): string | null {
  const h = headers.authorization;
  if (typeof h === 'string' && /^bearer /i.test(h)) {
    const t = h.slice(7).trim();
    return t.length > 0 ? t : null;
  }
  const k = headers['x-api-key'];
  return typeof k === 'string' && k.length > 0 ? k : null;
}

/** Constant-time equality of two strings (lengths may differ: both are hashed to fixed-size digests first). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/**
 * The index of the entry whose hash equals `hashHex`, comparing against every entry in constant time per entry and
 * without stopping at the first match, so the time taken says nothing about which hash (or how much of it) matched.
 */
export function findByHash(hashHex: string, hashes: readonly string[]): number {
  const given = Buffer.from(hashHex, 'hex');
  let found = -1;
  for (let i = 0; i < hashes.length; i++) {
    const h = Buffer.from(hashes[i] ?? '', 'hex');
    const eq = h.length === given.length && timingSafeEqual(h, given);
    if (eq && found < 0) found = i;
  }
  return found;
}
