// Ollama-compatible routes for tools that only speak Ollama: GET /api/tags, /api/version, /api/ps, POST /api/show,
// /api/chat and /api/generate (NDJSON stream by default, one JSON object with stream:false).
import { createHash } from 'node:crypto';
import type { EngineMessage, ResponseFormat } from '../../../common/inference/engine';
import type { ServedModel } from './backend';
import { runFitted, type Outcome, type StartGeneration } from './generation';
import { sendJson } from './http';
import { toSampling, type SamplingInput } from './params';
import { sequenceKeyFor, startNdjson, threadKeyFor, writeLine, type RouteContext } from './route-context';
import { toTools } from './routes-chat';
import type { OllamaChatBody, OllamaGenerateBody } from './schemas';

/** The Ollama API version we answer like (clients gate features on it). */
export const OLLAMA_COMPAT_VERSION = '0.9.0';

const digest = (m: ServedModel) => createHash('sha256').update(`${m.id}:${m.sizeBytes}`).digest('hex');

function details(m: ServedModel) {
  return {
    parent_model: '',
    format: 'gguf',
    family: m.architecture ?? '',
    families: m.architecture ? [m.architecture] : null,
    parameter_size: m.parameters ?? '',
    quantization_level: m.quantization ?? '',
  };
}

export async function tags(ctx: RouteContext): Promise<void> {
  const models = (await ctx.backend.listModels()).filter((m) => m.kind === 'llm');
  sendJson(ctx.res, 200, {
    models: models.map((m) => ({
      name: m.id,
      model: m.id,
      modified_at: new Date(m.addedAt).toISOString(),
      size: m.sizeBytes,
      digest: digest(m),
      details: details(m),
    })),
  });
}

export async function ps(ctx: RouteContext): Promise<void> {
  const models = (await ctx.backend.listModels()).filter((m) => m.kind === 'llm' && m.loaded);
  sendJson(ctx.res, 200, {
    models: models.map((m) => ({
      name: m.id,
      model: m.id,
      size: m.sizeBytes,
      digest: digest(m),
      details: details(m),
      expires_at: null,
      size_vram: 0,
    })),
  });
}

export async function show(ctx: RouteContext, model: string): Promise<void> {
  const m = await ctx.backend.resolve(model);
  const arch = m.architecture ?? 'unknown';
  const capabilities = ['completion', ...(m.hasChatTemplate ? ['tools'] : []), ...(m.fim !== false ? ['insert'] : [])];
  sendJson(ctx.res, 200, {
    license: '',
    modelfile: `# Served by Evolve Studio\nFROM ${m.id}\n`,
    parameters: '',
    template: m.chatTemplate ?? '',
    details: details(m),
    model_info: {
      'general.architecture': arch,
      ...(m.contextLength ? { [`${arch}.context_length`]: m.contextLength } : {}),
    },
    capabilities,
    modified_at: new Date(m.addedAt).toISOString(),
  });
}

type Options = NonNullable<OllamaChatBody['options']>;

function samplingFrom(o: Options | undefined): SamplingInput & { requested: number | undefined } {
  const requested = o?.num_predict !== undefined && o.num_predict > 0 ? o.num_predict : undefined;
  return {
    requested,
    temperature: o?.temperature,
    top_p: o?.top_p,
    top_k: o?.top_k,
    min_p: o?.min_p,
    seed: o?.seed,
    stop: o?.stop,
    repeat_penalty: o?.repeat_penalty,
    presence_penalty: o?.presence_penalty,
    frequency_penalty: o?.frequency_penalty,
  };
}

function formatOf(f: OllamaChatBody['format']): ResponseFormat | undefined {
  if (f == null || f === '') return undefined;
  return f === 'json' ? { type: 'json_object' } : { type: 'json_schema', schema: f };
}

/** Ollama tool messages carry no call id: each answers the earliest unanswered call of the assistant before it. */
export function ollamaMessages(messages: OllamaChatBody['messages']): EngineMessage[] {
  const out: EngineMessage[] = [];
  let pending: string[] = [];
  let n = 0;
  for (const m of messages) {
    if (m.role === 'assistant') {
      const calls = (m.tool_calls ?? []).map((c) => ({
        id: `call_${n++}`,
        name: c.function.name,
        arguments: typeof c.function.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function.arguments),
      }));
      pending = calls.map((c) => c.id);
      out.push({ role: 'assistant', content: m.content, ...(calls.length ? { toolCalls: calls } : {}) });
    } else if (m.role === 'tool') {
      out.push({ role: 'tool', toolCallId: pending.shift() ?? `call_${n++}`, content: m.content });
    } else out.push({ role: m.role, content: m.content });
  }
  return out;
}

const ns = (ms: number) => Math.round(ms * 1e6);

function doneFields(out: Outcome) {
  const u = out.usage;
  const promptMs = u.promptTokensPerSecond > 0 ? (u.evaluatedPromptTokens / u.promptTokensPerSecond) * 1000 : u.timeToFirstTokenMs;
  return {
    done: true,
    done_reason: out.finish === 'length' ? 'length' : 'stop',
    total_duration: ns(u.totalMs),
    load_duration: 0,
    prompt_eval_count: u.promptTokens,
    prompt_eval_duration: ns(promptMs),
    eval_count: u.completionTokens,
    eval_duration: ns(Math.max(0, u.totalMs - promptMs)),
  };
}

