// Provider adapter for OpenAI and any OpenAI-compatible server (Ollama, vLLM, LM Studio, TGI /v1) via the official `openai` SDK.
import type OpenAI from 'openai';
import { lazyLoad } from '../../../common/base/lazy-load';
import { EvolveError } from '../../../common/errors';
import type { CallOptions, EmbedResult, GetSecret, Provider } from '../../../common/providers/provider';
import { estimateMessagesTokens, estimateTextTokens } from '../../../common/providers/tokens';
import type {
  ChatEvent,
  ChatRequest,
  CompleteRequest,
  ConnectionTest,
  EmbedRequest,
  FinishReason,
  ModelInfo,
  ProviderFeature,
} from '../../../common/providers/types';
import { type EgressGuard, guardedFetch, loadUndici, providerLeavesMachine } from './egress-guard';
import { toProviderError } from './provider-errors';

export interface OpenAIAdapterOptions {
  id: string;
  kind: 'openai' | 'openai-compatible';
  /** Defaults to the vendor's URL for kind 'openai'; required for 'openai-compatible'. */
  baseUrl?: string;
  organization?: string;
  requiresKey: boolean;
  getSecret: GetSecret;
  guard: EgressGuard;
  /** A private CA to trust besides the system's (the provider's CA file setting); verification is never turned off. */
  ca?: Buffer;
}

/** The parts of a streamed chunk both OpenAI endpoints share. */
interface StreamChunk {
  model?: string;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  choices: { finish_reason?: string | null }[];
}

/** Sampling parameters both endpoints take, only when set. */
function sharedParams(req: { maxTokens?: number; temperature?: number; topP?: number; stop?: string[] }) {
  return {
    ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.topP !== undefined ? { top_p: req.topP } : {}),
    ...(req.stop ? { stop: req.stop } : {}),
  };
}

/** The `openai` SDK, required on the first call rather than at startup (it is part of the host's cold start otherwise). */
export const loadOpenAISdk = lazyLoad(async () => (await import('openai')).default);

export function mapFinish(reason: string | null | undefined): FinishReason {
  if (reason === 'stop' || reason === 'end_turn' || reason === 'eos_token' || reason === 'stop_sequence') return 'stop';
  if (reason === 'length' || reason === 'max_tokens') return 'length';
  return 'other';
}

export class OpenAIAdapter implements Provider {
  readonly id: string;
  readonly kind: 'openai' | 'openai-compatible';
  readonly features: ReadonlySet<ProviderFeature> = new Set<ProviderFeature>(['chat', 'complete', 'embed', 'stream']);
  readonly leavesMachine: boolean;

  constructor(private readonly o: OpenAIAdapterOptions) {
    if (o.kind === 'openai-compatible' && !o.baseUrl) {
      throw new EvolveError('INVALID_ARGUMENT', `Provider ${o.id}: an OpenAI-compatible endpoint needs a base URL`);
    }
    this.id = o.id;
    this.kind = o.kind;
    this.leavesMachine = providerLeavesMachine(o.kind, o.baseUrl);
  }

  /** Loads the SDK and the guarded fetch's HTTP client, so the router's timers never count either load. */
  async prepare(): Promise<void> {
    await Promise.all([loadOpenAISdk(), loadUndici()]);
  }

  private caFetchMemo: typeof fetch | undefined;
  /** The guarded fetch that also trusts the provider's CA (one dispatcher per adapter); undefined = the shared one. */
  private caFetch(): typeof fetch | undefined {
    if (!this.o.ca) return undefined;
    return (this.caFetchMemo ??= guardedFetch(this.o.guard, 'providers', { ca: this.o.ca }));
  }

