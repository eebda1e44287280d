// Percentile rank of every score for the class report ("better than N % of the class").

/**
 * For each score, the percentage (0–100, rounded to one decimal) of scores strictly lower than it.
 * @example percentileRanks([50, 70, 70, 90]) // => [0, 25, 25, 75]
 */
export function percentileRanks(scores: number[]): number[] {
  return scores.map((score) => {
    const sorted = [...scores].sort((a, b) => a - b);
    let below = 0;
    while (below < sorted.length && sorted[below]! < score) below++;
    return Math.round((below / scores.length) * 1000) / 10;
  });
}
