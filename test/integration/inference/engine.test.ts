// Integration: the real inference worker + real Gemma 3 270M GGUF: load, stream, KV reuse, cancel, JSON, tokens, overflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import {
  EngineInfoSchema,
  GenerateEventSchema,
  GenerateResultSchema,
  LoadedModelSchema,
  type ChatMessage,
  type GenerateEvent,
  type GenerateResult,
} from '../../../common/inference/engine';
import { FitEstimateSchema, ModelMetadataSchema } from '../../../common/inference/models';
import type { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { HAVE_MODEL, MODEL_PATH, SKIP_REASON } from '../../fixtures/models/default-model';
import { startInferenceWorker } from './worker-harness';

const greedy = (maxTokens: number) => ({ temperature: 0, maxTokens });

describe.skipIf(!HAVE_MODEL)(`inference worker with the real model${HAVE_MODEL ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let sup: WorkerSupervisor;

  async function generate(params: Record<string, unknown>, signal?: AbortSignal, onEvent?: (e: GenerateEvent) => void) {
    const events: GenerateEvent[] = [];
    const raw = await sup.request(
      'generate',
      { modelId: 'g', ...params },
      {
        signal,
        onEvent: (d) => {
          const e = GenerateEventSchema.parse(d);
          events.push(e);
          onEvent?.(e);
        },
      },
    );
    return { result: GenerateResultSchema.parse(raw), events };
  }

  beforeAll(async () => {
    sup = startInferenceWorker();
    await sup.start();
    await sup.request('load', { path: MODEL_PATH, modelId: 'g', contextSize: 2048 });
  });
  afterAll(async () => {
    await sup?.stop();
  });

  it('reports backend, devices, memory and the measured thread count', async () => {
    const info = EngineInfoSchema.parse(await sup.request('info', {}));
    expect(['cpu', 'cuda', 'vulkan', 'metal']).toContain(info.backend);
    if (info.backend === 'cpu') expect(info.gpuDevices).toEqual([]);
    expect(info.ram.total).toBeGreaterThan(0);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.threadProbe?.results.length).toBeGreaterThanOrEqual(1);
    expect(info.threadProbe?.results.map((r) => r.threads)).toContain(info.threads);
    expect(info.nodeLlamaCppVersion).toBe('3.21.1');
  });

  it('loads the default model as a base model (no chat template) and prompts it with a plain transcript', async () => {
    const { models } = z.object({ models: z.array(LoadedModelSchema) }).parse(await sup.request('list-loaded', {}));
    const g = models.find((m) => m.modelId === 'g');
    expect(g?.promptFormat).toBe('base-transcript');
    expect(g?.contextSize).toBe(2048);
    expect(g?.totalLayers).toBe(19);
    // Loading the same path under the same id again is a keep-warm no-op, not a second copy.
    const again = LoadedModelSchema.parse(await sup.request('load', { path: MODEL_PATH, modelId: 'g' }));
    expect(again.loadMs).toBe(g?.loadMs);
  });

  it('streams tokens whose concatenation is the final text, with usage and a stop reason', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'Write a Python function that returns the nth Fibonacci number.' }];
    const { result, events } = await generate({ threadId: 'stream', messages, sampling: greedy(24) });
    const tokens = events.filter((e) => e.type === 'token').map((e) => (e.type === 'token' ? e.text : ''));
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.join('')).toBe(result.text);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeLessThanOrEqual(24);
    expect(result.usage.promptTokens).toBeGreaterThan(10);
    expect(result.usage.evaluatedPromptTokens).toBe(result.usage.promptTokens);
    expect(result.usage.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(result.usage.promptTokensPerSecond).toBeGreaterThan(0);
    expect(['eos', 'stop-sequence', 'max-tokens']).toContain(result.stopReason);
  });

  it('reuses the thread KV cache on the next turn: only the new tokens are evaluated', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are a terse assistant.' },
      { role: 'user', content: 'Name a prime number.' },
    ];
    const t1 = await generate({ threadId: 'kv', messages, sampling: greedy(12) });
    const turn2 = [
      ...messages,
      { role: 'assistant' as const, content: t1.result.text },
      { role: 'user' as const, content: 'Name another one.' },
    ];
    const t2 = await generate({ threadId: 'kv', messages: turn2, sampling: greedy(12) });
    expect(t2.result.usage.promptTokens).toBeGreaterThan(t1.result.usage.promptTokens);
    expect(t2.result.usage.evaluatedPromptTokens).toBeLessThan(t2.result.usage.promptTokens / 2);
    // The same conversation on a fresh thread has nothing cached.
    const fresh = await generate({ threadId: 'kv-fresh', messages: turn2, sampling: greedy(4) });
    expect(fresh.result.usage.evaluatedPromptTokens).toBe(fresh.result.usage.promptTokens);
  });

  it('stops promptly on cancel, returns the partial text, and the model stays usable', async () => {
    const ac = new AbortController();
    let seen = 0;
    const { result } = await generate(
      {
        threadId: 'cancel',
        // Echoed by the base model: ~300 tokens if nothing stopped it.
        messages: [{ role: 'user', content: 'def add(a, b):\n    return a + b\n\n'.repeat(25) }],
        sampling: { temperature: 0, maxTokens: 400 },
      },
      ac.signal,
      (e) => {
        if (e.type === 'token' && ++seen === 3) ac.abort();
      },
    );
    expect(result.stopReason).toBe('cancelled');
    // Prompt: the cancel crosses two processes, so allow a few tokens of flight time, far below the ~300 uncancelled.
    expect(result.usage.completionTokens).toBeLessThan(60);
    expect(result.text.length).toBeGreaterThan(0);
    const after = await generate({ threadId: 'cancel', messages: [{ role: 'user', content: 'Say hi.' }], sampling: greedy(4) });
    expect(after.result.usage.completionTokens).toBeGreaterThan(0);
  });

  it('refuses a second concurrent generation on the same thread', async () => {
    const ac = new AbortController();
    let started!: () => void;
    const firstToken = new Promise<void>((r) => (started = r));
    const first = generate(
      {
        threadId: 'busy',
        // Echoed by the base model: ~100 tokens of generation, long enough to overlap the second request.
        messages: [{ role: 'user', content: 'def add(a, b):\n    return a + b\n\n'.repeat(12) }],
        sampling: { temperature: 0, maxTokens: 150 },
      },
      ac.signal,
      () => started(),
    );
    await Promise.race([firstToken, first]);
    await expect(generate({ threadId: 'busy', messages: [{ role: 'user', content: 'x' }], sampling: greedy(2) })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    ac.abort();
    await first;
  });

  it('counts tokens for text and for messages (same count the generation reports)', async () => {
    const text = 'def fib(n): return n if n < 2 else fib(n-1) + fib(n-2)';
    const tok = z.object({ tokens: z.array(z.number()) }).parse(await sup.request('tokenize', { modelId: 'g', text }));
    const count = z.object({ count: z.number(), contextSize: z.number() }).parse(await sup.request('count-tokens', { modelId: 'g', text }));
    expect(count.count).toBe(tok.tokens.length);
    expect(count.contextSize).toBe(2048);
    const messages: ChatMessage[] = [{ role: 'user', content: 'Hello there' }];
    const m = z.object({ count: z.number() }).parse(await sup.request('count-tokens', { modelId: 'g', messages }));
    const { result } = await generate({ threadId: 'count', messages, sampling: greedy(2) });
    expect(m.count).toBe(result.usage.promptTokens);
  });

  it('constrains output to a JSON schema', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, legs: { type: 'number' } } } as const;
    const out = z.object({ value: z.unknown(), text: z.string() }).parse(
      await sup.request('generate-json', {
        modelId: 'g',
        prompt: 'Describe a cat as JSON with its name and number of legs.',
        schema,
        sampling: greedy(48),
      }),
    );
    expect(z.object({ name: z.string(), legs: z.number() }).strict().parse(out.value)).toBeTruthy();
    expect(JSON.parse(out.text)).toEqual(out.value);
  });

  it('rejects prompt + max tokens that do not fit with RESOURCE_EXHAUSTED and the counts', async () => {
    const err = await generate({ threadId: 'overflow', messages: [{ role: 'user', content: 'hi' }], sampling: greedy(2047) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EvolveError);
    expect(err).toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { maxTokens: 2047, contextSize: 2048 } });
    expect((err as EvolveError).message).toMatch(/Lower max tokens/);
  });

  it('truncates visibly when the caller opts in, listing what was dropped', async () => {
    await sup.request('load', { path: MODEL_PATH, modelId: 'small', contextSize: 512, sequences: 1 });
    const long = 'This is filler text about nothing in particular. '.repeat(25);
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: long },
      { role: 'assistant', content: long },
      { role: 'user', content: long },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'What is 2+2?' },
    ];
    await expect(generate({ modelId: 'small', threadId: 'trunc', messages, sampling: greedy(8) })).rejects.toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
    });
    const { result, events } = await generate({
      modelId: 'small',
      threadId: 'trunc',
      messages,
      sampling: greedy(8),
      overflow: 'truncate-oldest',
    });
    expect(events[0]).toMatchObject({ type: 'truncated' });
    expect(result.truncation?.droppedMessages).toEqual([1, 2]);
    expect(result.truncation?.droppedTokens).toBeGreaterThan(400);
    expect(result.usage.promptTokens + 8).toBeLessThanOrEqual(512);
    await sup.request('unload', { modelId: 'small' });
  });

  it('a full context: a new thread evicts an idle one while another generates, and gets its sequence back', async () => {
    // Two chat sequences, one JSON sequence, no completion sequences. Once all three are taken, a new thread evicts the
    // idle one; node-llama-cpp hands the evicted id back under the context lock, which the generating thread's decode
    // holds — the new thread must wait for it ("No sequences left" before).
    await sup.request('load', { path: MODEL_PATH, modelId: 'full', contextSize: 1024, sequences: 2, completionSequences: 0 });
    await sup.request('generate-json', { modelId: 'full', prompt: 'A number as JSON.', schema: { type: 'number' }, sampling: greedy(4) });
    const say = (threadId: string, maxTokens: number, onEvent?: (e: GenerateEvent) => void) =>
      generate(
        { modelId: 'full', threadId, messages: [{ role: 'user', content: 'Count from one to fifty.' }], sampling: greedy(maxTokens) },
        undefined,
        onEvent,
      );
    await say('a', 2);
    let firstToken!: () => void;
    const streaming = new Promise<void>((r) => (firstToken = r));
    const long = say('x', 96, (e) => e.type === 'token' && firstToken());
    await streaming;
    const b = await say('b', 2);
    expect(b.result.usage.completionTokens).toBeGreaterThan(0);
    expect((await long).result.usage.completionTokens).toBeGreaterThan(2);
    await sup.request('unload', { modelId: 'full' });
  });

  it('answers malformed requests with INVALID_ARGUMENT and unknown models with NOT_FOUND', async () => {
    await expect(sup.request('generate', { modelId: 'g', threadId: 'x', messages: [] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      sup.request('generate', { modelId: 'g', threadId: 'x', messages: [{ role: 'assistant', content: 'hi' }] }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(sup.request('load', { path: 42 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      sup.request('generate', { modelId: 'nope', threadId: 'x', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('inspects a GGUF: metadata plus an automatic fit, and explains an override that cannot fit', async () => {
    const Out = z.object({ metadata: ModelMetadataSchema, fit: FitEstimateSchema });
    const auto = Out.parse(await sup.request('inspect', { path: MODEL_PATH }));
    expect(auto.metadata).toMatchObject({
      architecture: 'gemma3',
      quantization: 'Q4_K_M',
      contextLength: 32768,
      hasChatTemplate: false,
      sizeLabel: '270M',
    });
    expect(auto.fit.fits).toBe(true);
    expect(auto.fit.contextSize).toBe(8192); // auto is capped at 8k
    expect(auto.fit.totalLayers).toBe(19);
    const manual = Out.parse(await sup.request('inspect', { path: MODEL_PATH, contextSize: 4096, gpuLayers: 0 }));
    expect(manual.fit).toMatchObject({ fits: true, contextSize: 4096, gpuLayers: 0 });
    const huge = Out.parse(await sup.request('inspect', { path: MODEL_PATH, contextSize: 20_000_000 }));
    expect(huge.fit.fits).toBe(false);
    expect(huge.fit.suggestion).toMatch(/context size of \d+ or less/);
  });

  it('unloads; two concurrent loads of one id share a load; unloading while generating is CONFLICT', async () => {
    const [a, b] = await Promise.all([
      sup.request('load', { path: MODEL_PATH, modelId: 'tmp', contextSize: 1024, sequences: 1 }),
      sup.request('load', { path: MODEL_PATH, modelId: 'tmp', contextSize: 1024, sequences: 1 }),
    ]);
    expect(LoadedModelSchema.parse(a).loadMs).toBe(LoadedModelSchema.parse(b).loadMs);
    const ac = new AbortController();
    let started!: () => void;
    const firstToken = new Promise<void>((r) => (started = r));
    const running = generate(
      {
        modelId: 'tmp',
        threadId: 'u',
        // The base model echoes the user's text, so a long message keeps it generating for ~100 tokens.
        messages: [{ role: 'user', content: 'def add(a, b):\n    return a + b\n\n'.repeat(12) }],
        sampling: { temperature: 0, maxTokens: 100 },
      },
      ac.signal,
      () => started(),
    );
    await Promise.race([firstToken, running]); // `running` rejecting early fails the test instead of hanging it
    await expect(sup.request('unload', { modelId: 'tmp' })).rejects.toMatchObject({ code: 'CONFLICT' });
    ac.abort();
    await running;
    expect(await sup.request('unload', { modelId: 'tmp' })).toEqual({ unloaded: true });
    expect(await sup.request('unload', { modelId: 'tmp' })).toEqual({ unloaded: false });
  });
});

// Keeps the typed result in use so a schema drift shows up as a type error here too.
export type _R = GenerateResult;
