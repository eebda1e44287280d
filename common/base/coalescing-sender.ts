// Backpressure for text streams: while the receiver has not taken the last piece, new pieces are merged into one pending
// piece instead of queueing one send per token, so a slow page costs one string, not an unbounded promise chain.

export class CoalescingSender {
  private pending = '';
  private inFlight: Promise<void> | null = null;
  private failure: unknown = null;

  /** `send` resolves when the receiver has accepted the piece (e.g. a credit-based stream's emit). */
  constructor(private readonly send: (text: string) => Promise<void>) {}

  /** Adds text; never blocks the producer. */
  push(text: string): void {
    if (text.length === 0 || this.failure) return;
    this.pending += text;
    if (!this.inFlight) this.inFlight = this.pump();
  }

  /** Resolves once everything pushed so far has been sent; rejects with the first send failure. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.failure) throw this.failure;
  }

  private async pump(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.failure) {
        const piece = this.pending;
        this.pending = '';
        await this.send(piece);
      }
    } catch (e) {
      this.failure = e;
      this.pending = '';
    } finally {
      this.inFlight = null;
    }
  }
}

/**
 * Backpressure for state-like streams (progress): while the receiver is behind, only the newest value waits; older ones
 * are superseded, since the receiver only needs to know where things stand now.
 */
export class LatestValueSender<T> {
  private pending: { value: T } | null = null;
  private inFlight: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(private readonly send: (value: T) => Promise<void>) {}

  push(value: T): void {
    if (this.failure) return;
    this.pending = { value };
    if (!this.inFlight) this.inFlight = this.pump();
  }

  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.failure) throw this.failure;
  }

  private async pump(): Promise<void> {
    try {
      while (this.pending && !this.failure) {
        const { value } = this.pending;
        this.pending = null;
        await this.send(value);
      }
    } catch (e) {
      this.failure = e;
      this.pending = null;
    } finally {
      this.inFlight = null;
    }
  }
}
