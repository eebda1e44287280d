// Runs at most N async tasks at once; the rest wait in order, up to an optional bound past which they are refused.
import { EvolveError } from '../errors';

export interface LimiterOptions {
  /** Tasks running at once (≥ 1). */
  concurrency: number;
  /** Tasks allowed to wait; one more is refused with RESOURCE_EXHAUSTED. Unbounded when omitted. */
  maxQueue?: number;
}

export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly o: LimiterOptions) {
    if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new EvolveError('INVALID_ARGUMENT', 'Limiter concurrency must be ≥ 1');
  }

  get stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  /** Runs `task` when a slot is free. An aborted signal removes a waiting task (CANCELLED) without running it. */
  async queue<T>(task: () => Promise<T> | T, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled before it started');
    if (this.running >= this.o.concurrency) {
      if (this.o.maxQueue !== undefined && this.waiting.length >= this.o.maxQueue)
        throw new EvolveError('RESOURCE_EXHAUSTED', `Too many requests waiting (${this.o.maxQueue}); try again shortly`, {
          retryAfterMs: 1000,
        });
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiting.indexOf(go);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new EvolveError('CANCELLED', 'Cancelled while waiting'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(go);
      });
    }
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
