// Usage sinks: where each call's UsageRecord goes (the store persists; an in-memory sink aggregates for charts/tests).
import { groupUsage, usageSeries, type UsageGroupBy, type UsageTotals } from '../../../common/providers/usage-aggregate';
import { UsageRecordSchema, type UsageRecord } from '../../../common/providers/types';

export type UsageSink = (record: UsageRecord) => void | Promise<void>;

/** Keeps validated records in memory and aggregates them (what the usage charts plot). */
export class MemoryUsageSink {
  readonly records: UsageRecord[] = [];
  readonly sink: UsageSink = (r) => {
    // Validate at the boundary so a malformed record never reaches the store or a chart.
    this.records.push(UsageRecordSchema.parse(r));
  };

  totals(by: UsageGroupBy): Record<string, UsageTotals> {
    return groupUsage(this.records, by);
  }

  series(by: UsageGroupBy, bucketMs: number) {
    return usageSeries(this.records, by, bucketMs);
  }
}
