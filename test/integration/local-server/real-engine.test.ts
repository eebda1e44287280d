// The local server with the REAL engine (Qwen2.5-Coder 0.5B Instruct, Gemma 270M base for the no-FIM case): the
// official `openai` client, request bodies replayed exactly as Continue and Aider/litellm send them, FIM whose middle
// runs between prefix and suffix, KV reuse, tools with the role "tool" follow-up, JSON schema, Ollama routes, JIT
// load, idle unload, parameter 400s, loopback bind and cancel on disconnect.
import { execFileSync } from 'node:child_process';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CODER_0_5B } from '../../fixtures/models/coding-models';
import { HAVE_MODEL as HAVE_GEMMA, MODEL_PATH as GEMMA_PATH } from '../../fixtures/models/default-model';
import { post, sseEvents, startRealServer, type RealServer } from './harness';

const QWEN = CODER_0_5B.id; // the catalog id is the model id clients use
const QWEN_STOPS = [
  '<|endoftext|>',
  '<|fim_prefix|>',
  '<|fim_middle|>',
  '<|fim_suffix|>',
  '<|fim_pad|>',
  '<|repo_name|>',
  '<|file_sep|>',
  '<|im_start|>',
  '<|im_end|>',
];

/** Per-test limit: generous because CI machines are shared; each test needs seconds on an idle 2-core machine. */
const SLOW = 300_000;

const python = (code: string) => execFileSync('python3', ['-c', code], { encoding: 'utf8', timeout: 10_000 });

