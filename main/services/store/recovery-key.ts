// Recovery key: 160 random bits shown once as Crockford base32 in groups of four, plus a checksum group for typos.
import { createHash, randomBytes } from 'node:crypto';
import { EvolveError } from '../../../common/errors';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET_BYTES = 20;

function toBase32(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of buf) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(s: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new EvolveError('INVALID_ARGUMENT', `The recovery key contains an invalid character "${ch}"`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

const checksum = (secret: Buffer) => toBase32(createHash('sha256').update(secret).digest()).slice(0, 4);

/** A new recovery key as the user sees it: `XXXX-XXXX-…` (9 groups, the last is a checksum). */
export function newRecoveryKey(): string {
  return formatRecoveryKey(randomBytes(SECRET_BYTES));
}

export function formatRecoveryKey(secret: Buffer): string {
  const text = toBase32(secret) + checksum(secret);
  return text.match(/.{4}/g)?.join('-') ?? text;
}

/** Parses what the user typed (any case, spaces or dashes, O for 0, I/L for 1); a typo fails the checksum. */
export function parseRecoveryKey(input: string): Buffer {
  const clean = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const bad = [...clean].find((ch) => !ALPHABET.includes(ch));
  if (bad !== undefined) throw new EvolveError('INVALID_ARGUMENT', `The recovery key contains an invalid character "${bad}"`);
  if (clean.length !== 36) throw new EvolveError('INVALID_ARGUMENT', 'A recovery key has 36 characters (9 groups of 4)');
  const secret = fromBase32(clean.slice(0, 32)).subarray(0, SECRET_BYTES);
  if (checksum(secret) !== clean.slice(32))
    throw new EvolveError('INVALID_ARGUMENT', 'The recovery key has a typo (its checksum does not match)');
  return secret;
}
