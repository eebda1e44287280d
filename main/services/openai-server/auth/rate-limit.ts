// Per-token request rate limits: a token bucket per key holding up to `perMinute` requests and refilling at
// perMinute/60 per second, so a client may burst a minute's allowance and then runs at the steady rate. (The
// project's Limiter and RequestQueue bound concurrency, not rate, so this is the one rate helper.)

interface Bucket {
  tokens: number;
  at: number;
  perMinute: number;
}

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterSec: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one request from `key`'s bucket; refused with the whole seconds until one is available. */
  take(key: string, perMinute: number): RateDecision {
    const t = this.now();
    let b = this.buckets.get(key);
    // A changed limit starts a full bucket at the new size (the user just raised or lowered it on purpose).
    if (!b || b.perMinute !== perMinute) {
      b = { tokens: perMinute, at: t, perMinute };
      this.buckets.set(key, b);
    }
    const perMs = perMinute / 60_000;
    b.tokens = Math.min(perMinute, b.tokens + Math.max(0, t - b.at) * perMs);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, remaining: Math.floor(b.tokens) };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
