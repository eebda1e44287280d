// Provider adapter for Hugging Face (TGI / Inference Endpoints / Inference Providers) via `@huggingface/inference`.
import type { InferenceClient } from '@huggingface/inference';
import { z } from 'zod';
import { lazyLoad } from '../../../common/base/lazy-load';
import { EvolveError } from '../../../common/errors';
import type { CallOptions, GetSecret, Provider } from '../../../common/providers/provider';
import { estimateMessagesTokens, estimateTextTokens } from '../../../common/providers/tokens';
import type { ChatEvent, ChatRequest, CompleteRequest, ConnectionTest, ModelInfo, ProviderFeature } from '../../../common/providers/types';
import { guardedFetch, loadUndici, type EgressGuard } from './egress-guard';
import { mapFinish } from './openai-adapter';
import { toProviderError } from './provider-errors';

/** `@huggingface/inference`, required on the first call rather than at startup (~110 ms of the host's cold start otherwise). */
export const loadHuggingFaceSdk = lazyLoad(async () => {
  const sdk = await import('@huggingface/inference');
  // streamingRequest is the SDK's only path to TGI's native /generate_stream; silence its per-call deprecation warning.
  sdk.setLogger({
    debug: () => undefined,
    info: () => undefined,
    log: () => undefined,
    warn: (m: string, ...rest: unknown[]) => {
      if (!/streamingRequest method is deprecated/.test(m)) console.warn(m, ...rest);
    },
    error: (m: string, ...rest: unknown[]) => console.error(m, ...rest),
  });
  return sdk;
});

/** TGI's native stream event (`/generate_stream`). */
const TgiStreamEventSchema = z.object({
  token: z.object({ id: z.number(), text: z.string(), special: z.boolean().optional() }),
  generated_text: z.string().nullable().optional(),
  details: z.object({ finish_reason: z.string(), generated_tokens: z.number() }).nullable().optional(),
});

const TgiInfoSchema = z.object({
  model_id: z.string(),
  max_total_tokens: z.number().optional(),
});

export interface HuggingFaceAdapterOptions {
  id: string;
  /** TGI / Inference Endpoint root (e.g. http://127.0.0.1:8080). Without it calls go to the HF router. */
  endpointUrl?: string;
  defaultModel?: string;
  getSecret: GetSecret;
  guard: EgressGuard;
  /** A private CA to trust besides the system's (the provider's CA file setting); verification is never turned off. */
  ca?: Buffer;
}

export class HuggingFaceAdapter implements Provider {
  readonly id: string;
  readonly kind = 'huggingface' as const;
  readonly features: ReadonlySet<ProviderFeature> = new Set<ProviderFeature>(['chat', 'complete', 'stream']);
  readonly leavesMachine = true;
  private readonly endpoint: string | undefined;

  constructor(private readonly o: HuggingFaceAdapterOptions) {
    this.id = o.id;
    this.endpoint = o.endpointUrl?.replace(/\/+$/, '');
  }

  /** Loads the SDK and the guarded fetch's HTTP client, so the router's timers never count either load. */
  async prepare(): Promise<void> {
    await Promise.all([loadHuggingFaceSdk(), loadUndici()]);
  }

  private caFetchMemo: typeof fetch | undefined;
  /** The guarded fetch that also trusts the provider's CA (one dispatcher per adapter); undefined = the shared one. */
  private caFetch(): typeof fetch | undefined {
    if (!this.o.ca) return undefined;
    return (this.caFetchMemo ??= guardedFetch(this.o.guard, 'providers', { ca: this.o.ca }));
  }

  private async client(): Promise<{ client: InferenceClient; fetch: typeof fetch; key: string | undefined }> {
    this.o.guard.check({ providerId: this.id, kind: this.kind, ...(this.endpoint ? { url: this.endpoint } : {}) });
    const key = await this.o.getSecret(this.id);
    if (!key && !this.endpoint) {
      throw new EvolveError('UNAUTHENTICATED', `No Hugging Face token stored for ${this.id}. Add one in Settings → Providers.`);
    }
    const guardedFetch = this.o.guard.fetchFor(this.id, this.kind, this.caFetch());
    // retry_on_error=false: the SDK would otherwise loop on 503 forever; the router owns retries.
    const sdk = await loadHuggingFaceSdk();
    const client = new sdk.InferenceClient(key ?? '', {
      fetch: guardedFetch,
      retry_on_error: false,
      ...(this.endpoint ? { endpointUrl: this.endpoint } : {}),
    });
    return { client, fetch: guardedFetch, key };
  }

