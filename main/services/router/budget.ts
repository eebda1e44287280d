// Daily cost budgets, global and per project: estimate-before-send checks and running totals (seeded from stored usage).
import { z } from 'zod';

export const BudgetLimitsSchema = z.object({
  /** USD per calendar day (UTC) across all projects; undefined = no limit. */
  dailyUsd: z.number().nonnegative().optional(),
  /** USD per calendar day for any one project unless overridden. */
  projectDailyUsd: z.number().nonnegative().optional(),
  perProjectDailyUsd: z.record(z.string(), z.number().nonnegative()).default({}),
});
export type BudgetLimits = z.infer<typeof BudgetLimitsSchema>;

export type BudgetVerdict =
  { ok: true } | { ok: false; reason: 'budget-day' | 'budget-project'; explanation: string; remainingUsd: number };

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const fmt = (usd: number) => `$${usd.toFixed(usd < 0.01 ? 4 : 2)}`;

export class BudgetTracker {
  private day: string;
  private total = 0;
  private readonly perProject = new Map<string, number>();

  constructor(
    private limits: BudgetLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.day = utcDay(now());
  }

  setLimits(limits: BudgetLimits): void {
    this.limits = limits;
  }

  private roll(): void {
    const d = utcDay(this.now());
    if (d !== this.day) {
      this.day = d;
      this.total = 0;
      this.perProject.clear();
    }
  }

  /** Loads today's spend from persisted usage records after a restart. */
  seed(records: readonly { at: number; costUsd: number; projectId: string | null }[]): void {
    this.roll();
    for (const r of records) if (utcDay(r.at) === this.day) this.record(r.costUsd, r.projectId);
  }

  record(costUsd: number, projectId: string | null): void {
    this.roll();
    this.total += costUsd;
    if (projectId) this.perProject.set(projectId, (this.perProject.get(projectId) ?? 0) + costUsd);
  }

  spent(projectId?: string | null): { day: string; totalUsd: number; projectUsd: number } {
    this.roll();
    return { day: this.day, totalUsd: this.total, projectUsd: projectId ? (this.perProject.get(projectId) ?? 0) : 0 };
  }

  /** Would spending `estimateUsd` more break a limit? */
  check(estimateUsd: number, projectId: string | null): BudgetVerdict {
    this.roll();
    const { dailyUsd } = this.limits;
    if (dailyUsd !== undefined && this.total + estimateUsd > dailyUsd) {
      const remaining = Math.max(0, dailyUsd - this.total);
      return {
        ok: false,
        reason: 'budget-day',
        remainingUsd: remaining,
        explanation: `Estimated ${fmt(estimateUsd)} exceeds today's remaining budget of ${fmt(remaining)} (daily limit ${fmt(dailyUsd)}).`,
      };
    }
    if (projectId) {
      const limit = this.limits.perProjectDailyUsd[projectId] ?? this.limits.projectDailyUsd;
      if (limit !== undefined) {
        const used = this.perProject.get(projectId) ?? 0;
        if (used + estimateUsd > limit) {
          const remaining = Math.max(0, limit - used);
          return {
            ok: false,
            reason: 'budget-project',
            remainingUsd: remaining,
            explanation: `Estimated ${fmt(estimateUsd)} exceeds project "${projectId}"'s remaining budget of ${fmt(remaining)} today (limit ${fmt(limit)}).`,
          };
        }
      }
    }
    return { ok: true };
  }
}
