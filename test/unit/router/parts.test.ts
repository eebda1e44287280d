// Circuit breaker, backoff, budgets and the response cache: each piece the router composes.
import { describe, expect, it } from 'vitest';
import { backoffDelay, sleep } from '../../../main/services/router/backoff';
import { BudgetTracker } from '../../../main/services/router/budget';
import { CircuitBreaker } from '../../../main/services/router/circuit-breaker';
import { cacheKey, isCacheable, MemoryCacheStore } from '../../../main/services/router/response-cache';

describe('CircuitBreaker', () => {
  it('opens after N failures, half-opens after the cooldown with one trial, closes on success', () => {
    let t = 0;
    const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => t });
    b.onFailure();
    b.onFailure();
    expect(b.state()).toBe('closed');
    b.onFailure();
    expect(b.state()).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    t = 999;
    expect(b.tryAcquire()).toBe(false);
    t = 1000;
    expect(b.state()).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // only one trial at a time
    b.onSuccess();
    expect(b.state()).toBe('closed');
    expect(b.snapshot().failures).toBe(0);
  });

  it('re-opens for a full cooldown when the half-open trial fails', () => {
    let t = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100, now: () => t });
    b.onFailure();
    t = 150;
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state()).toBe('open');
    expect(b.retryInMs()).toBe(100);
  });

  it('a success resets the consecutive-failure count', () => {
    const b = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 100 });
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    expect(b.state()).toBe('closed');
  });
});

describe('backoff', () => {
  it('grows exponentially within [exp/2, exp] and caps at maxMs', () => {
    const o = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(1, { ...o, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { ...o, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, { ...o, random: () => 1 })).toBe(400);
    expect(backoffDelay(10, { ...o, random: () => 1 })).toBe(1000);
  });

  it('honours a longer retry-after, ignores a shorter one', () => {
    expect(backoffDelay(1, { baseMs: 100, maxMs: 1000, random: () => 1 }, 5000)).toBe(5000);
    expect(backoffDelay(1, { baseMs: 100, maxMs: 1000, random: () => 1 }, 10)).toBe(100);
  });

  it('sleep rejects with CANCELLED when aborted', async () => {
    const ac = new AbortController();
    const p = sleep(10_000, ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('BudgetTracker', () => {
  it('refuses an estimate that would pass the daily limit and explains it', () => {
    const b = new BudgetTracker({ dailyUsd: 1, perProjectDailyUsd: {} }, () => Date.UTC(2026, 10, 24, 12));
    b.record(0.9, null);
    expect(b.check(0.05, null)).toEqual({ ok: true });
    const v = b.check(0.2, null);
    expect(v).toMatchObject({ ok: false, reason: 'budget-day' });
    if (!v.ok) expect(v.explanation).toContain('daily limit $1.00');
  });

  it('applies per-project limits (override beats default) and resets at UTC midnight', () => {
    let t = Date.UTC(2026, 10, 24, 23, 59);
    const b = new BudgetTracker({ projectDailyUsd: 0.5, perProjectDailyUsd: { big: 5 } }, () => t);
    b.record(0.4, 'small');
    b.record(0.4, 'big');
    expect(b.check(0.2, 'small')).toMatchObject({ ok: false, reason: 'budget-project' });
    expect(b.check(0.2, 'big')).toEqual({ ok: true });
    t = Date.UTC(2026, 10, 25, 0, 1);
    expect(b.check(0.2, 'small')).toEqual({ ok: true });
    expect(b.spent('small').projectUsd).toBe(0);
  });

  it("seeds today's spend from stored records only", () => {
    const now = Date.UTC(2026, 10, 24, 12);
    const b = new BudgetTracker({ dailyUsd: 1, perProjectDailyUsd: {} }, () => now);
    b.seed([
      { at: now - 1000, costUsd: 0.7, projectId: 'p' },
      { at: now - 86_400_000, costUsd: 5, projectId: 'p' },
    ]);
    expect(b.spent('p')).toMatchObject({ totalUsd: 0.7, projectUsd: 0.7 });
  });
});

describe('response cache', () => {
  const base = { providerId: 'openai', model: 'gpt-4o-mini', params: { temperature: 0, maxTokens: 10 } };
  it('keys are stable across line endings / trailing spaces and differ by provider, model, params, content', () => {
    const k = cacheKey({ ...base, messages: [{ role: 'user', content: 'hi\r\nthere  ' }] });
    expect(cacheKey({ ...base, messages: [{ role: 'user', content: 'hi\nthere' }] })).toBe(k);
    expect(cacheKey({ ...base, providerId: 'anthropic', messages: [{ role: 'user', content: 'hi\nthere' }] })).not.toBe(k);
    expect(cacheKey({ ...base, model: 'gpt-4o', messages: [{ role: 'user', content: 'hi\nthere' }] })).not.toBe(k);
    expect(cacheKey({ ...base, params: { temperature: 0, maxTokens: 11 }, messages: [{ role: 'user', content: 'hi\nthere' }] })).not.toBe(
      k,
    );
    expect(cacheKey({ ...base, messages: [{ role: 'system', content: 'hi\nthere' }] })).not.toBe(k);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
  });

  it('only temperature-0 requests are cacheable', () => {
    expect(isCacheable({ temperature: 0 })).toBe(true);
    expect(isCacheable({ temperature: 0.2 })).toBe(false);
    expect(isCacheable({})).toBe(false);
  });

  it('counts hits and misses, evicts least-recently-used, expires by TTL', async () => {
    let t = 0;
    const c = new MemoryCacheStore(2, 1000, () => t);
    const v = (text: string) => ({
      text,
      finishReason: 'stop' as const,
      model: 'm',
      usage: { promptTokens: 1, completionTokens: 1, estimated: false },
      storedAt: t,
    });
    await c.set('a', v('A'));
    await c.set('b', v('B'));
    expect((await c.get('a'))?.text).toBe('A'); // a is now most recent
    await c.set('c', v('C')); // evicts b
    expect(await c.get('b')).toBeUndefined();
    expect(c.stats()).toMatchObject({ hits: 1, misses: 1, entries: 2, hitRate: 0.5 });
    t = 5000;
    expect(await c.get('a')).toBeUndefined();
  });
});
