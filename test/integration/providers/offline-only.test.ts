// Offline-only proof: records every outgoing socket during routed requests and asserts nothing but loopback is contacted.
import diagnostics_channel from 'node:diagnostics_channel';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePricingTable } from '../../../common/providers/pricing';
import type { Provider } from '../../../common/providers/provider';
import { AnthropicAdapter } from '../../../main/services/providers/anthropic-adapter';
import { EgressGuard, isLoopbackHost } from '../../../main/services/providers/egress-guard';
import { HuggingFaceAdapter } from '../../../main/services/providers/huggingface-adapter';
import { LocalAdapter } from '../../../main/services/providers/local-adapter';
import { OpenAIAdapter } from '../../../main/services/providers/openai-adapter';
import { Redactor } from '../../../main/services/redaction/redactor';
import { BudgetTracker } from '../../../main/services/router/budget';
import { Router } from '../../../main/services/router/router';
import { EchoEngine } from '../../fixtures/providers/echo-engine';
import { startOpenAIFixture } from '../../fixtures/providers/openai-fixture';
import type { FixtureServer } from '../../fixtures/providers/fixture-server';
import { caught, drain, secrets } from './helpers';

const pricing = parsePricingTable(JSON.parse(readFileSync(join(__dirname, '../../../resources/providers/pricing.json'), 'utf8')));

/** Records connect targets two ways: the socket's own connect call (before DNS) and the diagnostics channel. */
function recordSockets() {
  const targets: string[] = [];
  const orig = net.Socket.prototype.connect;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (net.Socket.prototype as any).connect = function (this: net.Socket, ...args: unknown[]) {
    const a = args[0];
    const opts = (Array.isArray(a) ? a[0] : a) as { host?: string; path?: string } | number | string;
    if (typeof opts === 'object' && opts && !opts.path) targets.push(String(opts.host ?? 'localhost'));
    else if (typeof opts === 'number') targets.push(typeof args[1] === 'string' ? args[1] : 'localhost');
    return (orig as (...x: unknown[]) => net.Socket).apply(this, args);
  };
  const onSocket = (msg: unknown) => {
    const s = (msg as { socket?: net.Socket }).socket;
    const host = s?.remoteAddress;
    if (host) targets.push(host);
  };
  diagnostics_channel.subscribe('net.client.socket', onSocket);
  return {
    targets,
    nonLoopback: () => targets.filter((h) => !isLoopbackHost(h)),
    stop: () => {
      net.Socket.prototype.connect = orig;
      diagnostics_channel.unsubscribe('net.client.socket', onSocket);
    },
  };
}

