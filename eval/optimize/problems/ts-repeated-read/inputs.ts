// Inputs for translateAll: n keys (some missing from the catalogue) and a readCatalog() standing in for reading the
// locale's JSON file. The I/O is simulated in memory on purpose (no files in the sandbox): every call copies the stored
// bytes and decodes them, a per-call cost that grows with the file like a real read would.

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
  const size = Math.max(4, Math.floor(n / 2));
  const catalogue: Record<string, string> = {};
  for (let i = 0; i < size; i++) catalogue[`screen.item${i}`] = `Élément ${i} (${seed})`;
  const stored = new TextEncoder().encode(JSON.stringify(catalogue));
  const readCatalog = (): string => new TextDecoder().decode(stored.slice());
  const keys = Array.from({ length: n }, () => `screen.item${Math.floor(r() * size * 1.1)}`);
  return [keys, readCatalog];
}