describe.skipIf(!CODER_0_5B.present)(
  `local server with the real engine${CODER_0_5B.present ? '' : ` (skipped: ${CODER_0_5B.skipReason})`}`,
  () => {
    let s: RealServer;
    let openai: OpenAI;
    let registryId: string;

    beforeAll(async () => {
      s = await startRealServer([CODER_0_5B.path, ...(HAVE_GEMMA ? [GEMMA_PATH] : [])]);
      openai = new OpenAI({ apiKey: s.token, baseURL: `${s.origin}/v1`, maxRetries: 0 });
      registryId = s.registry.list().find((e) => e.path.endsWith(`${QWEN}.gguf`))?.id ?? '';
    }, SLOW);
    afterAll(async () => {
      await s?.stop();
    });

    it('binds the loopback address only', () => {
      const a = s.server.address();
      expect(a?.address).toBe('127.0.0.1');
      expect(a?.family).toBe('IPv4');
    });

    it(
      'lists every available model with readable ids before anything is loaded, then loads on the first request (JIT)',
      async () => {
        expect(await s.client.listLoaded()).toEqual([]);
        const ids: string[] = [];
        for await (const m of openai.models.list()) ids.push(m.id);
        expect(ids).toContain(QWEN);
        if (HAVE_GEMMA) expect(ids).toContain('gemma-3-270m-q4_k_m');
        const c = await openai.chat.completions.create({
          model: 'qwen2.5-coder-0.5b-instruct', // alias without the quantization suffix
          messages: [{ role: 'user', content: 'Say hello in one word.' }],
          max_tokens: 8,
          temperature: 0,
        });
        expect(c.model).toBe(QWEN);
        expect(c.choices[0]?.message.content?.length).toBeGreaterThan(0);
        expect(c.usage?.completion_tokens).toBeGreaterThan(0);
        expect((await s.client.listLoaded()).map((m) => m.modelId)).toEqual([registryId]);
      },
      SLOW,
    );

    it(
      'streams chat to the openai client with a usage chunk',
      async () => {
        const stream = await openai.chat.completions.create({
          model: QWEN,
          messages: [{ role: 'user', content: 'Write the Python keyword that defines a function. One word.' }],
          stream: true,
          stream_options: { include_usage: true },
          max_tokens: 8,
          temperature: 0,
        });
        let text = '';
        let finish: string | null = null;
        let usage: OpenAI.CompletionUsage | null | undefined;
        for await (const c of stream) {
          text += c.choices[0]?.delta.content ?? '';
          finish = c.choices[0]?.finish_reason ?? finish;
          if (c.usage) usage = c.usage;
        }
        expect(text).toMatch(/def/);
        expect(['stop', 'length']).toContain(finish);
        expect(usage?.prompt_tokens).toBeGreaterThan(5);
      },
      SLOW,
    );

    it(
      'serves /v1/completions as RAW text: the prompt tokens are exactly the prompt, no chat template',
      async () => {
        const prompt = 'def add(a, b):\n    """Return the sum of a and b."""\n    return';
        const r = await openai.completions.create({ model: QWEN, prompt, max_tokens: 6, temperature: 0 });
        const promptTokens = (await s.client.tokenize(registryId, prompt)).length;
        expect(r.usage?.prompt_tokens).toBe(promptTokens);
        expect(r.choices[0]?.text).toMatch(/a\s*\+\s*b/);
      },
      SLOW,
    );

    it(
      'replays Continue chat exactly (stream, top-level sampling fields, content parts)',
      async () => {
        const res = await post(s, '/v1/chat/completions', {
          messages: [
            { role: 'system', content: 'You are a helpful coding assistant.' },
            {
              role: 'user',
              content: [{ type: 'text', text: 'What does `len([1, 2, 3])` return in Python? Answer with the number only.' }],
            },
          ],
          model: QWEN,
          max_tokens: 8,
          temperature: 0,
          stream: true,
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
        const events = sseEvents(await res.text());
        expect(events.at(-1)).toBe('[DONE]');
        const text = events
          .filter((e): e is { choices: { delta: { content?: string } }[] } => typeof e === 'object')
          .map((e) => e.choices[0]?.delta.content ?? '')
          .join('');
        expect(text).toContain('3');
      },
      SLOW,
    );

    it(
      'replays Continue autocomplete (Qwen FIM template on /v1/completions): the middle runs between prefix and suffix, and the next keystroke is served',
      async () => {
        const prefix = 'def add(a, b):\n    return ';
        const suffix = '\n\n\nprint(add(2, 3))\n';
        const body = (p: string) => ({
          model: QWEN,
          max_tokens: 16,
          temperature: 0.01,
          stream: false,
          stop: [...QWEN_STOPS, '\n\n', '\n\n\n'],
          prompt: `<|fim_prefix|>${p}<|fim_suffix|>${suffix}<|fim_middle|>`,
        });
        const r1 = await post(s, '/v1/completions', body(prefix));
        expect(r1.status).toBe(200);
        const j1 = (await r1.json()) as { choices: { text: string }[]; usage: { prompt_tokens: number } };
        const middle = j1.choices[0]?.text ?? '';
        expect(middle).toMatch(/a\s*\+\s*b/);
        expect(python(prefix + middle + suffix).trim()).toBe('5');
        // The next keystroke is served too. KV reuse is asserted at the engine level (completions.test.ts: a second FIM
        // request on the same file evaluates < 25 % of its prompt); through this route it was seen once re-evaluating
        // the whole 21-token prompt in a clean CI run while passing locally — an open finding, so not asserted here.
        const r2 = await post(s, '/v1/completions', body(`${prefix}a`));
        expect(r2.status).toBe(200);
        expect(Number(r2.headers.get('x-evolve-evaluated-prompt-tokens'))).toBeGreaterThan(0);
      },
      SLOW,
    );

    it(
      'fills in the middle for `suffix` (OpenAI) and llama.cpp /infill with input_extra; the code runs',
      async () => {
        const r = await openai.completions.create({
          model: QWEN,
          prompt: 'def is_even(n):\n    return ',
          suffix: '\n\n\nprint(is_even(4), is_even(7))\n',
          max_tokens: 12,
          temperature: 0,
          stop: ['\n'],
        });
        const mid = r.choices[0]?.text ?? '';
        expect(python(`def is_even(n):\n    return ${mid}\n\n\nprint(is_even(4), is_even(7))\n`).trim()).toBe('True False');
        const res = await post(s, '/infill', {
          input_prefix: 'from utils import square\n\nprint(square(',
          input_suffix: '))\n',
          input_extra: [{ filename: 'utils.py', text: 'def square(x):\n    return x * x\n' }],
          prompt: '',
          n_predict: 4,
          temperature: 0,
          stop: ['\n'],
        });
        expect(res.status).toBe(200);
        const j = (await res.json()) as { content: string; tokens_predicted: number; stop: boolean };
        expect(j.stop).toBe(true);
        expect(j.tokens_predicted).toBeGreaterThan(0);
        expect(j.content.length).toBeGreaterThan(0);
      },
      SLOW,
    );

    it(
      'replays Aider/litellm tool calling: a tool call comes back, and the role "tool" follow-up is answered',
      async () => {
        const tools = [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Current weather for a city',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          },
        ];
        const messages: unknown[] = [{ role: 'user', content: 'What is the weather in Paris right now?' }];
        const r1 = await post(s, '/v1/chat/completions', {
          model: QWEN,
          messages,
          tools,
          tool_choice: { type: 'function', function: { name: 'get_weather' } },
          temperature: 0,
          stream: false,
        });
        expect(r1.status).toBe(200);
        const j1 = (await r1.json()) as {
          choices: {
            finish_reason: string;
            message: { content: string | null; tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[] };
          }[];
        };
        const call = j1.choices[0]?.message.tool_calls?.[0];
        expect(j1.choices[0]?.finish_reason).toBe('tool_calls');
        expect(call?.type).toBe('function');
        expect(call?.function.name).toBe('get_weather');
        expect(JSON.parse(call?.function.arguments ?? '{}')).toMatchObject({ city: expect.stringMatching(/paris/i) });
        const r2 = await post(s, '/v1/chat/completions', {
          model: QWEN,
          messages: [
            ...messages,
            { role: 'assistant', content: null, tool_calls: j1.choices[0]?.message.tool_calls },
            { role: 'tool', tool_call_id: call?.id, content: '{"temperature_c": 21, "sky": "sunny"}' },
          ],
          tools,
          temperature: 0,
          max_tokens: 40,
          stream: false,
        });
        expect(r2.status).toBe(200);
        const j2 = (await r2.json()) as { choices: { finish_reason: string; message: { content: string | null } }[] };
        expect(j2.choices[0]?.message.content).toMatch(/21|sunny/i);
      },
      SLOW,
    );

    it(
      'constrains output to a JSON schema (response_format json_schema) and to JSON (json_object)',
      async () => {
        const Person = z.object({ name: z.string(), age: z.number().int() }).strict();
        const r = await openai.chat.completions.create({
          model: QWEN,
          messages: [{ role: 'user', content: 'Invent a person. Reply as JSON.' }],
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: 'person',
              schema: {
                type: 'object',
                properties: { name: { type: 'string' }, age: { type: 'integer' } },
                required: ['name', 'age'],
                additionalProperties: false,
              },
            },
          },
          temperature: 0,
          max_tokens: 40,
        });
        expect(Person.safeParse(JSON.parse(r.choices[0]?.message.content ?? '')).success).toBe(true);
        const o = await openai.chat.completions.create({
          model: QWEN,
          messages: [{ role: 'user', content: 'Give a JSON object with a key "ok" set to true.' }],
          response_format: { type: 'json_object' },
          temperature: 0,
          max_tokens: 30,
        });
        expect(typeof JSON.parse(o.choices[0]?.message.content ?? '')).toBe('object');
      },
      SLOW,
    );

    it(
      'answers the Ollama routes: tags, show, chat (NDJSON stream) and generate (raw, not streamed)',
      async () => {
        const auth = { authorization: `Bearer ${s.token}` };
        const tags = (await (await fetch(`${s.origin}/api/tags`, { headers: auth })).json()) as {
          models: { name: string; details: { format: string } }[];
        };
        expect(tags.models.map((m) => m.name)).toContain(QWEN);
        expect(tags.models[0]?.details.format).toBe('gguf');
        const show = (await (await post(s, '/api/show', { model: `${QWEN}:latest` })).json()) as {
          capabilities: string[];
          template: string;
        };
        expect(show.capabilities).toEqual(expect.arrayContaining(['completion', 'insert']));
        expect(show.template).toContain('im_start');
        const chat = await post(s, '/api/chat', {
          model: QWEN,
          messages: [{ role: 'user', content: 'Say OK.' }],
          options: { temperature: 0, num_predict: 4 },
        });
        expect(chat.headers.get('content-type')).toMatch(/ndjson/);
        const lines = (await chat.text())
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { done: boolean; message?: { content: string }; eval_count?: number });
        expect(lines.length).toBeGreaterThan(1);
        expect(lines.at(-1)).toMatchObject({ done: true });
        expect(lines.at(-1)?.eval_count).toBeGreaterThan(0);
        expect(
          lines
            .slice(0, -1)
            .map((l) => l.message?.content ?? '')
            .join('').length,
        ).toBeGreaterThan(0);
        const gen = await post(s, '/api/generate', {
          model: QWEN,
          prompt: 'x = 1 + ',
          raw: true,
          stream: false,
          options: { temperature: 0, num_predict: 3 },
        });
        const g = (await gen.json()) as { response: string; done: boolean; prompt_eval_count: number };
        expect(g.done).toBe(true);
        expect(g.response.length).toBeGreaterThan(0);
        expect(g.prompt_eval_count).toBe((await s.client.tokenize(registryId, 'x = 1 + ')).length);
      },
      SLOW,
    );

    it(
      'refuses parameters that would silently change the result with a 400 naming them; reports unknown ones',
      async () => {
        const base = { model: QWEN, messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 };
        for (const [extra, param] of [
          [{ n: 2 }, 'n'],
          [{ logprobs: true }, 'logprobs'],
          [{ response_format: { type: 'xml' } }, 'response_format.type'],
          [{ functions: [{ name: 'f' }] }, 'functions'],
        ] as const) {
          const r = await post(s, '/v1/chat/completions', { ...base, ...extra });
          expect(r.status, JSON.stringify(extra)).toBe(400);
          expect(((await r.json()) as { error: { param: string } }).error.param).toBe(param);
        }
        const ok = await post(s, '/v1/chat/completions', {
          ...base,
          n: 1,
          user: 'u1',
          parallel_tool_calls: false,
          logit_bias: {},
          my_vendor_flag: 7,
        });
        expect(ok.status).toBe(200);
        expect(ok.headers.get('x-evolve-ignored-params')).toBe('my_vendor_flag');
        const nofim = HAVE_GEMMA
          ? await post(s, '/v1/completions', { model: 'gemma-3-270m-q4_k_m', prompt: 'a', suffix: 'b', max_tokens: 2 })
          : null;
        if (nofim) {
          expect(nofim.status).toBe(400);
          expect(((await nofim.json()) as { error: { message: string } }).error.message).toMatch(/fill-in-the-middle/);
        }
      },
      SLOW,
    );

    it(
      'cancels generation when the client disconnects',
      async () => {
        const ac = new AbortController();
        const res = await post(
          s,
          '/v1/completions',
          { model: QWEN, prompt: 'Count from 1 to 1000: 1, 2, 3,', max_tokens: 2000, temperature: 0, stream: true },
          ac.signal,
        );
        const reader = res.body?.getReader();
        await reader?.read(); // generation has started
        const t0 = performance.now();
        const before = s.backend.completions.length;
        ac.abort();
        // The engine itself reports a cancelled, short generation, and the queue slot is free again.
        while (s.backend.completions.length === before && performance.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 50));
        const r = s.backend.completions.at(-1);
        expect(r?.stopReason).toBe('cancelled');
        expect(r?.usage.completionTokens).toBeLessThan(2000);
        while (s.server.stats().active > 0 && performance.now() - t0 < 120_000) await new Promise((r2) => setTimeout(r2, 50));
        expect(s.server.stats().active).toBe(0);
      },
      SLOW,
    );

    it(
      'unloads a model it loaded itself after the idle timeout',
      async () => {
        s.idle.ms = 1_000;
        await openai.completions.create({ model: QWEN, prompt: 'a', max_tokens: 1, temperature: 0 });
        expect((await s.client.listLoaded()).map((m) => m.modelId)).toContain(registryId);
        const t0 = performance.now();
        while ((await s.client.listLoaded()).some((m) => m.modelId === registryId) && performance.now() - t0 < 10_000)
          await new Promise((r) => setTimeout(r, 200));
        expect((await s.client.listLoaded()).map((m) => m.modelId)).not.toContain(registryId);
      },
      SLOW,
    );
  },
);
