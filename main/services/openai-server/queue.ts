// Concurrency limiter with a bounded wait queue: excess requests wait their turn; past maxQueue they are refused (→ HTTP 429).
import { EvolveError } from '../../../common/errors';

export class RequestQueue {
  private active = 0;
  private readonly waiting: { resolve: () => void; reject: (e: Error) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];
  served = 0;
  rejected = 0;

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new EvolveError('INVALID_ARGUMENT', 'concurrency must be a positive integer');
    if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new EvolveError('INVALID_ARGUMENT', 'maxQueue must be a non-negative integer');
  }

  stats(): { active: number; queued: number; served: number; rejected: number } {
    return { active: this.active, queued: this.waiting.length, served: this.served, rejected: this.rejected };
  }

  /** Resolves with a release function once a slot is free; throws RESOURCE_EXHAUSTED when the queue is full. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.concurrency) {
      this.active++;
      return this.releaser();
    }
    if (this.waiting.length >= this.maxQueue) {
      this.rejected++;
      throw new EvolveError(
        'RESOURCE_EXHAUSTED',
        `Server busy: ${this.active} running and ${this.waiting.length} waiting (max ${this.maxQueue}). Retry shortly.`,
        { reason: 'queue-full' },
      );
    }
    await new Promise<void>((resolve, reject) => {
      const entry: (typeof this.waiting)[number] = { resolve, reject, ...(signal ? { signal } : {}) };
      if (signal) {
        entry.onAbort = () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new EvolveError('CANCELLED', 'Client went away while queued'));
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.waiting.push(entry);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.served++;
      const next = this.waiting.shift();
      if (next) {
        // Hand the slot straight to the next waiter: `active` stays the same.
        if (next.signal && next.onAbort) next.signal.removeEventListener('abort', next.onAbort);
        next.resolve();
      } else {
        this.active--;
      }
    };
  }
}
