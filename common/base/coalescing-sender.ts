// Backpressure to the source: at most one send in flight; what arrives meanwhile is merged into ONE pending value, so a
// slow receiver costs one value, not an unbounded queue of sends. Text streams append; state streams keep the newest.

/** Sends values one at a time, merging whatever arrives while a send is in flight. */
export class MergingSender<T> {
  private pending: { value: T } | null = null;
  private inFlight: Promise<void> | null = null;
  private failure: unknown = null;

  /** `send` resolves when the receiver has accepted the value (e.g. a credit-based stream's emit). */
  constructor(
    private readonly send: (value: T) => Promise<void>,
    private readonly merge: (pending: T, next: T) => T,
  ) {}

  /** Adds a value; never blocks the producer. Ignored after a send failed. */
  push(value: T): void {
    if (this.failure) return;
    this.pending = this.pending ? { value: this.merge(this.pending.value, value) } : { value };
    if (!this.inFlight) this.inFlight = this.pump();
  }

  /** Resolves once everything pushed so far has been sent; rejects with the first send failure. */
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

/** Streamed text (tokens): pieces that arrive while the receiver is behind are concatenated, in order. */
export class CoalescingSender extends MergingSender<string> {
  constructor(send: (text: string) => Promise<void>) {
    super(send, (a, b) => a + b);
  }

  override push(text: string): void {
    if (text.length > 0) super.push(text);
  }
}

/** State-like streams (progress): while the receiver is behind only the newest value waits. */
export class LatestValueSender<T> extends MergingSender<T> {
  constructor(send: (value: T) => Promise<void>) {
    super(send, (_older, newer) => newer);
  }
}
