// Inputs for applyEvents: a cart with a few lines and n events (mostly adds over ~50 SKUs, some removes, rare clears).

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
  const sku = (): string => `sku-${Math.floor(r() * 50)}`;
  const cart = {
    owner: `user-${seed}`,
    lines: [{ sku: 'sku-1', qty: 2, cents: 999 }],
    history: ['add:sku-1', 'add:sku-1'],
  };
  const events = Array.from({ length: n }, () => {
    const x = r();
    if (x < 0.8) return { kind: 'add', sku: sku(), cents: Math.floor(r() * 10_000) };
    if (x < 0.99) return { kind: 'remove', sku: sku() };
    return { kind: 'clear' };
  });
  return [cart, events];
}
