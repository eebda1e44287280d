// Inputs for decodeWays: a digit string of length n, mostly 1s and 2s (many readings), with a few other digits.

/** A small seeded PRNG (mulberry32) so the same (n, seed) gives the same input. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeInput(n: number, seed: number): unknown[] {
  const r = rng(seed);
  let digits = '';
  for (let i = 0; i < n; i++) {
    const x = r();
    digits += x < 0.45 ? '1' : x < 0.9 ? '2' : x < 0.97 ? String(3 + Math.floor(r() * 7)) : '0';
  }
  return [digits];
}
