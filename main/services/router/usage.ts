// Usage sinks: where each call's UsageRecord goes (the store persists; an in-memory sink aggregates for charts/tests).
import type { UsageRecord } from '../../../common/providers/types';

export type UsageSink = (record: UsageRecord) => void | Promise<void>;

export interface UsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  avgLatencyMs: number;
  avgTtftMs: number | null;
  cacheHits: number;
}

/** Keeps records in memory and aggregates by provider/model/project (what the usage charts plot). */
export class MemoryUsageSink {
  readonly records: UsageRecord[] = [];
  readonly sink: UsageSink = (r) => {
    this.records.push(r);
  };

  totals(by: 'providerId' | 'model' | 'projectId'): Record<string, UsageTotals> {
    const groups = new Map<string, UsageRecord[]>();
    for (const r of this.records) {
      const k = String(r[by] ?? '(none)');
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    const out: Record<string, UsageTotals> = {};
    for (const [k, rs] of groups) {
      const ttfts = rs.map((r) => r.ttftMs).filter((t): t is number => t !== null);
      out[k] = {
        calls: rs.length,
        promptTokens: rs.reduce((a, r) => a + r.promptTokens, 0),
        completionTokens: rs.reduce((a, r) => a + r.completionTokens, 0),
        costUsd: rs.reduce((a, r) => a + r.costUsd, 0),
        avgLatencyMs: rs.reduce((a, r) => a + r.latencyMs, 0) / rs.length,
        avgTtftMs: ttfts.length ? ttfts.reduce((a, b) => a + b, 0) / ttfts.length : null,
        cacheHits: rs.filter((r) => r.cached).length,
      };
    }
    return out;
  }
}
