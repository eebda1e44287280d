// AppProviders on the real app services (temp encrypted store + passphrase keychain) against the OpenAI wire-format FIXTURE:
// keys in the keychain only, persistence across a restart, budgets (and seeding), the temperature-0 cache, offline-only,
// audit rows per cloud send, usage records, and the opt-in local OpenAI-compatible server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../../fixtures/providers/fixture-server';
import { startOpenAIFixture } from '../../fixtures/providers/openai-fixture';
import { AppProviders } from '../../../main/services/providers/app-providers';
import { InferenceClientEngine } from '../../../main/services/providers/local-engine';
import { startTempServices, type TempServices } from '../../support/temp-services';
import path from 'node:path';

const KEY = 'sk-fixture-unit-key-0123456789';
const SECRET = 'sk-proj-FAKEfake0000FAKEfake0000FAKEfake0000';
let t: TempServices;
let fixture: FixtureServer;
const signal = () => new AbortController().signal;
const chats = () => fixture.requests.filter((r) => r.path === '/v1/chat/completions').length;

async function send(p: AppProviders, content: string, temperature = 0.7) {
  const events: string[] = [];
  const r = await p.send(
    { capability: 'generate', projectId: 'proj-a', messages: [{ role: 'user', content }], params: { temperature } },
    signal(),
    async (e) => void events.push(e.type),
  );
  return { ...r, events };
}

beforeAll(async () => {
  ({ server: fixture } = await startOpenAIFixture({ apiKey: KEY, reply: 'Fixture says hi.' }));
  t = await startTempServices();
  await t.services.settings.update({ offlineOnly: false });
  const p = t.services.providers;
  await p.upsert(
    { id: 'cloud', kind: 'openai', label: 'Cloud', enabled: true, baseUrl: `${fixture.url}/v1`, defaultModel: 'gpt-4o-mini' },
    KEY,
    false,
  );
  await p.setRoutes({ generate: [{ providerId: 'cloud', model: 'gpt-4o-mini' }] });
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
  await fixture?.close();
});

beforeEach(async () => {
  fixture.clear();
  await t.services.settings.update({ offlineOnly: false });
  await t.services.providers.setBudgets({ perProjectDailyUsd: {} });
});