describe('offline-only mode', () => {
  let fx: FixtureServer;
  const policy = { offlineOnly: true };
  let router: Router;
  let providers: Map<string, Provider>;
  beforeAll(async () => {
    fx = (await startOpenAIFixture({ apiKey: 'sk-fixture-openai' })).server;
    const g = new EgressGuard(() => policy);
    const keys = secrets({ openai: 'sk-fixture-openai', anthropic: 'sk-ant-x', hf: 'hf_x', remote: 'k' });
    providers = new Map<string, Provider>([
      // Real vendor URLs: any leak would try to reach the internet.
      ['openai', new OpenAIAdapter({ id: 'openai', kind: 'openai', requiresKey: true, getSecret: keys, guard: g })],
      ['anthropic', new AnthropicAdapter({ id: 'anthropic', getSecret: keys, guard: g })],
      ['hf', new HuggingFaceAdapter({ id: 'hf', getSecret: keys, guard: g, defaultModel: 'bigcode/starcoder2-3b' })],
      // A self-hosted vLLM on the LAN is not this machine either.
      [
        'remote',
        new OpenAIAdapter({
          id: 'remote',
          kind: 'openai-compatible',
          baseUrl: 'http://198.51.100.20:8000/v1',
          requiresKey: false,
          getSecret: keys,
          guard: g,
        }),
      ],
      // The OpenAI fixture stands in for a cloud vendor that a test points at loopback: still refused (cloud kind).
      [
        'openai-fixture',
        new OpenAIAdapter({
          id: 'openai-fixture',
          kind: 'openai',
          baseUrl: `${fx.url}/v1`,
          requiresKey: true,
          getSecret: secrets({ 'openai-fixture': 'sk-fixture-openai' }),
          guard: g,
        }),
      ],
      ['local', new LocalAdapter('local', new EchoEngine())],
    ]);
    router = new Router({
      providers: (id) => providers.get(id),
      capabilityMap: () => ({
        generate: ['openai', 'anthropic', 'hf', 'remote', 'openai-fixture']
          .map((providerId) => ({ providerId, model: 'm' }))
          .concat([{ providerId: 'local', model: 'qwen2.5-coder-1.5b' }]),
      }),
      guard: g,
      redactor: new Redactor(),
      pricing,
      budget: new BudgetTracker({ perProjectDailyUsd: {} }),
      timeouts: { firstByteMs: 500, totalMs: 2000 },
      retry: { maxAttempts: 1, baseMs: 1, maxMs: 1, maxRetryAfterMs: 0 },
    });
  });
  afterAll(() => fx.close());

  it('routes to the local model and opens zero non-loopback connections', async () => {
    policy.offlineOnly = true;
    const rec = recordSockets();
    try {
      const r = await router.run({ capability: 'generate', messages: [{ role: 'user', content: 'explain this function' }] });
      expect(r.providerId).toBe('local');
      expect(r.decision.offlineOnly).toBe(true);
      const skipped = r.decision.candidates.filter((c) => c.reason === 'offline-only').map((c) => c.providerId);
      expect(skipped).toEqual(['openai', 'anthropic', 'hf', 'remote', 'openai-fixture']);
      expect(r.decision.summary).toMatch(/\[offline-only\]/);
      // Calling the cloud adapters directly (bypassing the router) is refused by the same guard.
      for (const id of ['openai', 'anthropic', 'hf', 'remote', 'openai-fixture']) {
        const e = await caught(drain((providers.get(id) as Provider).chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] })));
        expect(e.code, id).toBe('FORBIDDEN');
        expect(e.message, id).toMatch(/Offline-only mode is on/);
      }
      expect(await (providers.get('openai') as Provider).testConnection()).toMatchObject({
        ok: false,
        message: expect.stringContaining('FORBIDDEN'),
      });
    } finally {
      rec.stop();
    }
    expect(rec.nonLoopback()).toEqual([]);
    expect(fx.requests).toHaveLength(0);
  });

  it('the recorder does see outside connections when offline-only is off (the proof can fail)', async () => {
    policy.offlineOnly = false;
    const remote = providers.get('remote') as Provider;
    // The SDK loads on first use; the 300 ms below is for the connection, as the router's timers are (see runAttempt).
    await remote.prepare?.();
    const rec = recordSockets();
    try {
      // Whatever answers (nothing, or a sandbox's interceptor), the attempt itself must be visible to the recorder.
      const e = await caught(
        drain(remote.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { signal: AbortSignal.timeout(300) })),
      );
      expect(e.code).not.toBe('FORBIDDEN');
    } finally {
      rec.stop();
      policy.offlineOnly = true;
    }
    expect(rec.nonLoopback()).toContain('198.51.100.20');
  });

  it('refuses with FORBIDDEN and the decision when only cloud providers are configured', async () => {
    const onlyCloud = new Router({
      providers: (id) => providers.get(id),
      capabilityMap: () => ({ refactor: [{ providerId: 'openai', model: 'gpt-4o' }] }),
      guard: new EgressGuard(() => ({ offlineOnly: true })),
      redactor: new Redactor(),
      pricing,
      budget: new BudgetTracker({ perProjectDailyUsd: {} }),
    });
    const e = await caught(onlyCloud.run({ capability: 'refactor', prompt: 'x' }));
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toMatch(/No provider could answer \[offline-only\]: openai skipped \(offline-only\)/);
    expect((e.details as { decision: { candidates: { explanation: string }[] } }).decision.candidates[0]?.explanation).toMatch(
      /cloud provider/,
    );
  });
});
