// Named API tokens against the real local server over HTTP and the real encrypted store (DB worker): every route
// family allowed with its scope and refused (403) without it, revoked/expired/unknown tokens refused (401), rate
// limits (429 + Retry-After, then recovery), audit rows for refusals (throttled), no plaintext stored, openai SDK.
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiScope } from '../../../common/store/api-token-requests';
import type { AuditRow } from '../../../common/store/audit';
import { ROUTE_SCOPES } from '../../../main/services/openai-server/auth/route-scopes';
import { ApiTokenService } from '../../../main/services/openai-server/auth/token-service';
import { hashApiToken } from '../../../main/services/openai-server/auth/token-format';
import { LocalAiBackend, type LocalAiLike } from '../../../main/services/openai-server/local-backend';
import { newServerToken, OpenAICompatibleServer } from '../../../main/services/openai-server/server';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

/** The real backend with nothing installed: requests that pass authorisation reach the route and get its answer. */
const noModels = {
  registry: async () => ({ list: () => [] }),
  catalog: async () => ({ version: 1 as const, defaultModelId: '', models: [] }),
  client: { listLoaded: async () => [] },
} as unknown as LocalAiLike;

/** One request per route family, and what the route itself answers once authorised (no model installed). */
const FAMILY: Record<ApiScope, { method: 'GET' | 'POST'; path: string; body?: unknown; served: number }[]> = {
  chat: [
    { method: 'POST', path: '/v1/chat/completions', body: { model: 'none', messages: [{ role: 'user', content: 'hi' }] }, served: 404 },
    { method: 'POST', path: '/api/chat', body: { model: 'none', messages: [{ role: 'user', content: 'hi' }] }, served: 404 },
  ],
  completions: [
    { method: 'POST', path: '/v1/completions', body: { model: 'none', prompt: 'def f(' }, served: 404 },
    { method: 'POST', path: '/v1/fim/completions', body: { model: 'none', prompt: 'def f(' }, served: 404 },
    { method: 'POST', path: '/infill', body: { input_prefix: 'def f(', input_suffix: '' }, served: 404 },
    { method: 'POST', path: '/api/generate', body: { model: 'none', prompt: 'def f(' }, served: 404 },
  ],
  // No embedding model installed: the route answers 503 (UNAVAILABLE).
  embeddings: [{ method: 'POST', path: '/v1/embeddings', body: { model: 'none', input: 'hello' }, served: 503 }],
  models: [
    { method: 'GET', path: '/v1/models', served: 200 },
    { method: 'GET', path: '/v1/models/none', served: 404 },
    { method: 'GET', path: '/api/tags', served: 200 },
    { method: 'GET', path: '/api/ps', served: 200 },
    { method: 'GET', path: '/api/version', served: 200 },
    { method: 'GET', path: '/health', served: 200 },
    { method: 'GET', path: '/', served: 200 },
    { method: 'POST', path: '/api/show', body: { model: 'none' }, served: 404 },
  ],
};
const SCOPES = Object.keys(FAMILY) as ApiScope[];