  async listModels(opts?: CallOptions): Promise<ModelInfo[]> {
    if (!this.endpoint) return this.o.defaultModel ? [{ id: this.o.defaultModel }] : [];
    try {
      const { fetch: f, key } = await this.client();
      const res = await f(`${this.endpoint}/info`, {
        ...(opts?.signal ? { signal: opts.signal } : {}),
        ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}),
      });
      if (!res.ok)
        throw new EvolveError(res.status === 401 ? 'UNAUTHENTICATED' : 'UNAVAILABLE', `${this.id} /info answered ${res.status}`, {
          providerId: this.id,
          status: res.status,
          retryable: res.status >= 500,
        });
      const info = TgiInfoSchema.safeParse(await res.json());
      if (!info.success)
        throw new EvolveError('CORRUPT', `${this.id} /info is not a TGI info document`, { providerId: this.id, retryable: false });
      return [{ id: info.data.model_id, ...(info.data.max_total_tokens ? { contextLength: info.data.max_total_tokens } : {}) }];
    } catch (e) {
      throw toProviderError(e, this.id, opts?.signal);
    }
  }

  /** Chat goes through TGI's OpenAI-compatible Messages API (`/v1/chat/completions`). */
  async *chat(req: ChatRequest, opts?: CallOptions): AsyncIterable<ChatEvent> {
    let finish: string | null = null;
    let usage: { prompt_tokens: number; completion_tokens: number } | null = null;
    let text = '';
    let model = req.model;
    try {
      const { client } = await this.client();
      const stream = client.chatCompletionStream(
        {
          model: req.model,
          messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
          stream_options: { include_usage: true },
          ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
          ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
          ...(req.topP !== undefined ? { top_p: req.topP } : {}),
          ...(req.stop ? { stop: req.stop } : {}),
        },
        opts?.signal ? { signal: opts.signal } : {},
      );
      for await (const chunk of stream) {
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const piece = choice.delta?.content;
        if (piece) {
          text += piece;
          yield { type: 'delta', text: piece };
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    } catch (e) {
      throw toProviderError(e, this.id, opts?.signal);
    }
    if (finish === null) {
      throw new EvolveError('UNAVAILABLE', `${this.id} closed the stream before it finished`, {
        providerId: this.id,
        retryable: true,
        partial: text.length > 0,
      });
    }
    yield {
      type: 'done',
      finishReason: mapFinish(finish),
      model,
      usage: usage
        ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, estimated: false }
        : { promptTokens: estimateMessagesTokens(req.messages), completionTokens: estimateTextTokens(text), estimated: true },
    };
  }

  /** Raw completion uses TGI's native `/generate_stream` (token events, final details); without an endpoint it becomes chat. */
  async *complete(req: CompleteRequest, opts?: CallOptions): AsyncIterable<ChatEvent> {
    if (!this.endpoint) {
      const { prompt, ...rest } = req;
      yield* this.chat({ ...rest, messages: [{ role: 'user', content: prompt }] }, opts);
      return;
    }
    let text = '';
    let details: { finish_reason: string; generated_tokens: number } | null = null;
    try {
      const { client } = await this.client();
      const stream = client.streamingRequest<unknown>(
        {
          endpointUrl: `${this.endpoint}/generate_stream`,
          inputs: req.prompt,
          parameters: {
            details: true,
            ...(req.maxTokens !== undefined ? { max_new_tokens: req.maxTokens } : {}),
            // TGI rejects temperature 0; greedy decoding is do_sample=false.
            ...(req.temperature !== undefined && req.temperature > 0
              ? { temperature: req.temperature, do_sample: true }
              : { do_sample: false }),
            ...(req.topP !== undefined && req.topP > 0 && req.topP < 1 ? { top_p: req.topP } : {}),
            ...(req.stop ? { stop: req.stop } : {}),
          },
        },
        opts?.signal ? { signal: opts.signal } : {},
      );
      for await (const raw of stream) {
        const ev = TgiStreamEventSchema.safeParse(raw);
        if (!ev.success)
          throw new EvolveError('CORRUPT', `${this.id} sent an event that is not a TGI token event`, {
            providerId: this.id,
            retryable: true,
          });
        if (!ev.data.token.special && ev.data.token.text) {
          text += ev.data.token.text;
          yield { type: 'delta', text: ev.data.token.text };
        }
        if (ev.data.details) details = ev.data.details;
      }
    } catch (e) {
      throw toProviderError(e, this.id, opts?.signal);
    }
    if (!details) {
      throw new EvolveError('UNAVAILABLE', `${this.id} closed the stream before it finished`, {
        providerId: this.id,
        retryable: true,
        partial: text.length > 0,
      });
    }
    yield {
      type: 'done',
      finishReason: mapFinish(details.finish_reason),
      model: req.model,
      // TGI's stream reports generated tokens but not prompt tokens.
      usage: { promptTokens: estimateTextTokens(req.prompt), completionTokens: details.generated_tokens, estimated: true },
    };
  }

  async testConnection(opts?: CallOptions): Promise<ConnectionTest> {
    const t0 = performance.now();
    try {
      const models = await this.listModels(opts);
      return {
        ok: true,
        latencyMs: performance.now() - t0,
        models: models.length,
        message: models[0] ? `Connected: ${models[0].id}` : 'Connected',
      };
    } catch (e) {
      const err = toProviderError(e, this.id);
      return { ok: false, latencyMs: performance.now() - t0, message: `${err.code}: ${err.message}` };
    }
  }
}
