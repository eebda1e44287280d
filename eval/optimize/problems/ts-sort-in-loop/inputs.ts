// Inputs for percentileRanks: n integer scores from 0 to 100 (many ties), in random order.

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
  return [Array.from({ length: n }, () => Math.floor(r() * 101))];
}
