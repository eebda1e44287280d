// Cloud adapters (official SDKs) against local fixtures that replay each vendor's exact wire format, incl. every fault mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicAdapter } from '../../../main/services/providers/anthropic-adapter';
import { HuggingFaceAdapter } from '../../../main/services/providers/huggingface-adapter';
import { OpenAIAdapter } from '../../../main/services/providers/openai-adapter';
import { startAnthropicFixture } from '../../fixtures/providers/anthropic-fixture';
import type { FixtureServer } from '../../fixtures/providers/fixture-server';
import { startOpenAIFixture } from '../../fixtures/providers/openai-fixture';
import { startTgiFixture } from '../../fixtures/providers/tgi-fixture';
import { caught, drain, guard, secrets } from './helpers';

const msgs = [
  { role: 'system' as const, content: 'be brief' },
  { role: 'user' as const, content: 'say hello' },
];

describe('OpenAI adapter (openai SDK) against the OpenAI fixture', () => {
  let fx: FixtureServer;
  let openai: OpenAIAdapter;
  beforeAll(async () => {
    const f = await startOpenAIFixture({ apiKey: 'sk-fixture-openai' });
    fx = f.server;
    openai = new OpenAIAdapter({
      id: 'openai',
      kind: 'openai',
      baseUrl: `${fx.url}/v1`,
      requiresKey: true,
      getSecret: secrets({ openai: 'sk-fixture-openai' }),
      guard: guard().guard,
    });
  });
  afterAll(() => fx.close());

  it('streams chat deltas and reports the vendor usage chunk', async () => {
    fx.clear();
    const r = await drain(openai.chat({ model: 'gpt-4o-mini', messages: msgs, temperature: 0 }));
    expect(r.text).toBe('Hello from the OpenAI fixture.');
    expect(r.events.filter((e) => e.type === 'delta').length).toBe(5);
    expect(r.done).toMatchObject({ finishReason: 'stop', model: 'gpt-4o-mini', usage: { completionTokens: 5, estimated: false } });
    const sent = fx.requests[0]?.body as Record<string, unknown>;
    expect(sent['stream']).toBe(true);
    expect(sent['stream_options']).toEqual({ include_usage: true });
    expect(fx.requests[0]?.headers['authorization']).toBe('Bearer sk-fixture-openai');
  });

  it('streams legacy completions, embeds and lists models', async () => {
    const r = await drain(openai.complete({ model: 'gpt-4o-mini', prompt: 'def add(a, b):' }));
    expect(r.text).toBe('Hello from the OpenAI fixture.');
    const e = await openai.embed({ model: 'text-embedding-3-small', input: ['a', 'bb'] });
    expect(e.vectors).toHaveLength(2);
    expect(e.promptTokens).toBe(8);
    expect((await openai.listModels()).map((m) => m.id)).toContain('gpt-4o');
    expect(await openai.testConnection()).toMatchObject({ ok: true, models: 3 });
  });

  it('maps vendor error bodies to typed errors with retry hints', async () => {
    fx.queueFault('rate-limit');
    const rl = await caught(drain(openai.chat({ model: 'gpt-4o-mini', messages: msgs })));
    expect(rl.code).toBe('RESOURCE_EXHAUSTED');
    expect(rl.message).toContain('Rate limit reached');
    expect(rl.details).toMatchObject({ status: 429, retryable: true, retryAfterMs: 1000 });

    fx.queueFault('server-error');
    expect(await caught(drain(openai.chat({ model: 'gpt-4o-mini', messages: msgs })))).toMatchObject({
      code: 'UNAVAILABLE',
      details: { status: 500, retryable: true },
    });

    fx.queueFault('bad-request');
    expect(await caught(drain(openai.chat({ model: 'gpt-4o-mini', messages: msgs })))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { retryable: false },
    });

    fx.queueFault('unauthorized');
    expect(await caught(drain(openai.chat({ model: 'gpt-4o-mini', messages: msgs })))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('fails typed on malformed JSON and on a cut stream', async () => {
    fx.queueFault('malformed');
    const bad = await caught(drain(openai.chat({ model: 'gpt-4o-mini', messages: msgs })));
    expect(['CORRUPT', 'UNAVAILABLE']).toContain(bad.code);
    fx.queueFault('cut');
    const cut = await caught(drain(openai.chat({ model: 'gpt-4o-mini', messages: msgs })));
    expect(cut.code).toBe('UNAVAILABLE');
  });

  it('is cancelled by the AbortSignal while the connection hangs', async () => {
    fx.queueFault('hang');
    const ac = new AbortController();
    const t = setTimeout(() => ac.abort(), 150);
    const r = await caught(drain(openai.chat({ model: 'gpt-4o-mini', messages: msgs }, { signal: ac.signal })));
    clearTimeout(t);
    expect(r.code).toBe('CANCELLED');
  });

  it('refuses to run without a stored key', async () => {
    const keyless = new OpenAIAdapter({
      id: 'openai2',
      kind: 'openai',
      baseUrl: `${fx.url}/v1`,
      requiresKey: true,
      getSecret: secrets({}),
      guard: guard().guard,
    });
    expect(await caught(drain(keyless.chat({ model: 'gpt-4o-mini', messages: msgs })))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await keyless.testConnection()).toMatchObject({ ok: false });
  });

  it('serves an OpenAI-compatible endpoint (Ollama-style, no key) by base URL', async () => {
    const f2 = await startOpenAIFixture({ apiKey: 'no-key', reply: 'ollama says hi' });
    try {
      const compat = new OpenAIAdapter({
        id: 'ollama',
        kind: 'openai-compatible',
        baseUrl: `${f2.server.url}/v1`,
        requiresKey: false,
        getSecret: secrets({}),
        guard: guard().guard,
      });
      expect(compat.leavesMachine).toBe(false);
      expect((await drain(compat.chat({ model: 'llama3.2', messages: msgs }))).text).toBe('ollama says hi');
    } finally {
      await f2.server.close();
    }
  });
});

describe('Anthropic adapter (@anthropic-ai/sdk) against the Anthropic fixture', () => {
  let fx: FixtureServer;
  let claude: AnthropicAdapter;
  beforeAll(async () => {
    const f = await startAnthropicFixture({ apiKey: 'sk-ant-fixture' });
    fx = f.server;
    claude = new AnthropicAdapter({
      id: 'anthropic',
      baseUrl: fx.url,
      getSecret: secrets({ anthropic: 'sk-ant-fixture' }),
      guard: guard().guard,
    });
  });
  afterAll(() => fx.close());

  it('streams message events, sends system separately and reports usage', async () => {
    fx.clear();
    const r = await drain(claude.chat({ model: 'claude-sonnet-5', messages: msgs, maxTokens: 64 }));
    expect(r.text).toBe('Hello from the Anthropic fixture.');
    expect(r.done).toMatchObject({ finishReason: 'stop', usage: { completionTokens: 5, estimated: false } });
    const sent = fx.requests[0]?.body as Record<string, unknown>;
    expect(sent['system']).toBe('be brief');
    expect(sent['messages']).toEqual([{ role: 'user', content: 'say hello' }]);
    expect(sent['max_tokens']).toBe(64);
  });

  it('lists models and tests the connection', async () => {
    expect((await claude.listModels()).map((m) => m.id)).toEqual(['claude-sonnet-5', 'claude-haiku-5']);
    expect(await claude.testConnection()).toMatchObject({ ok: true });
  });

  it('maps Anthropic error bodies, 429 retry-after, 529, in-stream error events and cut streams', async () => {
    fx.queueFault('rate-limit');
    expect(await caught(drain(claude.chat({ model: 'claude-sonnet-5', messages: msgs })))).toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      details: { retryAfterMs: 1000, vendorType: 'rate_limit_error' },
    });
    fx.queueFault('overloaded');
    expect(await caught(drain(claude.chat({ model: 'claude-sonnet-5', messages: msgs })))).toMatchObject({
      code: 'UNAVAILABLE',
      details: { status: 529 },
    });
    fx.queueFault('unauthorized');
    expect(await caught(drain(claude.chat({ model: 'claude-sonnet-5', messages: msgs })))).toMatchObject({ code: 'UNAUTHENTICATED' });
    fx.queueFault('stream-error');
    const se = await caught(drain(claude.chat({ model: 'claude-sonnet-5', messages: msgs })));
    expect(['UNAVAILABLE', 'RESOURCE_EXHAUSTED']).toContain(se.code);
    expect(se.message).toMatch(/Overloaded/);
    fx.queueFault('cut');
    expect((await caught(drain(claude.chat({ model: 'claude-sonnet-5', messages: msgs })))).code).toBe('UNAVAILABLE');
    fx.queueFault('malformed');
    expect(['CORRUPT', 'UNAVAILABLE']).toContain((await caught(drain(claude.chat({ model: 'claude-sonnet-5', messages: msgs })))).code);
  });
});

