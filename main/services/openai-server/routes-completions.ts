// Raw text completion and fill-in-the-middle: POST /v1/completions (no chat template; `suffix`, or a prompt already
// in the model's FIM format, → infill), POST /v1/fim/completions (Mistral/Continue shape) and llama.cpp POST /infill.
import { randomUUID } from 'node:crypto';
import type { SamplingSettings } from '../../../common/inference/engine';
import type { ServedModel } from './backend';
import { parseFimPrompt } from './fim-prompt';
import { runFitted, usageJson, type Outcome, type StartGeneration } from './generation';
import { sendJson } from './http';
import { toSampling, type SamplingInput } from './params';
import { sequenceKeyFor, startEventStream, writeEvent, type RouteContext } from './route-context';
import type { CompletionBody, InfillBody } from './schemas';

/** Defaults when the client sets no max tokens: FIM answers are short; raw completions a paragraph. */
const FIM_MAX_TOKENS = 128;
const RAW_MAX_TOKENS = 256;

interface Plan {
  model: ServedModel;
  start: (maxTokens: number) => StartGeneration;
  requested: number | undefined;
  fallback: number;
}

function plan(
  ctx: RouteContext,
  model: ServedModel,
  b: SamplingInput & { user?: string | undefined },
  input: { prompt: string; suffix?: string | null | undefined; extra?: { path: string; text: string }[]; repoName?: string },
): Plan {
  const requested = b.max_completion_tokens ?? b.max_tokens ?? undefined;
  const sampling = (maxTokens: number, temperature: number): SamplingSettings =>
    toSampling({ ...b, max_tokens: maxTokens, max_completion_tokens: null }, { temperature, maxTokens });
  const fim =
    input.suffix != null
      ? { prefix: input.prompt, suffix: input.suffix, extra: input.extra ?? [], repoName: input.repoName }
      : parseFimPrompt(input.prompt);
  if (fim) {
    const sequenceKey = sequenceKeyFor(ctx, model.id, b.user, fim.prefix);
    return {
      model,
      requested,
      fallback: FIM_MAX_TOKENS,
      start: (maxTokens) => (onToken, signal) =>
        ctx.backend.infill(
          {
            model: model.id,
            sequenceKey,
            prefix: fim.prefix,
            suffix: fim.suffix,
            ...(fim.extra.length ? { extra: fim.extra } : {}),
            ...(fim.repoName ? { repoName: fim.repoName } : {}),
            window: ctx.fimWindow,
            sampling: sampling(maxTokens, 0.2),
          },
          onToken,
          signal,
        ),
    };
  }
  const sequenceKey = sequenceKeyFor(ctx, model.id, b.user, input.prompt);
  return {
    model,
    requested,
    fallback: RAW_MAX_TOKENS,
    start: (maxTokens) => (onToken, signal) =>
      ctx.backend.complete({ model: model.id, sequenceKey, prompt: input.prompt, sampling: sampling(maxTokens, 0.7) }, onToken, signal),
  };
}

async function run(ctx: RouteContext, p: Plan, stops: string[], onText?: (t: string) => void): Promise<Outcome> {
  return runFitted(p.start, p.requested, p.fallback, { stops, signal: ctx.signal, ...(onText ? { onText } : {}) });
}

/** OpenAI legacy completions: `text` choices; stream chunks are text_completion objects. */
export async function completions(ctx: RouteContext, b: CompletionBody, shape: 'text' | 'chat' = 'text'): Promise<void> {
  const model = await ctx.backend.resolve(b.model);
  const p = plan(ctx, model, b, { prompt: b.prompt, suffix: b.suffix });
  const id = `cmpl-${randomUUID().replace(/-/g, '')}`;
  const created = Math.floor(Date.now() / 1000);
  // /v1/fim/completions answers in chat shape (Mistral's FIM API, which Continue's FIM client reads).
  const object = shape === 'text' ? 'text_completion' : 'chat.completion.chunk';
  const choice = (text: string | null, finish: string | null) =>
    shape === 'text'
      ? { index: 0, text: text ?? '', logprobs: null, finish_reason: finish }
      : { index: 0, delta: text === null ? {} : { content: text }, logprobs: null, finish_reason: finish };
  if (b.stream === true) {
    // Headers go out with the first token, so an error before it (no FIM tokens, prompt too long) is a real 4xx.
    const out = await run(ctx, p, b.stop ?? [], (t) => {
      startEventStream(ctx);
      writeEvent(ctx, { id, object, created, model: model.id, choices: [choice(t, null)] });
    });
    if (out.cancelled) return;
    startEventStream(ctx);
    writeEvent(ctx, { id, object, created, model: model.id, choices: [choice(null, out.finish)] });
    if (b.stream_options?.include_usage)
      writeEvent(ctx, { id, object, created, model: model.id, choices: [], usage: usageJson(out.usage) });
    ctx.res.write('data: [DONE]\n\n');
    ctx.res.end();
    return;
  }
  const out = await run(ctx, p, b.stop ?? []);
  if (out.cancelled) return;
  const choices =
    shape === 'text'
      ? [{ index: 0, text: out.text, logprobs: null, finish_reason: out.finish }]
      : [{ index: 0, message: { role: 'assistant', content: out.text }, logprobs: null, finish_reason: out.finish }];
  sendJson(
    ctx.res,
    200,
    {
      id,
      object: shape === 'text' ? 'text_completion' : 'chat.completion',
      created,
      model: model.id,
      choices,
      usage: usageJson(out.usage),
    },
    { ...ctx.headers, 'x-evolve-evaluated-prompt-tokens': String(out.usage.evaluatedPromptTokens) },
  );
}

/** llama.cpp server's /infill: `prompt` (text typed on the cursor line) continues the prefix. */
export async function infill(ctx: RouteContext, b: InfillBody, defaultModel: () => Promise<ServedModel>): Promise<void> {
  const model = b.model ? await ctx.backend.resolve(b.model) : await defaultModel();
  const maxTokens = b.n_predict !== undefined && b.n_predict >= 0 ? b.n_predict : undefined;
  const p = plan(
    ctx,
    model,
    { ...b, max_tokens: maxTokens ?? b.max_tokens },
    {
      prompt: b.input_prefix + b.prompt,
      suffix: b.input_suffix,
      extra: (b.input_extra ?? []).map((f) => ({ path: f.filename, text: f.text })),
    },
  );
  const final = (out: Outcome, content: string) => ({
    content,
    model: model.id,
    stop: true,
    stop_type: out.finish === 'length' ? 'limit' : 'eos',
    tokens_predicted: out.usage.completionTokens,
    tokens_evaluated: out.usage.evaluatedPromptTokens,
    truncated: false,
    timings: {
      prompt_n: out.usage.evaluatedPromptTokens,
      prompt_per_second: out.usage.promptTokensPerSecond,
      predicted_n: out.usage.completionTokens,
      predicted_per_second: out.usage.generationTokensPerSecond,
      cache_n: out.usage.promptTokens - out.usage.evaluatedPromptTokens,
    },
  });
  if (b.stream === true) {
    const out = await run(ctx, p, b.stop ?? [], (t) => {
      startEventStream(ctx);
      writeEvent(ctx, { content: t, stop: false });
    });
    if (out.cancelled) return;
    startEventStream(ctx);
    writeEvent(ctx, final(out, ''));
    ctx.res.end();
    return;
  }
  const out = await run(ctx, p, b.stop ?? []);
  if (out.cancelled) return;
  sendJson(ctx.res, 200, final(out, out.text), ctx.headers);
}
