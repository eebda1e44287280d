// Fast but wrong: uses the index in the sorted array, so tied scores get different ranks (counts "lower or equal").

export function percentileRanks(scores: number[]): number[] {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(scores.length);
  order.forEach(([, i], pos) => {
    ranks[i] = Math.round((pos / scores.length) * 1000) / 10;
  });
  return ranks;
}
