// Usage aggregation for charts: totals per group and time buckets; records and decisions validate against their schemas.
import { describe, expect, it } from 'vitest';
import { RoutingDecisionSchema, UsageRecordSchema, type UsageRecord } from '../../../common/providers/types';
import { groupUsage, usageSeries } from '../../../common/providers/usage-aggregate';

const rec = (over: Partial<UsageRecord>): UsageRecord => ({
  id: 'r',
  at: 0,
  providerId: 'openai',
  providerKind: 'openai',
  model: 'gpt-4o',
  projectId: 'p1',
  capability: 'generate',
  promptTokens: 10,
  completionTokens: 5,
  tokensEstimated: false,
  costUsd: 0.01,
  latencyMs: 100,
  ttftMs: 20,
  cached: false,
  outcome: 'ok',
  redactions: {},
  ...over,
});

describe('usage aggregation', () => {
  const rs = [
    rec({ at: 1000 }),
    rec({ at: 2000, providerId: 'local', providerKind: 'local', model: 'qwen', costUsd: 0, latencyMs: 300, ttftMs: null }),
    rec({ at: 3_600_500, cached: true, costUsd: 0, projectId: null }),
    rec({ at: 3_600_900, outcome: 'error', promptTokens: 0, completionTokens: 0, costUsd: 0 }),
  ];

  it('totals per provider and per project', () => {
    const byProvider = groupUsage(rs, 'providerId');
    expect(byProvider['openai']).toMatchObject({
      calls: 3,
      errors: 1,
      promptTokens: 20,
      completionTokens: 10,
      cacheHits: 1,
      avgTtftMs: 20,
    });
    expect(byProvider['openai']?.costUsd).toBeCloseTo(0.01);
    expect(byProvider['local']).toMatchObject({ calls: 1, avgTtftMs: null, avgLatencyMs: 300 });
    expect(Object.keys(groupUsage(rs, 'projectId')).sort()).toEqual(['(none)', 'p1']);
  });

  it('buckets by time for charts', () => {
    const s = usageSeries(rs, 'providerId', 3_600_000);
    expect(s.map((p) => [p.bucket, p.group, p.totals.calls])).toEqual([
      [0, 'openai', 1],
      [0, 'local', 1],
      [3_600_000, 'openai', 2],
    ]);
  });

  it('schemas reject malformed records and decisions', () => {
    expect(UsageRecordSchema.safeParse(rec({})).success).toBe(true);
    expect(UsageRecordSchema.safeParse({ ...rec({}), promptTokens: -1 }).success).toBe(false);
    expect(UsageRecordSchema.safeParse({ ...rec({}), outcome: 'maybe' }).success).toBe(false);
    expect(
      RoutingDecisionSchema.safeParse({
        requestId: 'x',
        capability: 'review',
        projectId: null,
        offlineOnly: true,
        chosen: null,
        candidates: [],
        summary: 's',
      }).success,
    ).toBe(true);
    expect(
      RoutingDecisionSchema.safeParse({
        requestId: 'x',
        capability: 'sing',
        projectId: null,
        offlineOnly: true,
        chosen: null,
        candidates: [],
        summary: 's',
      }).success,
    ).toBe(false);
  });
});