describe('Hugging Face adapter (@huggingface/inference) against the TGI fixture', () => {
  let fx: FixtureServer;
  let hf: HuggingFaceAdapter;
  beforeAll(async () => {
    const f = await startTgiFixture({ token: 'hf_fixturetoken' });
    fx = f.server;
    hf = new HuggingFaceAdapter({ id: 'hf', endpointUrl: fx.url, getSecret: secrets({ hf: 'hf_fixturetoken' }), guard: guard().guard });
  });
  afterAll(() => fx.close());

  it("chats through TGI's OpenAI-compatible route", async () => {
    fx.clear();
    const r = await drain(hf.chat({ model: 'tgi', messages: msgs }));
    expect(r.text).toBe('Hello from the TGI fixture.');
    expect(r.done?.usage.estimated).toBe(false);
    expect(fx.requests[0]?.path).toBe('/v1/chat/completions');
  });

  it('completes through native /generate_stream token events', async () => {
    fx.clear();
    const r = await drain(hf.complete({ model: 'tgi', prompt: 'def fib(n):', temperature: 0, maxTokens: 16 }));
    expect(r.text).toBe('Hello from the TGI fixture.');
    expect(r.done).toMatchObject({ finishReason: 'stop', usage: { completionTokens: 5 } });
    expect(fx.requests[0]?.path).toBe('/generate_stream');
    expect(fx.requests[0]?.body).toMatchObject({
      inputs: 'def fib(n):',
      parameters: { max_new_tokens: 16, do_sample: false, details: true },
    });
  });

  it('lists the served model from /info and maps TGI errors', async () => {
    expect(await hf.listModels()).toEqual([{ id: 'bigcode/starcoder2-3b', contextLength: 4096 }]);
    fx.queueFault('rate-limit');
    expect(await caught(drain(hf.complete({ model: 'tgi', prompt: 'x' })))).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    fx.queueFault('server-error');
    expect(await caught(drain(hf.chat({ model: 'tgi', messages: msgs })))).toMatchObject({ code: 'UNAVAILABLE' });
    fx.queueFault('cut');
    expect((await caught(drain(hf.complete({ model: 'tgi', prompt: 'x' })))).code).toBe('UNAVAILABLE');
    fx.queueFault('malformed');
    expect(['CORRUPT', 'UNAVAILABLE']).toContain((await caught(drain(hf.complete({ model: 'tgi', prompt: 'x' })))).code);
  });
});
