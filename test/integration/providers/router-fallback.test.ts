// Router over real SDK adapters and wire fixtures: 500/hang on the primary falls back to Anthropic; breaker opens and half-opens; redaction reaches the wire.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePricingTable } from '../../../common/providers/pricing';
import type { Provider } from '../../../common/providers/provider';
import { AnthropicAdapter } from '../../../main/services/providers/anthropic-adapter';
import { OpenAIAdapter } from '../../../main/services/providers/openai-adapter';
import { Redactor } from '../../../main/services/redaction/redactor';
import { BudgetTracker } from '../../../main/services/router/budget';
import { BreakerRegistry } from '../../../main/services/router/circuit-breaker';
import { MemoryCacheStore } from '../../../main/services/router/response-cache';
import { Router } from '../../../main/services/router/router';
import { MemoryUsageSink } from '../../../main/services/router/usage';
import { startAnthropicFixture } from '../../fixtures/providers/anthropic-fixture';
import type { FixtureServer } from '../../fixtures/providers/fixture-server';
import { startOpenAIFixture } from '../../fixtures/providers/openai-fixture';
import { guard, secrets } from './helpers';

const pricing = parsePricingTable(JSON.parse(readFileSync(join(__dirname, '../../../resources/providers/pricing.json'), 'utf8')));
const corpus = JSON.parse(readFileSync(join(__dirname, '../../fixtures/providers/redaction-corpus.json'), 'utf8')) as {
  cases: { text: string; secrets: { value: string }[] }[];
};

