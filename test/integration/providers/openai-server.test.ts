// The local OpenAI-compatible server's HTTP layer and fault cases (auth, bad bodies, Host check, queue limits) over a deterministic echo provider; the real-engine suite is test/integration/local-server/.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAdapter } from '../../../main/services/providers/local-adapter';
import { ProviderBackend } from '../../../main/services/openai-server/provider-backend';
import { newServerToken, OpenAICompatibleServer } from '../../../main/services/openai-server/server';
import { EchoEngine } from '../../fixtures/providers/echo-engine';

describe('local OpenAI-compatible server', () => {
  const token = newServerToken();
  let server: OpenAICompatibleServer;
  let client: OpenAI;
  let url: string;
  beforeAll(async () => {
    server = new OpenAICompatibleServer({
      backend: new ProviderBackend(new LocalAdapter('local', new EchoEngine({ models: ['qwen2.5-coder-1.5b'] }))),
      token,
      concurrency: 2,
      maxQueue: 2,
    });
    url = (await server.start()).url;
    client = new OpenAI({ apiKey: token, baseURL: url, maxRetries: 0 });
  });
  afterAll(() => server.stop());

  it('listens on 127.0.0.1 only', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('lists models for the openai client', async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models).toEqual(['qwen2.5-coder-1.5b']);
  });

  it('streams chat completions to the openai client, with a usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'qwen2.5-coder-1.5b',
      messages: [{ role: 'user', content: 'hello there' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const c of stream) {
      chunks++;
      text += c.choices[0]?.delta.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe('Local answer to: hello there');
    expect(chunks).toBeGreaterThan(4);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('answers non-streamed chat, completions (both modes) and embeddings', async () => {
    const c = await client.chat.completions.create({
      model: 'qwen2.5-coder-1.5b',
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'hi' },
      ],
      max_tokens: 2,
    });
    expect(c.choices[0]?.message.content).toBe('Local answer');
    expect(c.choices[0]?.finish_reason).toBe('length');
    const t = await client.completions.create({ model: 'qwen2.5-coder-1.5b', prompt: 'def f():' });
    expect(t.choices[0]?.text).toBe('Local answer to: def f():');
    let streamed = '';
    for await (const chunk of await client.completions.create({ model: 'qwen2.5-coder-1.5b', prompt: 'x = ', stream: true }))
      streamed += chunk.choices[0]?.text ?? '';
    expect(streamed).toBe('Local answer to: x =');
    const e = await client.embeddings.create({ model: 'qwen2.5-coder-1.5b', input: ['ab', 'abcd'] });
    expect(e.data.map((d) => d.embedding[0])).toEqual([2, 4]);
  });

  it('rejects a wrong or missing bearer token with 401 and OpenAI error JSON', async () => {
    const bad = new OpenAI({ apiKey: 'wrong-token-wrong-token', baseURL: url, maxRetries: 0 });
    await expect(bad.models.list()).rejects.toMatchObject({ status: 401 });
    const raw = await fetch(`${url}/models`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
  });

  it('answers malformed JSON and schema violations with 400 OpenAI-style errors, unknown models with 404', async () => {
    const post = (body: string) =>
      fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
    const r1 = await post('{"model": "x", "messages": [');
    expect(r1.status).toBe(400);
    expect(await r1.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('parse the JSON') } });
    const r2 = await post(JSON.stringify({ model: 'qwen2.5-coder-1.5b', messages: [], temperature: 7 }));
    expect(r2.status).toBe(400);
    const b2 = (await r2.json()) as { error: { message: string; param: string | null } };
    expect(b2.error.message).toMatch(/messages/);
    expect(b2.error.message).toMatch(/temperature/);
    const r3 = await post(JSON.stringify({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] }));
    expect(r3.status).toBe(404);
    expect(await r3.json()).toMatchObject({ error: { code: 'model_not_found' } });
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(url);
      const req = request(
        { host: '127.0.0.1', port: u.port, path: '/v1/models', headers: { host: 'evil.example:80', authorization: `Bearer ${token}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('local server queue', () => {
  it('runs at most `concurrency` at once, queues the rest, and answers 429 past maxQueue', async () => {
    const token = newServerToken();
    const server = new OpenAICompatibleServer({
      backend: new ProviderBackend(new LocalAdapter('local', new EchoEngine({ pieceDelayMs: 40 }))),
      token,
      concurrency: 1,
      maxQueue: 1,
    });
    const { url } = await server.start();
    try {
      const client = new OpenAI({ apiKey: token, baseURL: url, maxRetries: 0 });
      const call = () => client.chat.completions.create({ model: 'qwen2.5-coder-1.5b', messages: [{ role: 'user', content: 'a b c' }] });
      const settled = await Promise.allSettled([call(), call(), call()]);
      const ok = settled.filter((s) => s.status === 'fulfilled');
      const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(ok).toHaveLength(2);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]?.reason).toMatchObject({ status: 429 });
      expect(server.stats()).toMatchObject({ active: 0, queued: 0, served: 2, rejected: 1 });
    } finally {
      await server.stop();
    }
  });
});
