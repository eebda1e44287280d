// Reciprocal-rank fusion (Cormack et al. 2009): each list adds 1/(k + rank) per item, so BM25 and vector
// rankings combine without calibrating their incomparable scores.
export interface Ranked<T> {
  key: string | number;
  item: T;
}

export interface Fused<T> {
  item: T;
  fused: number;
  /** 1-based rank in each input list (absent when that list did not have it). */
  ranks: (number | undefined)[];
}

export const RRF_K = 60;

export function reciprocalRankFusion<T>(lists: Ranked<T>[][], k = RRF_K): Fused<T>[] {
  const byKey = new Map<string | number, Fused<T>>();
  lists.forEach((list, li) => {
    list.forEach((r, i) => {
      let f = byKey.get(r.key);
      if (!f) {
        f = { item: r.item, fused: 0, ranks: lists.map(() => undefined) };
        byKey.set(r.key, f);
      }
      if (f.ranks[li] !== undefined) return; // a list naming the same item twice counts it once, at its best rank
      f.ranks[li] = i + 1;
      f.fused += 1 / (k + i + 1);
    });
  });
  // Ties (same fused score) keep the order of first appearance, which favours the earlier list.
  return [...byKey.values()].sort((a, b) => b.fused - a.fused);
}
