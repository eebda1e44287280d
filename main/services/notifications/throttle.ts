// Dedup and per-channel rate limits for notifications (pure, clock injected): what may be sent now, what is held back.

/** Sends a key once per window: the same job event or alert state seen again inside it is dropped. */
export class Dedup {
  private readonly seen = new Map<string, number>();
  constructor(private readonly now: () => number) {}

  /** True when `key` was not sent within `windowMs`; records it as sent now. */
  admit(key: string, windowMs: number): boolean {
    const t = this.now();
    // Forget expired keys as we go, so a long-running app keeps a bounded map.
    if (this.seen.size > 1000) for (const [k, at] of this.seen) if (t - at >= windowMs) this.seen.delete(k);
    const last = this.seen.get(key);
    if (last !== undefined && t - last < windowMs) return false;
    this.seen.set(key, t);
    return true;
  }
}

export interface BucketLimits {
  /** Tokens refilled per hour. */
  perHour: number;
  /** Bucket size: how many may go out at once after a quiet period. */
  burst: number;
}

/**
 * A token bucket per channel. Why a bucket and not a fixed window: a burst (five alerts of one outage) goes out
 * at once, a storm is cut to the refill rate, and there is no window edge where twice the limit gets through.
 * Dropped notifications are counted with their titles so a summary can be sent once a token is free again.
 */
export class ChannelBucket {
  private tokens: number;
  private at: number;
  /** Held back since the last summary: count, the first few titles, the highest severity. */
  held = { count: 0, titles: [] as string[], critical: false };

  constructor(
    private limits: BucketLimits,
    private readonly now: () => number,
  ) {
    this.tokens = limits.burst;
    this.at = now();
  }

  setLimits(limits: BucketLimits): void {
    this.refill();
    this.limits = limits;
    this.tokens = Math.min(this.tokens, limits.burst);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((t - this.at) * this.limits.perHour) / 3_600_000);
    this.at = t;
  }

  /** Takes a token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  hold(title: string, critical: boolean): void {
    this.held.count += 1;
    if (this.held.titles.length < 5) this.held.titles.push(title);
    this.held.critical ||= critical;
  }

  /** Returns and clears what was held back (for the summary). */
  drainHeld(): { count: number; titles: string[]; critical: boolean } {
    const h = this.held;
    this.held = { count: 0, titles: [], critical: false };
    return h;
  }

  /** Milliseconds until the next whole token (0 when one is there). */
  msUntilToken(): number {
    this.refill();
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) * 3_600_000) / this.limits.perHour);
  }
}