describe('router fallback over wire fixtures', () => {
  let oa: FixtureServer;
  let an: FixtureServer;
  let router: Router;
  let usage: MemoryUsageSink;
  let cache: MemoryCacheStore;
  const COOLDOWN = 400;
  beforeAll(async () => {
    oa = (await startOpenAIFixture({ apiKey: 'sk-fixture-openai' })).server;
    an = (await startAnthropicFixture({ apiKey: 'sk-ant-fixture' })).server;
    const { guard: g } = guard();
    const keys = secrets({ openai: 'sk-fixture-openai', anthropic: 'sk-ant-fixture' });
    const providers = new Map<string, Provider>([
      [
        'openai',
        new OpenAIAdapter({ id: 'openai', kind: 'openai', baseUrl: `${oa.url}/v1`, requiresKey: true, getSecret: keys, guard: g }),
      ],
      ['anthropic', new AnthropicAdapter({ id: 'anthropic', baseUrl: an.url, getSecret: keys, guard: g })],
    ]);
    usage = new MemoryUsageSink();
    cache = new MemoryCacheStore();
    router = new Router({
      providers: (id) => providers.get(id),
      capabilityMap: () => ({
        review: [
          { providerId: 'openai', model: 'gpt-4o-mini' },
          { providerId: 'anthropic', model: 'claude-haiku-5' },
        ],
      }),
      guard: g,
      redactor: new Redactor(),
      pricing,
      budget: new BudgetTracker({ perProjectDailyUsd: {} }),
      cache,
      onUsage: usage.sink,
      retry: { maxAttempts: 2, baseMs: 10, maxMs: 50, maxRetryAfterMs: 2000 },
      timeouts: { firstByteMs: 300, totalMs: 5000 },
      breakers: new BreakerRegistry({ failureThreshold: 3, cooldownMs: COOLDOWN }),
    });
  });
  afterAll(async () => {
    await oa.close();
    await an.close();
  });
  beforeEach(() => {
    // Each scenario starts with healthy breakers and a clean fixture.
    router.breakers.reset();
    oa.clear();
  });
  const req = { capability: 'review', projectId: 'evolve', messages: [{ role: 'user', content: 'review this diff' }] };

  it('uses OpenAI when it is healthy', async () => {
    const r = await router.run(req);
    expect(r).toMatchObject({ providerId: 'openai', text: 'Hello from the OpenAI fixture.' });
    expect(usage.records.at(-1)).toMatchObject({ providerId: 'openai', outcome: 'ok', tokensEstimated: false });
    expect(usage.records.at(-1)?.costUsd).toBeGreaterThan(0);
  });

  it('falls back to Anthropic when OpenAI returns 500 (after one retry) and explains it', async () => {
    oa.clear();
    oa.queueFault('server-error', 2);
    const r = await router.run(req);
    expect(r).toMatchObject({ providerId: 'anthropic', text: 'Hello from the Anthropic fixture.' });
    expect(oa.requests).toHaveLength(2);
    expect(r.decision.candidates[0]).toMatchObject({
      providerId: 'openai',
      status: 'failed',
      reason: 'error',
      attempts: 2,
      errorCode: 'UNAVAILABLE',
    });
    expect(r.decision.candidates[0]?.explanation).toMatch(/answered 500/);
    expect(r.decision.summary).toMatch(/^Used anthropic\/claude-haiku-5 after openai failed/);
  });

  it('falls back when OpenAI accepts the connection and hangs (first-byte timeout)', async () => {
    oa.clear();
    oa.queueFault('hang', 2);
    const t0 = performance.now();
    const r = await router.run(req);
    expect(r.providerId).toBe('anthropic');
    expect(r.decision.candidates[0]).toMatchObject({ reason: 'timeout', errorCode: 'TIMEOUT' });
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('retries a 429 after retry-after and succeeds on the same provider', async () => {
    oa.clear();
    oa.retryAfterSeconds = 1;
    oa.queueFault('rate-limit');
    const t0 = performance.now();
    const r = await router.run(req);
    expect(r.providerId).toBe('openai');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
    expect(r.decision.candidates[0]).toMatchObject({ attempts: 2 });
  });

  it('opens the breaker after repeated failures, skips OpenAI, then half-opens after the cooldown', async () => {
    oa.clear();
    oa.setFault('server-error');
    await router.run(req); // 2 failures (attempt + retry)
    const second = await router.run(req); // 3rd failure opens the breaker
    expect(second.decision.candidates[0]?.explanation).toMatch(/circuit opened/);
    const skipped = await router.run(req);
    expect(skipped.decision.candidates[0]).toMatchObject({ status: 'skipped', reason: 'circuit-open' });
    const before = oa.requests.length;
    expect(before).toBe(3);
    oa.setFault(null);
    await new Promise((r) => setTimeout(r, COOLDOWN + 50));
    expect(router.breakers.get('openai').state()).toBe('half-open');
    const healed = await router.run(req);
    expect(healed.providerId).toBe('openai');
    expect(router.breakers.get('openai').state()).toBe('closed');
  });

  it('sends the redacted text (exactly the preview) over the wire: no corpus secret reaches the fixture', async () => {
    oa.clear();
    const text = corpus.cases.map((c) => c.text).join('\n---\n');
    const msg = { capability: 'review', messages: [{ role: 'user', content: text }] };
    const preview = await router.preview(msg, 'openai');
    await router.run(msg);
    const wire = oa.requests[0]?.rawBody ?? '';
    for (const c of corpus.cases) for (const s of c.secrets) expect(wire.includes(s.value), s.value.slice(0, 12)).toBe(false);
    const sent = JSON.parse(wire) as { messages: { content: string }[] };
    expect(sent.messages[0]?.content).toBe(preview.messages?.[0]?.content);
    const rec = usage.records.at(-1);
    expect(Object.values(rec?.redactions ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(corpus.cases.length);
  });

  it('caches a temperature-0 answer and reports the hit rate', async () => {
    oa.clear();
    const det = { ...req, params: { temperature: 0 } };
    await router.run(det);
    const hit = await router.run(det);
    expect(hit.decision.candidates[0]?.reason).toBe('cache-hit');
    expect(oa.requests).toHaveLength(1);
    expect(cache.stats().hitRate).toBe(0.5);
  });
});
