// Benchmarks for the provider layer: redaction throughput, router overhead, local-server streaming TTFT/throughput. Run: npx tsx bench/providers.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parsePricingTable } from '../common/providers/pricing';
import type { Provider } from '../common/providers/provider';
import { newServerToken, OpenAICompatibleServer } from '../main/services/openai-server/server';
import { ProviderBackend } from '../main/services/openai-server/provider-backend';
import { EgressGuard } from '../main/services/providers/egress-guard';
import { LocalAdapter } from '../main/services/providers/local-adapter';
import { OpenAIAdapter } from '../main/services/providers/openai-adapter';
import { Redactor } from '../main/services/redaction/redactor';
import { BudgetTracker } from '../main/services/router/budget';
import { Router } from '../main/services/router/router';
import { EchoEngine } from '../test/fixtures/providers/echo-engine';
import { startOpenAIFixture } from '../test/fixtures/providers/openai-fixture';

const root = join(__dirname, '..');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function benchRedaction(): Promise<void> {
  const corpus = JSON.parse(readFileSync(join(root, 'test/fixtures/providers/redaction-corpus.json'), 'utf8')) as {
    cases: { text: string }[];
    negatives: { text: string }[];
  };
  const sample = [...corpus.cases, ...corpus.negatives].map((c) => c.text).join('\n');
  // A realistic prompt: ~200 KiB of code context with the corpus sprinkled in.
  const code = readFileSync(join(root, 'main/services/router/router.ts'), 'utf8');
  let text = '';
  while (text.length < 200 * 1024) text += `${code}\n${sample}\n`;
  const r = new Redactor();
  r.redactText(text);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    r.redactText(text);
    times.push(performance.now() - t0);
  }
  const mb = text.length / 1024 / 1024;
  console.log(
    `redaction: ${(text.length / 1024).toFixed(0)} KiB prompt → p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (${(mb / (pct(times, 50) / 1000)).toFixed(1)} MiB/s)`,
  );
}

async function benchRouterOverhead(): Promise<void> {
  const { server } = await startOpenAIFixture({ apiKey: 'sk-fixture-openai' });
  try {
    const guard = new EgressGuard(() => ({ offlineOnly: false }));
    const openai = new OpenAIAdapter({
      id: 'openai',
      kind: 'openai',
      baseUrl: `${server.url}/v1`,
      requiresKey: true,
      getSecret: async () => 'sk-fixture-openai',
      guard,
    });
    const providers = new Map<string, Provider>([['openai', openai]]);
    const router = new Router({
      providers: (id) => providers.get(id),
      capabilityMap: () => ({ generate: [{ providerId: 'openai', model: 'gpt-4o-mini' }] }),
      guard,
      redactor: new Redactor(),
      pricing: parsePricingTable(JSON.parse(readFileSync(join(root, 'resources/providers/pricing.json'), 'utf8'))),
      budget: new BudgetTracker({ perProjectDailyUsd: {} }),
    });
    const msg = [{ role: 'user' as const, content: 'review this function please' }];
    const direct: number[] = [];
    const routed: number[] = [];
    for (let i = 0; i < 60; i++) {
      let t0 = performance.now();
      for await (const _ of openai.chat({ model: 'gpt-4o-mini', messages: msg })) void _;
      direct.push(performance.now() - t0);
      t0 = performance.now();
      await router.run({ capability: 'generate', messages: msg });
      routed.push(performance.now() - t0);
    }
    const d = pct(direct.slice(10), 50);
    const r = pct(routed.slice(10), 50);
    console.log(
      `router: direct adapter p50 ${d.toFixed(2)} ms, routed p50 ${r.toFixed(2)} ms → overhead ${(r - d).toFixed(2)} ms per call (OpenAI fixture, loopback)`,
    );
  } finally {
    await server.close();
  }
}

async function benchLocalServer(): Promise<void> {
  const token = newServerToken();
  const reply = Array.from({ length: 256 }, (_, i) => `tok${i}`).join(' ');
  const srv = new OpenAICompatibleServer({
    backend: new ProviderBackend(new LocalAdapter('local', new EchoEngine({ reply }))),
    token,
    concurrency: 4,
    maxQueue: 64,
  });
  const { url } = await srv.start();
  try {
    const client = new OpenAI({ apiKey: token, baseURL: url, maxRetries: 0 });
    const ttfts: number[] = [];
    const rates: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      let first = 0;
      let n = 0;
      for await (const c of await client.chat.completions.create({
        model: 'qwen2.5-coder-1.5b',
        messages: [{ role: 'user', content: 'go' }],
        stream: true,
      })) {
        if (c.choices[0]?.delta.content) {
          if (!first) first = performance.now() - t0;
          n++;
        }
      }
      ttfts.push(first);
      rates.push(n / ((performance.now() - t0) / 1000));
    }
    console.log(
      `local server: TTFT p50 ${pct(ttfts, 50).toFixed(2)} ms, p95 ${pct(ttfts, 95).toFixed(2)} ms; ${pct(rates, 50).toFixed(0)} chunks/s through SSE (echo engine: server overhead only)`,
    );
  } finally {
    await srv.stop();
  }
}

async function main(): Promise<void> {
  await benchRedaction();
  await benchRouterOverhead();
  await benchLocalServer();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