  private async client(): Promise<OpenAI> {
    // Pre-flight policy check so a refused provider never even reads its key.
    this.o.guard.check({ providerId: this.id, kind: this.kind, ...(this.o.baseUrl ? { url: this.o.baseUrl } : {}) });
    const key = await this.o.getSecret(this.id);
    if (!key && this.o.requiresKey) {
      throw new EvolveError('UNAUTHENTICATED', `No API key stored for ${this.id}. Add one in Settings → Providers.`);
    }
    const OpenAISdk = await loadOpenAISdk();
    return new OpenAISdk({
      // The SDK refuses an empty key; keyless local servers ignore the header.
      apiKey: key ?? 'no-key',
      ...(this.o.baseUrl ? { baseURL: this.o.baseUrl } : {}),
      ...(this.o.organization ? { organization: this.o.organization } : {}),
      // Retries, backoff and timeouts belong to the router, which sees every provider.
      maxRetries: 0,
      timeout: 10 * 60_000,
      fetch: this.o.guard.fetchFor(this.id, this.kind, this.caFetch()),
    });
  }

  async listModels(opts?: CallOptions): Promise<ModelInfo[]> {
    try {
      const c = await this.client();
      const out: ModelInfo[] = [];
      for await (const m of c.models.list(opts?.signal ? { signal: opts.signal } : undefined)) {
        out.push({ id: m.id, ...(m.owned_by ? { ownedBy: m.owned_by } : {}) });
      }
      return out;
    } catch (e) {
      throw toProviderError(e, this.id, opts?.signal);
    }
  }

  async *chat(req: ChatRequest, opts?: CallOptions): AsyncIterable<ChatEvent> {
    yield* this.relay(
      async () =>
        (await this.client()).chat.completions.create(
          {
            model: req.model,
            messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
            stream: true,
            stream_options: { include_usage: true },
            ...sharedParams(req),
          },
          opts?.signal ? { signal: opts.signal } : undefined,
        ),
      (choice) => (choice as { delta?: { content?: string | null } }).delta?.content ?? undefined,
      req.model,
      () => estimateMessagesTokens(req.messages),
      opts,
    );
  }

  async *complete(req: CompleteRequest, opts?: CallOptions): AsyncIterable<ChatEvent> {
    yield* this.relay(
      async () =>
        (await this.client()).completions.create(
          { model: req.model, prompt: req.prompt, stream: true, stream_options: { include_usage: true }, ...sharedParams(req) },
          opts?.signal ? { signal: opts.signal } : undefined,
        ),
      (choice) => (choice as { text?: string }).text || undefined,
      req.model,
      () => estimateTextTokens(req.prompt),
      opts,
    );
  }

  /**
   * One streamed request in the OpenAI wire format (chat or legacy completions): relays text pieces, then a
   * `done` with the vendor's usage or an estimate. A stream that ends without a finish_reason was cut (proxy
   * reset, server crash) and is reported as a retryable UNAVAILABLE.
   */
  private async *relay(
    open: () => Promise<AsyncIterable<StreamChunk>>,
    pieceOf: (choice: StreamChunk['choices'][number]) => string | undefined,
    requestedModel: string,
    estimatePrompt: () => number,
    opts?: CallOptions,
  ): AsyncIterable<ChatEvent> {
    let finish: string | null = null;
    let usage: { prompt_tokens: number; completion_tokens: number } | null = null;
    let text = '';
    let model = requestedModel;
    try {
      for await (const chunk of await open()) {
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        const piece = pieceOf(choice);
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
        : { promptTokens: estimatePrompt(), completionTokens: estimateTextTokens(text), estimated: true },
    };
  }

  async embed(req: EmbedRequest, opts?: CallOptions): Promise<EmbedResult> {
    try {
      const c = await this.client();
      const res = await c.embeddings.create(
        { model: req.model, input: req.input, encoding_format: 'float' },
        opts?.signal ? { signal: opts.signal } : undefined,
      );
      const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      return { model: res.model, vectors, promptTokens: res.usage?.prompt_tokens ?? 0 };
    } catch (e) {
      throw toProviderError(e, this.id, opts?.signal);
    }
  }

  async testConnection(opts?: CallOptions): Promise<ConnectionTest> {
    const t0 = performance.now();
    try {
      const models = await this.listModels(opts);
      return { ok: true, latencyMs: performance.now() - t0, models: models.length, message: `Connected: ${models.length} models` };
    } catch (e) {
      const err = toProviderError(e, this.id);
      return { ok: false, latencyMs: performance.now() - t0, message: `${err.code}: ${err.message}` };
    }
  }
}
