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

export interface FileFusedHit<T> {
  /** The chunk shown for the file: its best BM25 chunk that is not the file card, else the best hit of any kind. */
  item: T;
  rel: string;
  fused: number;
  bm25: number | null;
  vector: number | null;
}

/**
 * RRF per file. Vectors rank files (only file cards are embedded, native/index/file-card.ts) while BM25 ranks
 * chunks, so the lists are fused by path — a file found by both rises — and each file is shown through its best
 * text-matching chunk.
 */
export function fuseByFile<T extends { rel: string; kind: string; score: number }>(
  bm25: T[],
  vector: T[],
  cardKind: string,
  k = RRF_K,
): FileFusedHit<T>[] {
  const firstPerFile = (hits: T[]): T[] => {
    const seen = new Set<string>();
    return hits.filter((h) => !seen.has(h.rel) && (seen.add(h.rel), true));
  };
  const fused = reciprocalRankFusion<string>(
    [firstPerFile(bm25).map((h) => ({ key: h.rel, item: h.rel })), firstPerFile(vector).map((h) => ({ key: h.rel, item: h.rel }))],
    k,
  );
  return fused.map((f) => {
    const textHits = bm25.filter((h) => h.rel === f.item);
    const shown = textHits.find((h) => h.kind !== cardKind) ?? textHits[0] ?? vector.find((h) => h.rel === f.item);
    return {
      item: shown as T,
      rel: f.item,
      fused: f.fused,
      bm25: textHits[0]?.score ?? null,
      vector: vector.find((h) => h.rel === f.item)?.score ?? null,
    };
  });
}
