// Unit tests for the recovery key format and the X25519 recovery box.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newRecoveryKdf, openWithRecovery, recoveryKeyPair, sealToRecovery } from '../../../main/services/store/recovery-box';
import { formatRecoveryKey, newRecoveryKey, parseRecoveryKey } from '../../../main/services/store/recovery-key';

describe('recovery key', () => {
  it('is 9 groups of 4 Crockford base32 characters and round-trips', () => {
    const k = newRecoveryKey();
    expect(k).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/);
    const secret = parseRecoveryKey(k);
    expect(secret).toHaveLength(20);
    expect(formatRecoveryKey(secret)).toBe(k);
  });
  it('accepts sloppy typing (case, spaces, O for 0, l for 1)', () => {
    const secret = Buffer.alloc(20, 0);
    secret[19] = 1;
    const k = formatRecoveryKey(secret);
    const sloppy = k.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    expect(parseRecoveryKey(sloppy).equals(secret)).toBe(true);
  });
  it('catches a typo with the checksum and bad lengths or characters', () => {
    const k = newRecoveryKey();
    const typo = (k[0] === 'A' ? 'B' : 'A') + k.slice(1);
    expect(() => parseRecoveryKey(typo)).toThrow(/typo/);
    expect(() => parseRecoveryKey('ABCD')).toThrow(/36 characters/);
    expect(() => parseRecoveryKey(`${k.slice(0, -1)}U`)).toThrow(/invalid character/);
  });
});

describe('recovery box', () => {
  it('seals to the public key and opens only with the matching recovery key', async () => {
    const kdf = newRecoveryKdf(2 ** 12);
    const a = await recoveryKeyPair(parseRecoveryKey(newRecoveryKey()), kdf);
    const b = await recoveryKeyPair(parseRecoveryKey(newRecoveryKey()), kdf);
    const dbKey = randomBytes(32);
    const box = sealToRecovery(a.publicRaw, dbKey);
    expect(openWithRecovery(a.privateKey, box).equals(dbKey)).toBe(true);
    expect(() => openWithRecovery(b.privateKey, box)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    const ct = Buffer.from(box.ct, 'base64');
    ct[0] = (ct[0] ?? 0) ^ 1;
    const tampered = { ...box, ct: ct.toString('base64') };
    expect(() => openWithRecovery(a.privateKey, tampered)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });
});
