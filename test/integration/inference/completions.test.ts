// Integration: the real inference worker + Qwen2.5-Coder 0.5B: raw completion without a template, FIM with KV
// reuse, no-FIM model refused, tool call + tool-result follow-up, JSON-schema output, cancel mid-prompt/mid-generation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import {
  FimSupportSchema,
  GenerateEventSchema,
  GenerateResultSchema,
  LoadedModelSchema,
  TokenizeResultSchema,
  type GenerateEvent,
  type GenerateResult,
} from '../../../common/inference/engine';
import type { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { CODER_0_5B } from '../../fixtures/models/coding-models';
import { HAVE_MODEL as HAVE_GEMMA, MODEL_PATH as GEMMA_PATH } from '../../fixtures/models/default-model';
import { startInferenceWorker } from './worker-harness';

const greedy = (maxTokens: number) => ({ temperature: 0, maxTokens });
const Q = 'q';

/** A ~700-token Python file, most of it before the cursor (kept small for slow CI runners; the bench uses 1.5k). */
function pythonFile(): { before: string; after: string } {
  const fns = Array.from(
    { length: 16 },
    (_, i) =>
      `def helper_${i}(values):\n    """Return the sum of values times ${i}."""\n    total = 0\n    for v in values:\n        total += v * ${i}\n    return total\n`,
  );
  return {
    before: `${fns.slice(0, 14).join('\n')}\n\ndef is_even(n):\n    `,
    after: `\n\n\n${fns.slice(14).join('\n')}\n\nprint(is_even(4))\n`,
  };
}

describe.skipIf(!CODER_0_5B.present)(
  `raw completion, FIM, tools and JSON with the real coding model${CODER_0_5B.present ? '' : ` (skipped: ${CODER_0_5B.skipReason})`}`,
  () => {
    let sup: WorkerSupervisor;

    async function call(method: string, params: Record<string, unknown>, signal?: AbortSignal, onEvent?: (e: GenerateEvent) => void) {
      const events: GenerateEvent[] = [];
      const raw = await sup.request(
        method,
        { modelId: Q, ...params },
        {
          signal,
          onEvent: (d) => {
            const e = GenerateEventSchema.parse(d);
            events.push(e);
            onEvent?.(e);
          },
        },
      );
      const result: GenerateResult = GenerateResultSchema.parse(raw);
      return { result, text: events.map((e) => (e.type === 'token' ? e.text : '')).join('') };
    }

    beforeAll(async () => {
      // A fixed thread count skips the per-machine probe (engine.test.ts covers it); one thread, because on a shared
      // 2-core runner spinning llama.cpp threads are ~10x slower than one (measured: 0.26 vs 2.8 tokens/s).
      sup = startInferenceWorker({ EVOLVE_INFERENCE_THREADS: '1' });
      await sup.start();
      const loaded = LoadedModelSchema.parse(
        await sup.request('load', { path: CODER_0_5B.path, modelId: Q, contextSize: 4096, sequences: 1 }),
      );
      expect(loaded.fim).toBe(true);
      expect(loaded.promptFormat).toBe('template');
    }, 600_000);
    afterAll(async () => {
      await sup?.stop();
    });

    it('finds the FIM tokens by their text in the vocabulary', async () => {
      const fim = FimSupportSchema.parse(await sup.request('fim-support', { modelId: Q }));
      expect(fim.supported).toBe(true);
      expect(fim.tokens).toMatchObject({
        prefix: '<|fim_prefix|>',
        suffix: '<|fim_suffix|>',
        middle: '<|fim_middle|>',
        pad: '<|fim_pad|>',
        repoName: '<|repo_name|>',
        fileSep: '<|file_sep|>',
      });
    });

    it('raw completion evaluates exactly the prompt tokens (no chat template) and reuses them on the next call', async () => {
      const prompt = 'def fibonacci(n):\n    """Return the n-th Fibonacci number."""\n';
      const { tokens } = TokenizeResultSchema.parse(await sup.request('tokenize', { modelId: Q, text: prompt }));
      const first = await call('complete', { sequenceKey: 'raw', prompt, sampling: greedy(24) });
      // Qwen adds no BOS: a chat template would add <|im_start|>system… — dozens of tokens more.
      expect(first.result.usage.promptTokens).toBe(tokens.length);
      expect(first.result.usage.evaluatedPromptTokens).toBe(tokens.length);
      expect(first.result.text.length).toBeGreaterThan(0);
      expect(first.text).toBe(first.result.text);
      expect(first.result.text).not.toContain('<|im_start|>');

      const second = await call('complete', { sequenceKey: 'raw', prompt: prompt + first.result.text, sampling: greedy(8) });
      expect(second.result.usage.evaluatedPromptTokens).toBeLessThan(second.result.usage.promptTokens / 4);
    }, 600_000);

    it('fills in the middle, and a second request on the same file evaluates a small fraction of its prompt', async () => {
      const { before, after } = pythonFile();
      const a = await call('infill', { sequenceKey: 'file:a.py', prefix: before, suffix: after, sampling: greedy(24) });
      expect(a.result.usage.promptTokens).toBeGreaterThan(500);
      expect(a.result.usage.promptTokens).toBeLessThanOrEqual(1024 + 256 + 8); // capped window
      expect(a.result.text).toMatch(/return|%|n/);
      expect(a.result.text).not.toMatch(/<\|fim_|<\|endoftext\|>|<\|file_sep\|>/);
      expect(['eos', 'max-tokens']).toContain(a.result.stopReason);

      // The user typed "ret" at the cursor: only the end of the prefix, the suffix and <|fim_middle|> are new.
      const b = await call('infill', { sequenceKey: 'file:a.py', prefix: `${before}ret`, suffix: after, sampling: greedy(8) });
      expect(b.result.usage.evaluatedPromptTokens).toBeLessThan(b.result.usage.promptTokens * 0.25);
      expect(b.result.usage.evaluatedPromptTokens).toBeGreaterThan(0);
      // Another file gets its own sequence and does not evict this one (two completion sequences by default).
      await call('infill', { sequenceKey: 'file:b.py', prefix: 'x = ', suffix: '\n', sampling: greedy(4) });
      const c = await call('infill', { sequenceKey: 'file:a.py', prefix: `${before}retu`, suffix: after, sampling: greedy(4) });
      expect(c.result.usage.evaluatedPromptTokens).toBeLessThan(c.result.usage.promptTokens * 0.25);
    }, 600_000);

    it('keeps the end of the prefix and the start of the suffix when cutting to the window', async () => {
      const { before, after } = pythonFile();
      const r = await call('infill', {
        sequenceKey: 'file:window',
        prefix: before,
        suffix: after,
        window: { maxPrefixTokens: 200, maxSuffixTokens: 50 },
        sampling: greedy(1),
      });
      expect(r.result.usage.promptTokens).toBeLessThanOrEqual(200 + 50 + 3);
      expect(r.result.usage.promptTokens).toBeGreaterThan(72 + 50); // the window steps by 128 tokens, never below max-128
    }, 600_000);

    it('answers a tool call and then the tool result, rendered with the model template', async () => {
      const tools = [
        {
          name: 'get_weather',
          description: 'Get the current weather in a city',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string', description: 'City name' } },
            required: ['city'],
            additionalProperties: false,
          },
        },
      ];
      const messages = [{ role: 'user', content: 'What is the weather in Paris right now? Use the tool.' }];
      const first = await call('generate', { threadId: 't-tools', messages, tools, toolChoice: 'required', sampling: greedy(64) });
      expect(first.result.stopReason).toBe('tool-calls');
      const callMade = first.result.toolCalls?.[0];
      expect(callMade?.name).toBe('get_weather');
      expect(callMade?.id).toMatch(/^call_/);
      expect(
        z
          .object({ city: z.string().min(1) })
          .parse(JSON.parse(callMade?.arguments ?? 'null'))
          .city.toLowerCase(),
      ).toContain('paris');

      const follow = await call('generate', {
        threadId: 't-tools',
        messages: [
          ...messages,
          { role: 'assistant', content: '', toolCalls: first.result.toolCalls },
          { role: 'tool', toolCallId: callMade?.id, content: '{"temperature_c": 17, "sky": "cloudy"}' },
        ],
        tools,
        sampling: greedy(48),
      });
      expect(follow.result.stopReason).not.toBe('tool-calls');
      expect(follow.result.text).toMatch(/17/);
    }, 600_000);

    it('offers tools through the chat template with tool_choice auto; a call it makes comes back parsed', async () => {
      const messages = [
        { role: 'system', content: 'You are a calculator. Always use the add tool for additions.' },
        { role: 'user', content: 'Add 2 and 3 with the add tool.' },
      ];
      const tools = [
        {
          name: 'add',
          description: 'Add two numbers',
          parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
        },
      ];
      const plain = await call('generate', { threadId: 't-auto-0', messages, sampling: greedy(1) });
      const r = await call('generate', { threadId: 't-auto', messages, tools, sampling: greedy(64) });
      // The template's tool section (Qwen: <tools>…</tools> with the JSON signature) is in the prompt.
      expect(r.result.usage.promptTokens).toBeGreaterThan(plain.result.usage.promptTokens + 40);
      // The 0.5B model may answer in text instead (tool_choice "required" above forces a call); a call must parse.
      if (r.result.stopReason === 'tool-calls') {
        expect(r.result.toolCalls?.[0]?.name).toBe('add');
        expect(JSON.parse(r.result.toolCalls?.[0]?.arguments ?? 'null')).toEqual({ a: 2, b: 3 });
      } else expect(r.result.text.length).toBeGreaterThan(0);
    }, 600_000);

    it('rejects a tool result that answers no call', async () => {
      const err = await call('generate', {
        threadId: 't-bad',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'tool', toolCallId: 'call_nope', content: 'x' },
        ],
        sampling: greedy(4),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EvolveError);
      expect((err as EvolveError).code).toBe('INVALID_ARGUMENT');
    });

    it('returns JSON that validates against the requested schema', async () => {
      const schema = {
        type: 'object',
        properties: {
          name: { type: 'string' },
          language: { type: 'string', enum: ['python', 'typescript', 'rust'] },
          lines: { type: 'integer' },
        },
        required: ['name', 'language', 'lines'],
        additionalProperties: false,
      };
      const r = await call('generate', {
        threadId: 't-json',
        messages: [{ role: 'user', content: 'Describe a Python function is_prime in JSON: its name, language and line count.' }],
        responseFormat: { type: 'json_schema', schema },
        sampling: greedy(80),
      });
      const value = z
        .object({ name: z.string(), language: z.enum(['python', 'typescript', 'rust']), lines: z.number().int() })
        .strict()
        .parse(JSON.parse(r.result.text));
      expect(value.name.length).toBeGreaterThan(0);

      const obj = await call('generate', {
        threadId: 't-json',
        messages: [{ role: 'user', content: 'Give me a JSON object with a key "ok".' }],
        responseFormat: { type: 'json_object' },
        sampling: greedy(40),
      });
      expect(typeof JSON.parse(obj.result.text)).toBe('object');
    }, 600_000);

    it('refuses a response schema whose constraints a grammar cannot enforce, naming the parameter', async () => {
      const err = await call('generate', {
        threadId: 't-json2',
        messages: [{ role: 'user', content: 'x' }],
        responseFormat: { type: 'json_schema', schema: { type: 'string', pattern: '^a+$' } },
      }).catch((e: unknown) => e);
      expect((err as EvolveError).code).toBe('INVALID_ARGUMENT');
      expect((err as EvolveError).message).toContain('response_format.json_schema');
      expect((err as EvolveError).message).toContain('pattern');
    });

    it('cancels mid-generation (partial text kept) and mid-prompt', async () => {
      const ac = new AbortController();
      let tokens = 0;
      const r = await call(
        'complete',
        {
          sequenceKey: 'cancel',
          prompt: 'Count from one to one thousand in words: one, two,',
          sampling: { temperature: 0, maxTokens: 2000 },
        },
        ac.signal,
        () => {
          if (++tokens === 5) ac.abort();
        },
      );
      expect(r.result.stopReason).toBe('cancelled');
      expect(r.result.usage.completionTokens).toBeLessThan(100);

      // A long prompt, cancelled 30 ms in while it is being evaluated (in chunks, so cancel does not wait for it all).
      const ac2 = new AbortController();
      const { before, after } = pythonFile();
      setTimeout(() => ac2.abort(), 30);
      const t0 = performance.now();
      const r2 = await call('complete', { sequenceKey: 'cancel-2', prompt: before + after, sampling: greedy(50) }, ac2.signal).catch(
        (e: unknown) => e,
      );
      expect(performance.now() - t0).toBeLessThan(60_000);
      const r2result = r2 instanceof EvolveError ? undefined : (r2 as { result: GenerateResult }).result;
      if (r2result) expect(r2result.usage.completionTokens).toBe(0);
      if (r2 instanceof EvolveError) expect(r2.code).toBe('CANCELLED');
      else expect((r2 as { result: GenerateResult }).result.stopReason).toBe('cancelled');
      // The sequence is usable afterwards.
      const r3 = await call('complete', { sequenceKey: 'cancel-2', prompt: 'x = 1\ny = ', sampling: greedy(3) });
      expect(r3.result.usage.completionTokens).toBeGreaterThan(0);
    }, 600_000);

    describe.skipIf(!HAVE_GEMMA)('a model without FIM tokens', () => {
      it('is refused with INVALID_ARGUMENT (reason no-fim)', async () => {
        const loaded = LoadedModelSchema.parse(await sup.request('load', { path: GEMMA_PATH, modelId: 'gemma', contextSize: 1024 }));
        expect(loaded.fim).toBe(false);
        const err = await sup
          .request('infill', { modelId: 'gemma', sequenceKey: 'k', prefix: 'a', suffix: 'b', sampling: greedy(4) })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EvolveError);
        expect((err as EvolveError).code).toBe('INVALID_ARGUMENT');
        expect((err as EvolveError).details).toEqual({ reason: 'no-fim' });
        expect(FimSupportSchema.parse(await sup.request('fim-support', { modelId: 'gemma' })).supported).toBe(false);
        await sup.request('unload', { modelId: 'gemma' });
      }, 600_000);
    });
  },
);
