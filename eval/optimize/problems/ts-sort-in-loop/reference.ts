// Reference: sort once, then a binary search for the number of strictly lower scores (O(n log n) in all).

export function percentileRanks(scores: number[]): number[] {
  const sorted = Float64Array.from(scores).sort();
  const lowerCount = (score: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < score) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return scores.map((score) => Math.round((lowerCount(score) / scores.length) * 1000) / 10);
}