describe('AppProviders', () => {
  it('keeps the API key in the keychain only and never lists it', async () => {
    expect(await t.services.store.hasSecret('provider:cloud')).toBe(true);
    const list = await t.services.providers.list();
    expect(list.map((e) => e.config.id)).toEqual(['local', 'cloud']);
    expect(list.find((e) => e.config.id === 'cloud')).toMatchObject({ hasKey: true, leavesMachine: true, builtIn: false });
    expect(JSON.stringify(list)).not.toContain(KEY);
    const rows = await t.services.store.client.call('provider.list', {});
    expect(JSON.stringify(rows)).not.toContain(KEY);
  });

  it('sends through the router: redacted payload, one audit row with counts, a stored usage record', async () => {
    const auditBefore = (await t.services.store.client.call('audit.list', { kinds: ['provider.send'], afterSeq: 0, limit: 1000 })).length;
    const r = await send(t.services.providers, `key ${SECRET} please`);
    expect(r.error).toBeNull();
    expect(r.text).toBe('Fixture says hi.');
    expect(r.decision?.chosen).toEqual({ providerId: 'cloud', model: 'gpt-4o-mini' });
    expect(r.events).toContain('attempt');
    expect(fixture.requests.at(-1)?.rawBody).not.toContain(SECRET);
    const audit = await t.services.store.client.call('audit.list', { kinds: ['provider.send'], afterSeq: 0, limit: 1000 });
    expect(audit.length).toBe(auditBefore + 1);
    expect(audit.at(-1)?.data).toMatchObject({ provider: 'cloud', model: 'gpt-4o-mini', redactions: { OPENAI_KEY: 1 } });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    const report = await t.services.providers.usage(0, 3_600_000);
    const stored = report.stored.find((s) => s.provider === 'cloud');
    // The first send of this suite: the stored totals are exactly what the fixture reported.
    expect(r.usage?.estimated).toBe(false);
    expect(stored).toMatchObject({ calls: 1, inputTokens: r.usage?.promptTokens, outputTokens: r.usage?.completionTokens });
    expect(stored?.costUsd).toBeGreaterThan(0);
    expect(report.byProject['proj-a']?.calls).toBeGreaterThanOrEqual(1);
  });

  it('offline-only refuses the cloud provider before any request', async () => {
    await t.services.settings.update({ offlineOnly: true });
    const r = await send(t.services.providers, 'hello');
    expect(r.error?.code).toBe('FORBIDDEN');
    expect(r.decision?.candidates[0]).toMatchObject({ status: 'skipped', reason: 'offline-only' });
    expect(fixture.requests).toHaveLength(0);
  });

  it('refuses a send whose estimate exceeds the daily budget', async () => {
    await t.services.providers.setBudgets({ dailyUsd: 0.0000001, perProjectDailyUsd: {} });
    const r = await send(t.services.providers, 'hello budget');
    expect(r.error?.code).toBe('RESOURCE_EXHAUSTED');
    expect(r.decision?.candidates[0]?.reason).toBe('budget-day');
    expect(fixture.requests).toHaveLength(0);
  });

  it('answers an identical temperature-0 request from the cache without a second send or audit row', async () => {
    const before = t.services.providers.cache.stats();
    const audit0 = (await t.services.store.client.call('audit.list', { kinds: ['provider.send'], afterSeq: 0, limit: 1000 })).length;
    const a = await send(t.services.providers, 'deterministic please', 0);
    const b = await send(t.services.providers, 'deterministic please', 0);
    expect(b.text).toBe(a.text);
    expect(chats()).toBe(1);
    expect(b.decision?.candidates[0]?.reason).toBe('cache-hit');
    expect(t.services.providers.cache.stats().hits).toBe(before.hits + 1);
    const audit1 = (await t.services.store.client.call('audit.list', { kinds: ['provider.send'], afterSeq: 0, limit: 1000 })).length;
    expect(audit1).toBe(audit0 + 1);
  });

  it('a fresh instance reloads configs, routes and budgets and seeds today’s spend from the store', async () => {
    await t.services.providers.setBudgets({ dailyUsd: 10, perProjectDailyUsd: {} });
    const spent = (await t.services.providers.budgets()).spent.totalUsd;
    expect(spent).toBeGreaterThan(0);
    const again = new AppProviders({
      store: t.services.store,
      settings: t.services.settings,
      resourcesDir: path.join(t.services.info.rootDir, 'resources'),
      localEngine: new InferenceClientEngine(t.services.localAi.client),
      log: () => {},
    });
    await again.ensureLoaded();
    expect((await again.list()).map((e) => e.config.id)).toContain('cloud');
    expect((await again.getRoutes()).generate).toEqual([{ providerId: 'cloud', model: 'gpt-4o-mini' }]);
    const b = await again.budgets();
    expect(b.limits.dailyUsd).toBe(10);
    expect(b.spent.totalUsd).toBeCloseTo(spent, 12);
  });

  it('tests connections as results and lists models', async () => {
    expect(await t.services.providers.test('cloud', signal())).toMatchObject({ ok: true, models: 3 });
    expect((await t.services.providers.models('cloud', signal())).models.map((m) => m.id)).toContain('gpt-4o-mini');
    await expect(t.services.providers.test('nope', signal())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.services.providers.remove('local')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('starts the opt-in local server on 127.0.0.1 with the keychain token (revealed on request), and stops it', async () => {
    const s = await t.services.providers.server.start({ port: 0 });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      expect(s).not.toHaveProperty('token');
      expect(s.hasToken).toBe(true);
      expect((await fetch(`${s.url}/models`)).status).toBe(401);
      const { token } = await t.services.providers.server.revealToken();
      const ok = await fetch(`${s.url}/models`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
    } finally {
      await t.services.providers.server.stop();
    }
    expect((await t.services.providers.server.status()).running).toBe(false);
  });
});
