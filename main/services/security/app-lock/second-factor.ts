// TOTP (RFC 6238 via otpauth: SHA-1, 6 digits, 30 s, ±1 step) with replay refusal, and single-use recovery codes.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Evolve Studio';
const PERIOD = 30;
const WINDOW = 1;

function totpOf(secretBase32: string, label = 'App lock'): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

/** A new 160-bit secret (RFC 4226's recommended length), base32. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export const otpauthUri = (secretBase32: string): string => totpOf(secretBase32).toString();

/** The code for `secretBase32` at `now` (tests and diagnostics). */
export const totpCodeAt = (secretBase32: string, now: number): string => totpOf(secretBase32).generate({ timestamp: now });

/**
 * The time step `code` is valid for at `now` (±1 step), or null. A step at or before `lastStep` is refused: a code
 * once used (seen over a shoulder, replayed from a log) does not open the app again.
 */
export function acceptTotp(secretBase32: string, code: string, now: number, lastStep: number | null): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secretBase32).validate({ token, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / PERIOD) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case: no i/l/o/u to misread

/** Ten codes `xxxxx-xxxxx` (50 bits each). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Case, spaces and dashes forgiven; Crockford's look-alikes mapped (o→0, i/l→1). */
export function normalizeRecoveryCode(code: string): string | null {
  const c = code
    .toLowerCase()
    .replace(/[\s-]+/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  return /^[0-9abcdefghjkmnpqrstvwxyz]{10}$/.test(c) ? c : null;
}

/** Keyed hash of a code: stored instead of the code; keyed by the KEK, so the file alone cannot test guesses. */
export function hashRecoveryCode(kek: Buffer, normalized: string): string {
  return createHmac('sha256', kek).update(`evolve/app-lock/recovery-code/v1:${normalized}`).digest('hex');
}

/** Index of the unused entry `code` matches, or -1 (constant-time compare per entry). */
export function matchRecoveryCode(kek: Buffer, code: string, hashes: readonly { hash: string; used: boolean }[]): number {
  const n = normalizeRecoveryCode(code);
  if (!n) return -1;
  const h = Buffer.from(hashRecoveryCode(kek, n), 'hex');
  let found = -1;
  hashes.forEach((e, i) => {
    if (!e.used && timingSafeEqual(Buffer.from(e.hash, 'hex'), h) && found < 0) found = i;
  });
  return found;
}