describe('local server API tokens (real server, real store)', () => {
  const tmp = tempDir('evolve-api-tokens-');
  let store: TestStore;
  let tokens: ApiTokenService;
  /** The store as the service sees it: `ready` false is the app lock's state. */
  let gate: { ready: boolean; client: TestStore['client'] };
  let server: OpenAICompatibleServer;
  let origin: string;
  let clock = Date.now();
  const defaultToken = newServerToken();

  beforeAll(async () => {
    store = makeStore(join(tmp.dir, 'evolve.db'), newKey());
    await store.client.open();
    gate = { ready: true, client: store.client };
    tokens = new ApiTokenService({ store: gate, now: () => clock });
    await tokens.load();
    server = new OpenAICompatibleServer({
      backend: new LocalAiBackend(noModels, { idleUnloadMs: () => 0 }),
      token: defaultToken,
      auth: tokens.authorizerFor(defaultToken),
      port: 0,
    });
    origin = `http://127.0.0.1:${(await server.start()).port}`;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await store?.client.close();
    tmp.cleanup();
  });

  const send = (token: string | null, r: { method: string; path: string; body?: unknown }) =>
    fetch(`${origin}${r.path}`, {
      method: r.method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        'content-type': 'application/json',
        'user-agent': 'api-tokens-test',
      },
      ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
    });
  const deniedRows = async (): Promise<AuditRow[]> => store.client.call('audit.list', { kinds: ['api.request.denied'], limit: 1000 });

  it('maps every served route to a scope, and the table above covers every one of them', () => {
    const covered = new Set(
      SCOPES.flatMap((s) => FAMILY[s].map((r) => `${r.method} ${r.path.replace('/v1/models/none', '/v1/models/{id}')}`)),
    );
    expect(ROUTE_SCOPES.map((r) => `${r.method} ${r.path}`).sort()).toEqual([...covered].sort());
  });

  for (const scope of SCOPES) {
    it(`scope '${scope}': its routes are served with it and refused with 403 without it`, async () => {
      const allowed = await tokens.create({ name: `only-${scope}`, scopes: [scope], rateLimitPerMin: null });
      const others = await tokens.create({ name: `all-but-${scope}`, scopes: SCOPES.filter((s) => s !== scope), rateLimitPerMin: null });
      for (const r of FAMILY[scope]) {
        const ok = await send(allowed.token, r);
        expect(ok.status, `${r.method} ${r.path} with '${scope}'`).toBe(r.served);
        const no = await send(others.token, r);
        expect(no.status, `${r.method} ${r.path} without '${scope}'`).toBe(403);
        const body = (await no.json()) as { error: unknown };
        if (r.path.startsWith('/api/')) expect(body.error).toMatch(/lacks the '\w+' scope/);
        else expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'insufficient_scope', param: null });
      }
    });
  }

  it('refuses missing, unknown, revoked and expired tokens with 401, and revocation takes effect at once', async () => {
    const models = { method: 'GET', path: '/v1/models' };
    expect((await send(null, models)).status).toBe(401);
    expect((await send('evst_' + 'A'.repeat(43), models)).status).toBe(401);
    const t = await tokens.create({ name: 'to-revoke', scopes: ['models'], rateLimitPerMin: null });
    expect((await send(t.token, models)).status).toBe(200);
    await tokens.revoke(t.info.id);
    const after = await send(t.token, models);
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: 'invalid_api_key', message: expect.stringMatching(/revoked/) } });
    await expect(tokens.revoke(t.info.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const e = await tokens.create({ name: 'short-lived', scopes: ['models'], expiresAt: clock + 60_000, rateLimitPerMin: null });
    expect((await send(e.token, models)).status).toBe(200);
    clock += 60_000;
    const expired = await send(e.token, models);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    await expect(tokens.create({ name: 'past', scopes: ['chat'], expiresAt: clock - 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    // The server's token of earlier versions keeps every scope.
    expect((await send(defaultToken, models)).status).toBe(200);
    expect((await send(defaultToken, FAMILY.chat[0]!)).status).toBe(404);
  });

  it('a revocation from another process (the CLI) takes effect within about a second', async () => {
    const t = await tokens.create({ name: 'cli-revoked', scopes: ['models'], rateLimitPerMin: null });
    const models = { method: 'GET', path: '/v1/models' };
    expect((await send(t.token, models)).status).toBe(200);
    const cli = new ApiTokenService({ store: { ready: true, client: store.client }, now: () => clock });
    await cli.revoke(t.info.id);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await send(t.token, models)).status).toBe(401);
  });

  it('rate-limits per token: 429 with Retry-After in the OpenAI shape, then recovers as the minute passes', async () => {
    const t = await tokens.create({ name: 'limited', scopes: ['models'], rateLimitPerMin: 3 });
    const other = await tokens.create({ name: 'unlimited', scopes: ['models'], rateLimitPerMin: null });
    const models = { method: 'GET', path: '/v1/models' };
    for (let i = 0; i < 3; i++) {
      const r = await send(t.token, models);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-remaining-requests')).toBe(String(2 - i));
    }
    const limited = await send(t.token, models);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(await limited.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded', param: null } });
    expect((await send(other.token, models)).status).toBe(200); // the limit is per token
    clock += 20_000;
    expect((await send(t.token, models)).status).toBe(200);
    expect((await send(t.token, models)).status).toBe(429);
    await tokens.setRateLimit(t.info.id, 100);
    expect((await send(t.token, models)).status).toBe(200);
  });

  it('audits 401 and 403 with the token name, hint, route and caller, never the token, and throttles repeats', async () => {
    clock += 120_000; // a fresh throttle window
    const before = (await deniedRows()).length;
    const t = await tokens.create({ name: 'audited', scopes: ['models'], rateLimitPerMin: null });
    const chat = FAMILY.chat[0]!;
    for (let i = 0; i < 5; i++) expect((await send(t.token, chat)).status).toBe(403);
    const bogus = 'evst_' + 'Z'.repeat(43);
    expect((await send(bogus, chat)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300)); // the audit writes are not awaited by the request
    const rows = (await deniedRows()).slice(before);
    const forbidden = rows.filter((r) => (r.data as { reason: string }).reason === 'scope');
    expect(forbidden).toHaveLength(1);
    expect(forbidden[0]!.data).toMatchObject({
      status: 403,
      tokenId: t.info.id,
      tokenName: 'audited',
      prefixHint: t.info.prefixHint,
      route: '/v1/chat/completions',
      method: 'POST',
      remote: '127.0.0.1',
      scope: 'chat',
      userAgent: 'api-tokens-test',
      suppressed: 0,
    });
    const unknown = rows.filter((r) => (r.data as { reason: string }).reason === 'unknown');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.data).toMatchObject({ status: 401, route: '/v1/chat/completions' });
    const text = JSON.stringify(rows);
    expect(text).not.toContain(t.token.slice(5));
    expect(text).not.toContain('Z'.repeat(20));
    // After the window, the next row carries the four refusals folded into the first one.
    clock += 60_000;
    expect((await send(t.token, chat)).status).toBe(403);
    await new Promise((r) => setTimeout(r, 300));
    const next = (await deniedRows()).slice(before + rows.length);
    expect(next.map((r) => r.data)).toEqual([expect.objectContaining({ reason: 'scope', suppressed: 4 })]);
  });

  it('stores only the hash: no stored or audited row holds the token, and the list never shows a secret', async () => {
    const t = await tokens.create({ name: 'stored', scopes: ['chat', 'models'] });
    expect(t.token).toMatch(/^evst_[A-Za-z0-9_-]{43}$/);
    const rows = await store.client.call('apiToken.list', {});
    const row = rows.find((r) => r.id === t.info.id)!;
    expect(row.hash).toBe(hashApiToken(t.token));
    expect(row.prefixHint).toBe(t.token.slice(0, 11));
    expect(row.rateLimitPerMin).toBe(600);
    const everything = JSON.stringify({ rows, audit: await store.client.call('audit.list', { limit: 10_000 }) });
    expect(everything).not.toContain(t.token.slice(5));
    const listed = await tokens.list();
    expect(listed.find((i) => i.id === t.info.id)).toEqual(expect.objectContaining({ name: 'stored', scopes: ['chat', 'models'] }));
    expect(JSON.stringify(listed)).not.toMatch(/hash|evst_[A-Za-z0-9_-]{43}/);
    await expect(tokens.create({ name: 'stored', scopes: ['chat'] })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(tokens.create({ name: ' ', scopes: ['chat'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(tokens.create({ name: 'x', scopes: [] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const audit = await store.client.call('audit.list', {
      kinds: ['api.token.created', 'api.token.revoked', 'api.token.rate_limit'],
      limit: 1000,
    });
    expect(audit.map((a) => a.kind)).toEqual(expect.arrayContaining(['api.token.created', 'api.token.revoked', 'api.token.rate_limit']));
  });

  it('works with the openai SDK: a models token lists models, a chat call with it is a PermissionDeniedError', async () => {
    const t = await tokens.create({ name: 'sdk', scopes: ['models', 'embeddings'], rateLimitPerMin: null });
    const client = new OpenAI({ apiKey: t.token, baseURL: `${origin}/v1`, maxRetries: 0 });
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual([]);
    await expect(client.chat.completions.create({ model: 'none', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(
      OpenAI.PermissionDeniedError,
    );
    await expect(client.embeddings.create({ model: 'none', input: 'x' })).rejects.toMatchObject({ status: 503 });
    const bad = new OpenAI({ apiKey: 'evst_wrong', baseURL: `${origin}/v1`, maxRetries: 0 });
    await expect(bad.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('refuses every request while the store is locked (the app lock seam): 503, then serves again after unlock', async () => {
    const t = await tokens.create({ name: 'lock-seam', scopes: ['models'], rateLimitPerMin: null });
    const models = { method: 'GET', path: '/v1/models' };
    gate.ready = false;
    for (const token of [defaultToken, t.token]) {
      const r = await send(token, models);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ error: { code: 'app_locked' } });
    }
    await expect(tokens.create({ name: 'while-locked', scopes: ['chat'] })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    gate.ready = true;
    expect((await send(t.token, models)).status).toBe(200);
    expect((await send(defaultToken, models)).status).toBe(200);
  });
});
