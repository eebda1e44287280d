// Provider adapter for Anthropic's Messages API via the official `@anthropic-ai/sdk` (streamed SSE events → ChatEvent).
import type Anthropic from '@anthropic-ai/sdk';
import { lazyLoad } from '../../../common/base/lazy-load';
import { EvolveError } from '../../../common/errors';
import type { CallOptions, GetSecret, Provider } from '../../../common/providers/provider';
import { estimateMessagesTokens, estimateTextTokens } from '../../../common/providers/tokens';
import type { ChatEvent, ChatRequest, CompleteRequest, ConnectionTest, ModelInfo, ProviderFeature } from '../../../common/providers/types';
import { guardedFetch, loadUndici, type EgressGuard } from './egress-guard';
import { mapFinish } from './openai-adapter';
import { toProviderError } from './provider-errors';

/** `@anthropic-ai/sdk`, required on the first call rather than at startup (~190 ms of the host's cold start otherwise). */
export const loadAnthropicSdk = lazyLoad(async () => (await import('@anthropic-ai/sdk')).default);

export interface AnthropicAdapterOptions {
  id: string;
  baseUrl?: string;
  getSecret: GetSecret;
  guard: EgressGuard;
  /** A private CA to trust besides the system's (the provider's CA file setting); verification is never turned off. */
  ca?: Buffer;
  /** Anthropic requires max_tokens; used when the request names none. */
  defaultMaxTokens?: number;
}

export class AnthropicAdapter implements Provider {
  readonly id: string;
  readonly kind = 'anthropic' as const;
  readonly features: ReadonlySet<ProviderFeature> = new Set<ProviderFeature>(['chat', 'complete', 'stream']);
  readonly leavesMachine = true;

  constructor(private readonly o: AnthropicAdapterOptions) {
    this.id = o.id;
  }

  /** Loads the SDK and the guarded fetch's HTTP client, so the router's timers never count either load. */
  async prepare(): Promise<void> {
    await Promise.all([loadAnthropicSdk(), loadUndici()]);
  }

  private caFetchMemo: typeof fetch | undefined;
  /** The guarded fetch that also trusts the provider's CA (one dispatcher per adapter); undefined = the shared one. */
  private caFetch(): typeof fetch | undefined {
    if (!this.o.ca) return undefined;
    return (this.caFetchMemo ??= guardedFetch(this.o.guard, 'providers', { ca: this.o.ca }));
  }

  private async client(): Promise<Anthropic> {
    this.o.guard.check({ providerId: this.id, kind: this.kind, ...(this.o.baseUrl ? { url: this.o.baseUrl } : {}) });
    const key = await this.o.getSecret(this.id);
    if (!key) throw new EvolveError('UNAUTHENTICATED', `No API key stored for ${this.id}. Add one in Settings → Providers.`);
    const AnthropicSdk = await loadAnthropicSdk();
    return new AnthropicSdk({
      apiKey: key,
      ...(this.o.baseUrl ? { baseURL: this.o.baseUrl } : {}),
      maxRetries: 0,
      timeout: 10 * 60_000,
      fetch: this.o.guard.fetchFor(this.id, this.kind, this.caFetch()),
    });
  }

  async listModels(opts?: CallOptions): Promise<ModelInfo[]> {
    try {
      const c = await this.client();
      const out: ModelInfo[] = [];
      for await (const m of c.models.list(undefined, opts?.signal ? { signal: opts.signal } : undefined)) out.push({ id: m.id });
      return out;
    } catch (e) {
      throw toProviderError(e, this.id, opts?.signal);
    }
  }

  async *chat(req: ChatRequest, opts?: CallOptions): AsyncIterable<ChatEvent> {
    // Anthropic takes system prompts as a separate field and only user/assistant turns in `messages`.
    const system = req.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n\n');
    const turns = req.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
    if (turns.length === 0) throw new EvolveError('INVALID_ARGUMENT', 'Anthropic needs at least one user message');
    let inputTokens: number | null = null;
    let outputTokens: number | null = null;
    let stopReason: string | null = null;
    let stopped = false;
    let model = req.model;
    let text = '';
    try {
      const c = await this.client();
      const stream = await c.messages.create(
        {
          model: req.model,
          max_tokens: req.maxTokens ?? this.o.defaultMaxTokens ?? 1024,
          messages: turns,
          ...(system ? { system } : {}),
          ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
          ...(req.topP !== undefined ? { top_p: req.topP } : {}),
          ...(req.stop ? { stop_sequences: req.stop } : {}),
          stream: true,
        },
        opts?.signal ? { signal: opts.signal } : undefined,
      );
      for await (const ev of stream) {
        switch (ev.type) {
          case 'message_start':
            model = ev.message.model;
            inputTokens = ev.message.usage.input_tokens;
            outputTokens = ev.message.usage.output_tokens;
            break;
          case 'content_block_delta':
            if (ev.delta.type === 'text_delta' && ev.delta.text) {
              text += ev.delta.text;
              yield { type: 'delta', text: ev.delta.text };
            }
            break;
          case 'message_delta':
            if (ev.delta.stop_reason) stopReason = ev.delta.stop_reason;
            // message_delta usage is cumulative
            outputTokens = ev.usage.output_tokens;
            if (typeof ev.usage.input_tokens === 'number') inputTokens = ev.usage.input_tokens;
            break;
          case 'message_stop':
            stopped = true;
            break;
          default:
            break;
        }
      }
    } catch (e) {
      throw toProviderError(e, this.id, opts?.signal);
    }
    if (!stopped) {
      throw new EvolveError('UNAVAILABLE', `${this.id} closed the stream before message_stop`, {
        providerId: this.id,
        retryable: true,
        partial: text.length > 0,
      });
    }
    const reported = inputTokens !== null && outputTokens !== null;
    yield {
      type: 'done',
      finishReason: mapFinish(stopReason),
      model,
      usage: reported
        ? { promptTokens: inputTokens ?? 0, completionTokens: outputTokens ?? 0, estimated: false }
        : { promptTokens: estimateMessagesTokens(req.messages), completionTokens: estimateTextTokens(text), estimated: true },
    };
  }

  /** Anthropic has no raw completion endpoint: the prompt becomes one user turn. */
  complete(req: CompleteRequest, opts?: CallOptions): AsyncIterable<ChatEvent> {
    const { prompt, ...rest } = req;
    return this.chat({ ...rest, messages: [{ role: 'user', content: prompt }] }, opts);
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
