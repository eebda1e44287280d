// The app lock's pure parts: delay schedule, idle/OS-sleep decision (fake clock), TOTP replay refusal, recovery codes.
import { describe, expect, it } from 'vitest';
import { delayAfter, DELAYS_MS, FREE_FAILURES, retryAfter } from '../../../../main/services/security/app-lock/delays';
import { msUntilIdleLock, shouldLock } from '../../../../main/services/security/app-lock/idle';
import {
  acceptTotp,
  hashRecoveryCode,
  matchRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
  totpCodeAt,
} from '../../../../main/services/security/app-lock/second-factor';

describe('failed-attempt delays', () => {
  it('lets 3 failures through, then grows and caps', () => {
    expect([0, 1, 2].map(delayAfter)).toEqual([0, 0, 0]);
    expect(delayAfter(FREE_FAILURES)).toBe(30_000);
    const seq = [3, 4, 5, 6, 7, 50].map(delayAfter);
    expect(seq).toEqual([30_000, 60_000, 300_000, 900_000, 3_600_000, 3_600_000]);
    for (let i = 1; i < DELAYS_MS.length; i++) expect(DELAYS_MS[i]).toBeGreaterThan(DELAYS_MS[i - 1] ?? 0);
    expect(retryAfter(1_000, 400)).toBe(600);
    expect(retryAfter(1_000, 1_000)).toBe(0);
    expect(retryAfter(null, 5)).toBe(0);
  });
});

describe('idle and OS-sleep lock decision', () => {
  const base = { enabled: true, locked: false, idleMinutes: 5, lastActivityAt: 1_000_000 };
  it('locks only once the idle time has fully passed since the last activity', () => {
    expect(shouldLock(base, { kind: 'tick', now: 1_000_000 + 5 * 60_000 - 1 })).toBe(false);
    expect(shouldLock(base, { kind: 'tick', now: 1_000_000 + 5 * 60_000 })).toBe(true);
    expect(msUntilIdleLock(base, 1_000_000 + 60_000)).toBe(4 * 60_000);
  });
  it('never for idleness when idleMinutes is 0, nor when off or already locked', () => {
    const far = { kind: 'tick', now: 1e12 } as const;
    expect(shouldLock({ ...base, idleMinutes: 0 }, far)).toBe(false);
    expect(shouldLock({ ...base, enabled: false }, far)).toBe(false);
    expect(shouldLock({ ...base, locked: true }, far)).toBe(false);
    expect(msUntilIdleLock({ ...base, idleMinutes: 0 }, 0)).toBeNull();
  });
  it('locks on suspend and screen lock, not on resume', () => {
    expect(shouldLock(base, { kind: 'os', event: 'suspend' })).toBe(true);
    expect(shouldLock(base, { kind: 'os', event: 'lock-screen' })).toBe(true);
    expect(shouldLock(base, { kind: 'os', event: 'resume' })).toBe(false);
    expect(shouldLock({ ...base, enabled: false }, { kind: 'os', event: 'suspend' })).toBe(false);
  });
});

describe('TOTP (RFC 6238, real otpauth)', () => {
  it('matches the RFC 6238 SHA-1 test vector (T=59 s → 94287082, 6 digits: 287082)', () => {
    // RFC 6238 Appendix B secret "12345678901234567890" in base32.
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCodeAt(rfcSecret, 59_000)).toBe('287082');
    expect(acceptTotp(rfcSecret, '287082', 59_000, null)).toBe(1);
  });
  it('accepts ±1 step, refuses 2 steps off, wrong codes and a replayed step', () => {
    const s = newTotpSecret();
    const t = 1_700_000_000_000;
    const step = Math.floor(t / 30_000);
    expect(acceptTotp(s, totpCodeAt(s, t), t, null)).toBe(step);
    expect(acceptTotp(s, totpCodeAt(s, t - 30_000), t, null)).toBe(step - 1);
    expect(acceptTotp(s, totpCodeAt(s, t + 30_000), t, null)).toBe(step + 1);
    expect(acceptTotp(s, totpCodeAt(s, t - 60_000), t, null)).toBeNull();
    expect(acceptTotp(s, 'abcdef', t, null)).toBeNull();
    // Replay: the same code (same step) once used is refused, as is an older step still inside the window.
    expect(acceptTotp(s, totpCodeAt(s, t), t, step)).toBeNull();
    expect(acceptTotp(s, totpCodeAt(s, t - 30_000), t, step)).toBeNull();
    expect(acceptTotp(s, totpCodeAt(s, t + 30_000), t, step)).toBe(step + 1);
  });
  it('builds an otpauth URI authenticator apps read', () => {
    const s = newTotpSecret();
    const u = new URL(otpauthUri(s));
    expect(u.protocol).toBe('otpauth:');
    expect(u.searchParams.get('secret')).toBe(s);
    expect(u.searchParams.get('digits')).toBe('6');
    expect(u.searchParams.get('period')).toBe('30');
    expect(u.searchParams.get('algorithm')).toBe('SHA1');
  });
});

describe('recovery codes', () => {
  it('are 10 distinct codes; matched by keyed hash, forgiving case and dashes, never a used one', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    const key = Buffer.alloc(32, 7);
    const hashes = codes.map((c) => ({ hash: hashRecoveryCode(key, normalizeRecoveryCode(c) ?? ''), used: false }));
    const c3 = codes[3] ?? '';
    expect(matchRecoveryCode(key, c3.toUpperCase().replace('-', ' '), hashes)).toBe(3);
    expect(matchRecoveryCode(Buffer.alloc(32, 8), c3, hashes)).toBe(-1);
    hashes[3] = { ...hashes[3]!, used: true };
    expect(matchRecoveryCode(key, c3, hashes)).toBe(-1);
    expect(matchRecoveryCode(key, 'zzzzz-zzzzz', hashes)).toBe(-1);
  });
});
