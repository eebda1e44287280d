// Personalised PageRank by power iteration over a small weighted digraph (files → files): what Aider gets
// from networkx.pagerank, written out because the graph is a few thousand nodes at most.
export interface WeightedEdge {
  from: number;
  to: number;
  weight: number;
}

/**
 * `personalization` (any non-negative weights, normalised here; uniform when empty) is both the teleport
 * and the dangling-node distribution, as networkx does when `dangling` is not given separately.
 */
export function pageRank(
  nodeCount: number,
  edges: readonly WeightedEdge[],
  personalization?: ReadonlyMap<number, number>,
  opts: { alpha?: number; tol?: number; maxIter?: number } = {},
): Float64Array {
  const alpha = opts.alpha ?? 0.85;
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 200;
  const n = nodeCount;
  if (n === 0) return new Float64Array(0);
  const p = new Float64Array(n);
  let pSum = 0;
  for (const [i, w] of personalization ?? []) if (w > 0 && i >= 0 && i < n) pSum += p[i] = w;
  if (pSum === 0) p.fill(1 / n);
  else for (let i = 0; i < n; i++) p[i] = (p[i] as number) / pSum;

  const outWeight = new Float64Array(n);
  for (const e of edges) outWeight[e.from] = (outWeight[e.from] as number) + e.weight;
  let rank = new Float64Array(p);
  for (let iter = 0; iter < maxIter; iter++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) if (outWeight[i] === 0) dangling += rank[i] as number;
    for (const e of edges)
      next[e.to] = (next[e.to] as number) + (alpha * (rank[e.from] as number) * e.weight) / (outWeight[e.from] as number);
    let diff = 0;
    for (let i = 0; i < n; i++) {
      next[i] = (next[i] as number) + (alpha * dangling + (1 - alpha)) * (p[i] as number);
      diff += Math.abs((next[i] as number) - (rank[i] as number));
    }
    rank = next;
    if (diff < n * tol) break;
  }
  return rank;
}
