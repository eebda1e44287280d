// Pure aggregation of UsageRecords for the usage charts: totals per provider/model/project, optionally per time bucket.
import type { UsageRecord } from './types';

export interface UsageTotals {
  calls: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  avgLatencyMs: number;
  avgTtftMs: number | null;
  cacheHits: number;
}

export type UsageGroupBy = 'providerId' | 'model' | 'projectId' | 'capability';

export function totalsOf(records: readonly UsageRecord[]): UsageTotals {
  const ttfts = records.map((r) => r.ttftMs).filter((t): t is number => t !== null);
  return {
    calls: records.length,
    errors: records.filter((r) => r.outcome === 'error').length,
    promptTokens: records.reduce((a, r) => a + r.promptTokens, 0),
    completionTokens: records.reduce((a, r) => a + r.completionTokens, 0),
    costUsd: records.reduce((a, r) => a + r.costUsd, 0),
    avgLatencyMs: records.length ? records.reduce((a, r) => a + r.latencyMs, 0) / records.length : 0,
    avgTtftMs: ttfts.length ? ttfts.reduce((a, b) => a + b, 0) / ttfts.length : null,
    cacheHits: records.filter((r) => r.cached).length,
  };
}

export function groupUsage(records: readonly UsageRecord[], by: UsageGroupBy): Record<string, UsageTotals> {
  const groups = new Map<string, UsageRecord[]>();
  for (const r of records) {
    const k = String(r[by] ?? '(none)');
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return Object.fromEntries([...groups].map(([k, rs]) => [k, totalsOf(rs)]));
}

/** Time series for charts: one point per bucket start (ms, UTC), grouped. Empty buckets are omitted. */
export function usageSeries(
  records: readonly UsageRecord[],
  by: UsageGroupBy,
  bucketMs: number,
): { bucket: number; group: string; totals: UsageTotals }[] {
  const buckets = new Map<number, UsageRecord[]>();
  for (const r of records) {
    const b = Math.floor(r.at / bucketMs) * bucketMs;
    const list = buckets.get(b);
    if (list) list.push(r);
    else buckets.set(b, [r]);
  }
  return [...buckets.keys()]
    .sort((a, b) => a - b)
    .flatMap((b) => Object.entries(groupUsage(buckets.get(b) ?? [], by)).map(([group, totals]) => ({ bucket: b, group, totals })));
}