async function respond(
  ctx: RouteContext,
  model: ServedModel,
  stream: boolean,
  field: 'message' | 'response',
  start: (maxTokens: number) => StartGeneration,
  s: ReturnType<typeof samplingFrom>,
  fallback: number,
): Promise<void> {
  const stamp = () => new Date().toISOString();
  const piece = (text: string) => (field === 'message' ? { message: { role: 'assistant', content: text } } : { response: text });
  // Headers go out with the first token, so an error before it is a real 4xx.
  const out = await runFitted(start, s.requested, fallback, {
    stops: s.stop ?? [],
    signal: ctx.signal,
    ...(stream
      ? {
          onText: (t: string) => {
            startNdjson(ctx);
            writeLine(ctx, { model: model.id, created_at: stamp(), ...piece(t), done: false });
          },
        }
      : {}),
  });
  if (out.cancelled) return;
  if (stream) startNdjson(ctx);
  const calls = out.toolCalls.map((c) => {
    let args: unknown = {};
    try {
      args = JSON.parse(c.arguments);
    } catch {
      args = c.arguments;
    }
    return { function: { name: c.name, arguments: args } };
  });
  const last =
    field === 'message'
      ? { message: { role: 'assistant', content: stream ? '' : out.text, ...(calls.length ? { tool_calls: calls } : {}) } }
      : { response: stream ? '' : out.text };
  const final = { model: model.id, created_at: stamp(), ...last, ...doneFields(out) };
  if (stream) {
    writeLine(ctx, final);
    ctx.res.end();
  } else sendJson(ctx.res, 200, final, ctx.headers);
}

export async function ollamaChat(ctx: RouteContext, b: OllamaChatBody): Promise<void> {
  const model = await ctx.backend.resolve(b.model);
  // Ollama: an empty messages list just loads the model.
  if (b.messages.length === 0) {
    sendJson(ctx.res, 200, {
      model: model.id,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'load',
    });
    return;
  }
  const s = samplingFrom(b.options);
  const messages = ollamaMessages(b.messages);
  const { tools } = toTools({ tools: b.tools ?? null, tool_choice: null });
  const responseFormat = formatOf(b.format);
  const threadKey = threadKeyFor(ctx, model.id, undefined);
  await respond(
    ctx,
    model,
    b.stream,
    'message',
    (maxTokens) => (onToken, signal) =>
      ctx.backend.chat(
        {
          model: model.id,
          threadKey,
          messages,
          sampling: toSampling({ ...s, max_tokens: maxTokens }, { temperature: 0.8, maxTokens }),
          ...(tools ? { tools } : {}),
          ...(responseFormat ? { responseFormat } : {}),
        },
        onToken,
        signal,
      ),
    s,
    2048,
  );
}

export async function ollamaGenerate(ctx: RouteContext, b: OllamaGenerateBody): Promise<void> {
  const model = await ctx.backend.resolve(b.model);
  const s = samplingFrom(b.options);
  const responseFormat = formatOf(b.format);
  const sampling = (maxTokens: number, temperature: number) => toSampling({ ...s, max_tokens: maxTokens }, { temperature, maxTokens });
  let start: (maxTokens: number) => StartGeneration;
  let fallback = 2048;
  if (b.suffix !== undefined) {
    const sequenceKey = sequenceKeyFor(ctx, model.id, undefined, b.prompt);
    fallback = 128;
    start = (maxTokens) => (onToken, signal) =>
      ctx.backend.infill(
        {
          model: model.id,
          sequenceKey,
          prefix: b.prompt,
          suffix: b.suffix ?? '',
          window: ctx.fimWindow,
          sampling: sampling(maxTokens, 0.2),
        },
        onToken,
        signal,
      );
  } else if (b.raw) {
    const sequenceKey = sequenceKeyFor(ctx, model.id, undefined, b.prompt);
    fallback = 256;
    start = (maxTokens) => (onToken, signal) =>
      ctx.backend.complete({ model: model.id, sequenceKey, prompt: b.prompt, sampling: sampling(maxTokens, 0.8) }, onToken, signal);
  } else {
    // Not raw: Ollama wraps the prompt in the model's template — here, a one-turn chat with the GGUF's template.
    const messages: EngineMessage[] = [
      ...(b.system ? [{ role: 'system' as const, content: b.system }] : []),
      { role: 'user', content: b.prompt },
    ];
    const threadKey = `${threadKeyFor(ctx, model.id, undefined)}:generate`;
    start = (maxTokens) => (onToken, signal) =>
      ctx.backend.chat(
        { model: model.id, threadKey, messages, sampling: sampling(maxTokens, 0.8), ...(responseFormat ? { responseFormat } : {}) },
        onToken,
        signal,
      );
  }
  await respond(ctx, model, b.stream, 'response', start, s, fallback);
}
