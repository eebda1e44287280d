// Per-provider circuit breaker: opens after N consecutive failures, half-opens after a cooldown to let one trial through.
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly o: BreakerOptions) {
    this.now = o.now ?? Date.now;
  }

  state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.o.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go out now; in half-open only one trial call at a time is let through. */
  tryAcquire(): boolean {
    const s = this.state();
    if (s === 'closed') return true;
    if (s === 'open') return false;
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** Milliseconds until an open breaker half-opens (0 when not open). */
  retryInMs(): number {
    if (this.openedAt === null) return 0;
    return Math.max(0, this.o.cooldownMs - (this.now() - this.openedAt));
  }

  onSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  onFailure(): void {
    this.trialInFlight = false;
    if (this.openedAt !== null) {
      // A failed half-open trial re-opens for a full cooldown.
      this.openedAt = this.now();
      return;
    }
    this.failures++;
    if (this.failures >= this.o.failureThreshold) this.openedAt = this.now();
  }

  /** A call that ended without telling us about provider health (cancelled by the user). */
  release(): void {
    this.trialInFlight = false;
  }

  snapshot(): { state: BreakerState; failures: number; retryInMs: number } {
    return { state: this.state(), failures: this.failures, retryInMs: this.retryInMs() };
  }
}

export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  constructor(private readonly o: BreakerOptions) {}

  get(providerId: string): CircuitBreaker {
    let b = this.breakers.get(providerId);
    if (!b) {
      b = new CircuitBreaker(this.o);
      this.breakers.set(providerId, b);
    }
    return b;
  }

  /** Forgets failures (all providers, or one): the settings UI's "try again now". */
  reset(providerId?: string): void {
    if (providerId === undefined) this.breakers.clear();
    else this.breakers.delete(providerId);
  }

  snapshot(): Record<string, ReturnType<CircuitBreaker['snapshot']>> {
    return Object.fromEntries([...this.breakers].map(([id, b]) => [id, b.snapshot()]));
  }
}
