// Router decisions with scripted providers: fallback, retries/backoff, retry-after, breaker, budgets, offline-only, cache, timeouts, validation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePricingTable } from '../../../common/providers/pricing';
import type { Provider } from '../../../common/providers/provider';
import { RoutingDecisionSchema, type RoutingDecision } from '../../../common/providers/types';
import { EgressGuard } from '../../../main/services/providers/egress-guard';
import { Redactor } from '../../../main/services/redaction/redactor';
import { BudgetTracker, type BudgetLimits } from '../../../main/services/router/budget';
import type { CapabilityMap } from '../../../main/services/router/capability-map';
import { BreakerRegistry } from '../../../main/services/router/circuit-breaker';
import { MemoryCacheStore } from '../../../main/services/router/response-cache';
import { Router, type RoutedEvent } from '../../../main/services/router/router';
import { MemoryUsageSink } from '../../../main/services/router/usage';
import { ScriptedProvider } from '../../fixtures/providers/scripted-provider';

const pricing = parsePricingTable(JSON.parse(readFileSync(join(__dirname, '../../../resources/providers/pricing.json'), 'utf8')));

function setup(opts: { offlineOnly?: boolean; budget?: Partial<BudgetLimits>; firstByteMs?: number; threshold?: number } = {}) {
  const primary = new ScriptedProvider('openai', 'openai', true);
  const secondary = new ScriptedProvider('anthropic', 'anthropic', true);
  const local = new ScriptedProvider('local', 'local', false);
  const all = new Map<string, Provider>([primary, secondary, local].map((p) => [p.id, p]));
  const map: CapabilityMap = {
    generate: [
      { providerId: 'openai', model: 'gpt-4o' },
      { providerId: 'anthropic', model: 'claude-sonnet-4-5' },
      { providerId: 'local', model: 'qwen' },
    ],
    review: [
      { providerId: 'ghost', model: 'x' },
      { providerId: 'local', model: 'qwen' },
    ],
  };
  const policy = { offlineOnly: opts.offlineOnly ?? false };
  const usage = new MemoryUsageSink();
  const delays: number[] = [];
  const decisions: RoutingDecision[] = [];
  const cache = new MemoryCacheStore();
  const router = new Router({
    providers: (id) => all.get(id),
    capabilityMap: () => map,
    guard: new EgressGuard(() => policy),
    redactor: new Redactor(),
    pricing,
    budget: new BudgetTracker({ perProjectDailyUsd: {}, ...opts.budget }),
    cache,
    onUsage: usage.sink,
    onDecision: (d) => decisions.push(d),
    retry: { maxAttempts: 3, baseMs: 100, maxMs: 1000, maxRetryAfterMs: 5000 },
    timeouts: { firstByteMs: opts.firstByteMs ?? 2000, totalMs: 10_000 },
    breakers: new BreakerRegistry({ failureThreshold: opts.threshold ?? 5, cooldownMs: 60_000 }),
    random: () => 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
  });
  return { router, primary, secondary, local, usage, delays, decisions, cache, policy };
}

const ask = (extra: Record<string, unknown> = {}) => ({
  capability: 'generate',
  projectId: 'proj',
  messages: [{ role: 'user', content: 'write a sort' }],
  ...extra,
});

