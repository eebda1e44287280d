// The failed-attempt limiter's schedule (pure): how long the next attempt must wait after n failures in a row.

/** Free failures before any delay (typos happen). */
export const FREE_FAILURES = 3;
/** Delays after the 4th, 5th, … failure; the last one repeats (1 Password/Bitwarden-like growing back-off). */
export const DELAYS_MS = [30_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000] as const;

/** Wait imposed after `failures` failed attempts in a row (0 while within the free ones). */
export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  const i = Math.min(failures - FREE_FAILURES, DELAYS_MS.length - 1);
  return DELAYS_MS[i] ?? 0;
}

/** ms left before an attempt is accepted at `now` (0: go ahead). */
export function retryAfter(lockedUntil: number | null, now: number): number {
  return lockedUntil !== null && lockedUntil > now ? lockedUntil - now : 0;
}
