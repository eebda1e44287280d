// Keeps refused requests from flooding the audit log: the first refusal of a kind (reason, token, route, caller) in
// each window is written, later ones are counted and the count rides on the next row written for that kind; past a
// global cap per window (an attacker varying the route or token), refusals are only counted until the window ends.

export interface ThrottleDecision {
  record: boolean;
  /** Refusals of this kind folded since its previous row (plus any dropped under the global cap). */
  suppressed: number;
}

export interface AuditThrottleOptions {
  windowMs?: number;
  /** Rows written per window across all kinds. */
  maxRowsPerWindow?: number;
  /** Kinds remembered at once (the oldest are forgotten; their pending counts go to the overflow count). */
  maxKeys?: number;
  now?: () => number;
}

export class AuditThrottle {
  private readonly pending = new Map<string, { lastRowAt: number; folded: number }>();
  private windowStart = 0;
  private rowsInWindow = 0;
  private overflow = 0;
  private readonly windowMs: number;
  private readonly maxRows: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(o: AuditThrottleOptions = {}) {
    this.windowMs = o.windowMs ?? 60_000;
    this.maxRows = o.maxRowsPerWindow ?? 30;
    this.maxKeys = o.maxKeys ?? 1000;
    this.now = o.now ?? Date.now;
  }

  check(key: string): ThrottleDecision {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.windowStart = t;
      this.rowsInWindow = 0;
    }
    const p = this.pending.get(key);
    if (p && t - p.lastRowAt < this.windowMs) {
      p.folded += 1;
      return { record: false, suppressed: 0 };
    }
    if (this.rowsInWindow >= this.maxRows) {
      this.overflow += 1;
      return { record: false, suppressed: 0 };
    }
    this.rowsInWindow += 1;
    const suppressed = (p?.folded ?? 0) + this.overflow;
    this.overflow = 0;
    this.pending.delete(key);
    this.pending.set(key, { lastRowAt: t, folded: 0 });
    if (this.pending.size > this.maxKeys) {
      const oldest = this.pending.keys().next();
      if (!oldest.done) {
        this.overflow += this.pending.get(oldest.value)?.folded ?? 0;
        this.pending.delete(oldest.value);
      }
    }
    return { record: true, suppressed };
  }
}