async function collect(it: AsyncIterable<RoutedEvent>): Promise<RoutedEvent[]> {
  const out: RoutedEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('Router', () => {
  it('uses the first candidate and explains it; usage carries cost from the pricing table', async () => {
    const s = setup();
    const r = await s.router.run(ask());
    expect(r.providerId).toBe('openai');
    expect(r.decision.summary).toBe('Used openai/gpt-4o (first choice).');
    expect(r.decision.candidates.map((c) => c.status)).toEqual(['chosen', 'not-tried', 'not-tried']);
    const rec = s.usage.records[0];
    expect(rec).toMatchObject({
      providerId: 'openai',
      projectId: 'proj',
      capability: 'generate',
      promptTokens: 100,
      completionTokens: 50,
      cached: false,
      outcome: 'ok',
    });
    expect(rec?.costUsd).toBeCloseTo((100 * 2.5 + 50 * 10) / 1e6, 12);
    expect(rec?.ttftMs).not.toBeNull();
    // What the providers contract returns must validate against the shared schemas.
    expect(RoutingDecisionSchema.parse(r.decision)).toEqual(r.decision);
    expect(s.decisions).toEqual([r.decision]);
  });

  it('retries a retryable error with exponential backoff, then falls back with an explanation', async () => {
    const s = setup();
    s.primary.script(
      { kind: 'error', code: 'UNAVAILABLE', retryable: true },
      { kind: 'error', code: 'UNAVAILABLE', retryable: true },
      { kind: 'error', code: 'UNAVAILABLE', retryable: true },
    );
    const events = await collect(s.router.stream(ask()));
    expect(s.delays).toEqual([100, 200]);
    expect(events.filter((e) => e.type === 'attempt').map((e) => (e as { providerId: string }).providerId)).toEqual([
      'openai',
      'openai',
      'openai',
      'anthropic',
    ]);
    const d = (events.at(-1) as { decision: RoutingDecision }).decision;
    expect(d.chosen?.providerId).toBe('anthropic');
    expect(d.candidates[0]).toMatchObject({ status: 'failed', reason: 'error', attempts: 3, errorCode: 'UNAVAILABLE' });
    expect(d.summary).toMatch(/Used anthropic\/claude-sonnet-4-5 after openai failed \(error\)/);
    expect(s.usage.records.filter((r) => r.outcome === 'error')).toHaveLength(3);
  });

  it('honours retry-after, and skips straight to the next candidate when retry-after is too long', async () => {
    const s = setup();
    s.primary.script({ kind: 'error', code: 'RESOURCE_EXHAUSTED', retryable: true, retryAfterMs: 3000 });
    expect((await s.router.run(ask())).providerId).toBe('openai');
    expect(s.delays).toEqual([3000]);
    s.primary.script({ kind: 'error', code: 'RESOURCE_EXHAUSTED', retryable: true, retryAfterMs: 60_000 });
    const r = await s.router.run(ask());
    expect(r.providerId).toBe('anthropic');
    expect(r.decision.candidates[0]).toMatchObject({ status: 'failed', reason: 'rate-limited', attempts: 1 });
  });

  it('does not retry non-retryable errors (bad key) and does not count them against the breaker', async () => {
    const s = setup({ threshold: 1 });
    s.primary.script({ kind: 'error', code: 'UNAUTHENTICATED', retryable: false });
    const r = await s.router.run(ask());
    expect(r.providerId).toBe('anthropic');
    expect(s.delays).toEqual([]);
    expect(s.router.breakers.get('openai').state()).toBe('closed');
  });

  it('opens the breaker after N failures and then skips the provider with circuit-open', async () => {
    const s = setup({ threshold: 2 });
    s.primary.script({ kind: 'error', code: 'UNAVAILABLE', retryable: true }, { kind: 'error', code: 'UNAVAILABLE', retryable: true });
    const first = await s.router.run(ask());
    expect(first.decision.candidates[0]?.explanation).toMatch(/circuit opened/);
    const second = await s.router.run(ask());
    expect(second.providerId).toBe('anthropic');
    expect(second.decision.candidates[0]).toMatchObject({ status: 'skipped', reason: 'circuit-open' });
    expect(s.primary.requests).toHaveLength(2);
  });

  it('offline-only skips every provider that leaves the machine and says why', async () => {
    const s = setup({ offlineOnly: true });
    const r = await s.router.run(ask());
    expect(r.providerId).toBe('local');
    expect(r.decision.offlineOnly).toBe(true);
    expect(r.decision.candidates.slice(0, 2).map((c) => c.reason)).toEqual(['offline-only', 'offline-only']);
    expect(r.decision.candidates[0]?.explanation).toMatch(/Offline-only mode is on/);
    expect(s.primary.requests).toHaveLength(0);
    expect(s.secondary.requests).toHaveLength(0);
  });

  it('skips candidates whose estimate breaks the budget; all skipped → RESOURCE_EXHAUSTED with the decision', async () => {
    const s = setup({ budget: { dailyUsd: 0.000001 } });
    const r = await s.router.run(ask());
    expect(r.providerId).toBe('local'); // free
    expect(r.decision.candidates[0]).toMatchObject({ status: 'skipped', reason: 'budget-day' });
    const s2 = setup({ budget: { projectDailyUsd: 0 } });
    s2.local.script({ kind: 'error', code: 'UNAVAILABLE', retryable: false });
    const err = await s2.router.run(ask()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    const s3 = setup({ budget: { dailyUsd: 0 } });
    const map3 = await s3.router.run({ ...ask(), capability: 'generate' }).catch((e: unknown) => e);
    // local still free → succeeds even with a zero budget
    expect(map3).toMatchObject({ providerId: 'local' });
  });

  it('redacts before a cloud send and sends the local model the original text', async () => {
    const s = setup();
    const secret = ['sk', 'proj', 'FAKE0000fake0000FAKE0000fake0000'].join('-');
    const msg = { capability: 'generate', messages: [{ role: 'user', content: `key ${secret} mail a.b@acme.io` }] };
    const preview = await s.router.preview(msg, 'openai');
    await s.router.run(msg);
    const sent = s.primary.requests[0] as { messages: { content: string }[] };
    expect(sent.messages[0]?.content).toBe('key [REDACTED_OPENAI_KEY_1] mail [REDACTED_EMAIL_1]');
    expect(preview.messages).toEqual(sent.messages);
    expect(s.usage.records[0]?.redactions).toEqual({ OPENAI_KEY: 1, EMAIL: 1 });
    expect(await s.router.preview(msg, 'local')).toMatchObject({ leavesMachine: false, total: 0, messages: msg.messages });
  });

  it('answers an identical temperature-0 request from the cache, at no cost', async () => {
    const s = setup();
    await s.router.run(ask({ params: { temperature: 0 } }));
    const again = await s.router.run(ask({ params: { temperature: 0 } }));
    expect(again.decision.candidates[0]).toMatchObject({ reason: 'cache-hit' });
    expect(s.primary.requests).toHaveLength(1);
    expect(s.usage.records[1]).toMatchObject({ cached: true, costUsd: 0 });
    expect(s.cache.stats()).toMatchObject({ hits: 1, misses: 1, hitRate: 0.5 });
    await s.router.run(ask({ params: { temperature: 0.7 } }));
    expect(s.primary.requests).toHaveLength(2);
  });

  it('gives up on a hanging provider at the first-byte timeout and falls back', async () => {
    const s = setup({ firstByteMs: 50 });
    s.primary.script({ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    const r = await s.router.run(ask());
    expect(r.providerId).toBe('anthropic');
    expect(r.decision.candidates[0]).toMatchObject({ status: 'failed', reason: 'timeout', errorCode: 'TIMEOUT' });
  });

  it('does not splice two models when a stream fails after partial output', async () => {
    const s = setup();
    s.primary.script({ kind: 'partial-then-error', text: 'half an ans' });
    const err = await s.router.run(ask()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    expect((err as Error).message).toMatch(/after partial output/);
    expect(s.secondary.requests).toHaveLength(0);
  });

  it('stops at once when the caller cancels', async () => {
    const s = setup();
    s.primary.script({ kind: 'hang' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    await expect(s.router.run(ask(), ac.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(s.secondary.requests).toHaveLength(0);
    expect(s.usage.records.at(-1)?.outcome).toBe('cancelled');
  });

  it('skips unknown providers, plans without sending, and rejects bad input with INVALID_ARGUMENT', async () => {
    const s = setup();
    const plan = s.router.plan({ capability: 'review', prompt: 'x' });
    expect(plan.candidates.map((c) => [c.providerId, c.status, c.reason])).toEqual([
      ['ghost', 'skipped', 'disabled'],
      ['local', 'chosen', 'ok'],
    ]);
    expect(s.local.requests).toHaveLength(0);
    await expect(s.router.run({ capability: 'dance', prompt: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.router.run({ capability: 'generate' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.router.run({ capability: 'generate', prompt: 'x', params: { temperature: 9 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(s.router.run({ capability: 'document', prompt: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
