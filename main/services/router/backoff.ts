// Exponential backoff with full jitter that honours a vendor's retry-after, and an abortable sleep.
import { EvolveError } from '../../../common/errors';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1 source; injectable so tests are deterministic. */
  random?: () => number;
}

/** attempt is 1 for the first retry. retry-after wins when it asks for longer than the computed delay. */
export function backoffDelay(attempt: number, o: BackoffOptions, retryAfterMs?: number): number {
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + (o.random ?? Math.random)() * (exp / 2);
  return Math.round(retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new EvolveError('CANCELLED', 'Cancelled'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new EvolveError('CANCELLED', 'Cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
