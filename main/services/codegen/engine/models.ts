// The engine's model port for the app: a local model through the inference worker (the chat's client, the default
// coding model when none is named) and a cloud model through the provider router ("route:<capability>"), so
// offline-only, budgets, redaction and the audit apply to generations exactly as to chat.
import { randomUUID } from 'node:crypto';
import { EvolveError } from '../../../../common/errors';
import { CapabilitySchema } from '../../../../common/providers/types';
import type { LoadedModel } from '../../../../common/inference/engine';
import type { LocalInferenceClient } from '../../chat/inference-client';
import type { AppProviders } from '../../providers/app-providers';
import { codeBlockEnd } from './code-block-end';
import { repetitionCut } from './repetition';
import type { EngineModel } from './types';

export const ROUTE_PREFIX = 'route:';
/** Context assumed for a routed model (the router may pick any provider; all current ones take at least this). */
export const ROUTED_CONTEXT_TOKENS = 16_384;

export interface LocalModelSources {
  manager(): Promise<{ load(id: string, opts?: { signal?: AbortSignal }): Promise<LoadedModel> }>;
  client: Pick<LocalInferenceClient, 'generate' | 'countTokens'>;
  defaultModel: { ensureLoaded(signal?: AbortSignal): Promise<string | undefined> };
}

/** Billions of parameters from a model id like "qwen2.5-coder-1.5b-instruct" (undefined when it does not say). */
export function paramsFromId(id: string): number | undefined {
  const m = /(?:^|[-_/])(\d+(?:\.\d+)?)b(?:[-_.]|$)/i.exec(id);
  return m ? Number(m[1]) : undefined;
}

/**
 * Lanes a generation may use on a model loaded with `sequences` chat sessions: all but one, so a chat turn started
 * during a generation still finds a free sequence (the pool refuses when every session is busy).
 */
export function parallelLanes(sequences: number): number {
  return Math.max(1, sequences - 1);
}

/**
 * Optional context a CPU-only model is given (rules, conventions, experience, retrieved code, repo map). Without a
 * bound the retrieval fills whatever the context leaves: eval:codegen --context measured 5,559 retrieved tokens in
 * one 1.5B prompt on 2 cores, and that single shot took 462 s against 28 s without context (prompt processing is
 * ~70 tokens/s on one thread, and every token of context also slows each generated token). 2k tokens is Aider's
 * default repo-map size (1k) plus room for a few retrieved chunks; with GPU layers the whole context is used.
 */
export const CPU_CONTEXT_BUDGET_TOKENS = 2048;

/**
 * Lanes by default: batching only where it pays. With GPU layers, k sequences decode for about the price of one; on
 * 2 CPU cores decoding is compute-bound and it did not pay (batch-probe.ts, 64 tokens each, 2 threads, quiet machine:
 * Qwen 1.5B 13.4 tok/s alone vs 13.1 tok/s over 3 sequences at once; 0.5B 23.1 vs 27.6; under load the 0.5B fell from
 * 4.0 to 1.9), so CPU-only models generate one candidate after another unless the caller asks for lanes.
 */
export function defaultLanes(loaded: Pick<LoadedModel, 'sequences' | 'gpuLayers'>): number {
  return loaded.gpuLayers > 0 ? parallelLanes(loaded.sequences) : 1;
}

export async function localModel(
  src: LocalModelSources,
  modelId: string | undefined,
  signal?: AbortSignal,
  /** lanes: parallel candidates wanted (capped by the loaded sequences); default defaultLanes. */
  opts: { lanes?: number } = {},
): Promise<EngineModel> {
  const id = modelId ?? (await src.defaultModel.ensureLoaded(signal));
  if (!id) throw new EvolveError('UNAVAILABLE', 'No coding model is installed (bash scripts/models/setup-coding-model.sh)');
  const loaded = await (await src.manager()).load(id, signal ? { signal } : {});
  // One KV thread per lane of the generation: a lane's repair rounds extend its previous prompt, so only the new
  // part is evaluated; lanes run at once on their own sequences and llama.cpp batches their decode steps.
  const threadId = `codegen-${randomUUID()}`;
  const paramsB = paramsFromId(id) ?? paramsFromId(loaded.path);
  return {
    id,
    contextTokens: loaded.contextSize,
    ...(paramsB !== undefined ? { paramsB } : {}),
    parallel: opts.lanes !== undefined ? Math.max(1, Math.min(opts.lanes, parallelLanes(loaded.sequences))) : defaultLanes(loaded),
    ...(loaded.gpuLayers > 0 ? {} : { contextBudgetTokens: CPU_CONTEXT_BUDGET_TOKENS }),
    async complete(messages, opts) {
      // A one-block answer is cut at its closing fence, any answer where it starts looping (repetition.ts), and one
      // the caller's stopWhen ends: the stream is stopped there and the text kept.
      const cut = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, cut.signal]) : cut.signal;
      let streamed = '';
      let end: number | undefined;
      const onToken = (t: string): void => {
        opts.onToken?.(t);
        if (end !== undefined) return;
        streamed += t;
        if (opts.stopAfterCodeBlock) end = codeBlockEnd(streamed);
        if (end === undefined && t.includes('\n')) end = repetitionCut(streamed) ?? opts.stopWhen?.(streamed);
        if (end !== undefined) cut.abort();
      };
      const r = await src.client.generate(
        {
          modelId: id,
          threadId: `${threadId}-${opts.lane ?? 0}`,
          messages,
          sampling: { temperature: opts.temperature, maxTokens: opts.maxTokens, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) },
          overflow: 'error',
        },
        { signal, onToken },
      );
      const ownCut = end !== undefined && !opts.signal?.aborted;
      if (r.stopReason === 'cancelled' && !ownCut) throw new EvolveError('CANCELLED', 'Generation cancelled');
      return {
        text: ownCut ? r.text.slice(0, end) : r.text,
        tokens: r.usage.completionTokens,
        promptTokens: r.usage.promptTokens,
        evaluatedPromptTokens: r.usage.evaluatedPromptTokens,
      };
    },
    async countTokens(text) {
      return (await src.client.countTokens(id, { text })).count;
    },
  };
}

/**
 * A routed model: the router chooses the provider for the capability, refusing cloud ones under offline-only.
 * Token counts before sending are estimated (4 characters a token; the provider's tokenizer is not here); seeds are
 * not passed (most providers ignore them).
 */
export function routedModel(providers: Pick<AppProviders, 'send'>, modelId: string, projectId: string | null): EngineModel {
  const capability = CapabilitySchema.safeParse(modelId.slice(ROUTE_PREFIX.length));
  if (!capability.success) throw new EvolveError('INVALID_ARGUMENT', `Unknown route ${modelId}`);
  return {
    id: modelId,
    contextTokens: ROUTED_CONTEXT_TOKENS,
    async complete(messages, opts) {
      const r = await providers.send(
        {
          capability: capability.data,
          projectId,
          messages,
          params: { temperature: opts.temperature, maxTokens: opts.maxTokens },
        },
        opts.signal ?? new AbortController().signal,
        async (e) => {
          if (e.type === 'delta') opts.onToken?.(e.text);
        },
      );
      if (r.error) throw new EvolveError(r.error.code, r.error.message, { decision: r.decision });
      return { text: r.text, tokens: r.usage?.completionTokens ?? 0, ...(r.usage ? { promptTokens: r.usage.promptTokens } : {}) };
    },
    countTokens: (text) => Math.ceil(text.length / 4),
  };
}
