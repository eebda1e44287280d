// Inputs for visibleProducts: n products (some SKUs repeated) and about n/2 archived SKUs, partly unknown ones.

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
  const sku = (): string => `SKU-${Math.floor(r() * n * 1.2)}`;
  const catalogue = Array.from({ length: n }, (_, i) => ({ sku: sku(), title: `Product ${i} — ${seed}` }));
  const archived = Array.from({ length: Math.floor(n / 2) }, sku);
  return [catalogue, archived];
}
