// Inputs for pruneExpired: n sessions with random expiry times, about half expired at `now`.

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
  const now = 1_700_000_000_000;
  const sessions = Array.from({ length: n }, (_, i) => ({
    id: `s-${seed}-${i}`,
    expiresAt: now + Math.floor((r() - 0.5) * 3_600_000),
  }));
  return [sessions, now];
}
