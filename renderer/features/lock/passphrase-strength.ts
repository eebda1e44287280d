// A rough strength hint for a new lock passphrase (length × character variety, with repeats and sequences
// discounted). It only guides the user; main enforces the minimum length and argon2id does the real work.
export type Strength = 'too-short' | 'weak' | 'fair' | 'strong';

export const MIN_PASSPHRASE = 8;

/** Estimated bits: each character adds log2 of the pool its classes span; a run of the same or the next char adds 1. */
export function passphraseBits(p: string): number {
  const pool = (/[a-z]/.test(p) ? 26 : 0) + (/[A-Z]/.test(p) ? 26 : 0) + (/[0-9]/.test(p) ? 10 : 0) + (/[^a-zA-Z0-9]/.test(p) ? 33 : 0);
  if (pool === 0) return 0;
  const per = Math.log2(pool);
  let bits = 0;
  const chars = [...p];
  chars.forEach((c, i) => {
    const prev = chars[i - 1];
    const step = prev === undefined ? NaN : (c.codePointAt(0) ?? 0) - (prev.codePointAt(0) ?? 0);
    bits += step === 0 || step === 1 || step === -1 ? 1 : per;
  });
  return bits;
}

export function passphraseStrength(p: string): Strength {
  if ([...p].length < MIN_PASSPHRASE) return 'too-short';
  const bits = passphraseBits(p);
  return bits < 45 ? 'weak' : bits < 70 ? 'fair' : 'strong';
}

export const STRENGTH_HINT: Record<Strength, string> = {
  'too-short': `At least ${MIN_PASSPHRASE} characters.`,
  weak: 'Weak: easy to guess. Use more words or characters.',
  fair: 'Fair. A few more words make it strong.',
  strong: 'Strong.',
};
