// Inputs for groupByTemplate: n log messages from about n/3 templates (numbers vary, some unicode and padding).

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
  const kinds = Math.max(1, Math.floor(n / 3));
  // Template names use letters only: digits would be replaced by '#' and merge every template into one.
  const name = (k: number): string => [...String(k)].map((d) => String.fromCharCode(97 + Number(d))).join('');
  const messages = Array.from({ length: n }, () => {
    const k = Math.floor(r() * kinds);
    const pad = r() < 0.1 ? ' ' : '';
    return `${pad}worker ${Math.floor(r() * 64)} failed step-${name(k)} après ${Math.floor(r() * 1000)} ms${pad}`;
  });
  return [messages];
}
