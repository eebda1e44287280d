// Inputs for recentOrderRows: n orders over ~n/2 customers (a few deleted) and an in-memory repository whose
// queries cost what an unindexed table scan costs: every get() and getMany() scans all stored rows once.
// That per-call cost is simulated in memory on purpose (no database in the sandbox) and is real work, not a sleep.

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

interface Customer {
  id: number;
  name: string;
}

function repository(rows: Customer[]) {
  return {
    get(id: number): Customer | undefined {
      const row = rows.find((r) => r.id === id);
      return row ? { ...row } : undefined;
    },
    getMany(ids: number[]): Customer[] {
      const wanted = new Set(ids);
      return rows.filter((r) => wanted.has(r.id)).map((r) => ({ ...r }));
    },
  };
}

export function makeInput(n: number, seed: number): unknown[] {
  const r = rng(seed);
  const people = Math.max(1, Math.floor(n / 2));
  const rows: Customer[] = [];
  for (let id = 1; id <= people; id++) if (r() > 0.05) rows.push({ id, name: `Customer ${id} · ${seed}` });
  const orders = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    customerId: 1 + Math.floor(r() * people),
    cents: Math.floor(r() * 1_000_000),
  }));
  return [orders, repository(rows)];
}
