// Credit-based flow control for one stream: the sender may run STREAM_WINDOW events ahead of the
// receiver's acks; past that, emit waits. Cancel releases any waiter with a CANCELLED error.
import { STREAM_WINDOW } from '../../common/contracts/wire';
import { EvolveError } from '../../common/errors';

export class StreamCredits {
  private credits: number;
  private waiters: { resolve(): void; reject(e: unknown): void }[] = [];
  private cancelled = false;

  constructor(window = STREAM_WINDOW) {
    this.credits = window;
  }

  /** Resolves when one event may be sent (and takes its credit). */
  async take(): Promise<void> {
    if (this.cancelled) throw new EvolveError('CANCELLED', 'Cancelled');
    if (this.credits > 0) {
      this.credits -= 1;
      return;
    }
    // The credit is taken by grant() when it wakes this waiter.
    await new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The receiver consumed `n` events. */
  grant(n: number): void {
    this.credits += n;
    while (this.credits > 0 && this.waiters.length > 0) {
      this.credits -= 1;
      this.waiters.shift()?.resolve();
    }
  }

  cancel(): void {
    this.cancelled = true;
    for (const w of this.waiters.splice(0)) w.reject(new EvolveError('CANCELLED', 'Cancelled'));
  }

  get available(): number {
    return this.credits;
  }
}
