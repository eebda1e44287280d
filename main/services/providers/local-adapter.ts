// Provider adapter for the in-app local engine (node-llama-cpp worker), written against the LocalEngineLike interface.
import { EvolveError } from '../../../common/errors';
import type { CallOptions, EmbedResult, LocalEngineLike, Provider } from '../../../common/providers/provider';
import type {
  ChatEvent,
  ChatRequest,
  CompleteRequest,
  ConnectionTest,
  EmbedRequest,
  ModelInfo,
  ProviderFeature,
} from '../../../common/providers/types';
import { toProviderError } from './provider-errors';

export class LocalAdapter implements Provider {
  readonly kind = 'local' as const;
  readonly features: ReadonlySet<ProviderFeature>;
  readonly leavesMachine = false;

  constructor(
    readonly id: string,
    private readonly engine: LocalEngineLike,
  ) {
    this.features = new Set<ProviderFeature>(engine.embed ? ['chat', 'complete', 'stream', 'embed'] : ['chat', 'complete', 'stream']);
    if (engine.embed) this.embed = this.embedImpl;
  }

  embed?: (req: EmbedRequest, opts?: CallOptions) => Promise<EmbedResult>;

  async listModels(): Promise<ModelInfo[]> {
    const loaded = await this.engine.listLoaded();
    return loaded.map((m) => ({ id: m.id, ownedBy: 'local', ...(m.contextLength ? { contextLength: m.contextLength } : {}) }));
  }

  chat(req: ChatRequest, opts?: CallOptions): AsyncIterable<ChatEvent> {
    const promptText = req.messages.map((m) => m.content).join('\n');
    return this.run(req.model, { model: req.model, messages: req.messages }, promptText, req, opts);
  }

  complete(req: CompleteRequest, opts?: CallOptions): AsyncIterable<ChatEvent> {
    return this.run(req.model, { model: req.model, prompt: req.prompt }, req.prompt, req, opts);
  }

  private async *run(
    model: string,
    input: Parameters<LocalEngineLike['generate']>[0],
    promptText: string,
    p: { maxTokens?: number; temperature?: number; topP?: number; stop?: string[] },
    opts?: CallOptions,
  ): AsyncIterable<ChatEvent> {
    const loaded = await this.engine.listLoaded();
    if (!loaded.some((m) => m.id === model)) {
      throw new EvolveError('NOT_FOUND', `Local model "${model}" is not loaded. Load it in Models first.`, {
        providerId: this.id,
        retryable: false,
      });
    }
    // The engine wants a signal it can always listen to, even when the caller gave none.
    const signal = opts?.signal ?? new AbortController().signal;
    let text = '';
    let hitLimit = false;
    try {
      let pieces = 0;
      for await (const piece of this.engine.generate(
        input,
        {
          ...(p.maxTokens !== undefined ? { maxTokens: p.maxTokens } : {}),
          ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
          ...(p.topP !== undefined ? { topP: p.topP } : {}),
          ...(p.stop ? { stop: p.stop } : {}),
        },
        signal,
      )) {
        if (signal.aborted) break;
        pieces++;
        text += piece.text;
        yield { type: 'delta', text: piece.text };
      }
      hitLimit = p.maxTokens !== undefined && pieces >= p.maxTokens;
    } catch (e) {
      throw toProviderError(e, this.id, signal);
    }
    if (signal.aborted) throw new EvolveError('CANCELLED', `Local generation was cancelled`, { providerId: this.id, retryable: false });
    const [promptTokens, completionTokens] = await Promise.all([
      this.engine.countTokens(model, promptText),
      this.engine.countTokens(model, text),
    ]);
    yield { type: 'done', finishReason: hitLimit ? 'length' : 'stop', model, usage: { promptTokens, completionTokens, estimated: false } };
  }

  private async embedImpl(req: EmbedRequest, opts?: CallOptions): Promise<EmbedResult> {
    if (!this.engine.embed) throw new EvolveError('UNAVAILABLE', 'The local engine has no embeddings model');
    const vectors = await this.engine.embed(req.model, req.input, opts?.signal ?? new AbortController().signal);
    const counts = await Promise.all(req.input.map((t) => this.engine.countTokens(req.model, t)));
    return { model: req.model, vectors, promptTokens: counts.reduce((a, b) => a + b, 0) };
  }

  async testConnection(): Promise<ConnectionTest> {
    const t0 = performance.now();
    try {
      const models = await this.listModels();
      return { ok: true, latencyMs: performance.now() - t0, models: models.length, message: `${models.length} local models loaded` };
    } catch (e) {
      const err = toProviderError(e, this.id);
      return { ok: false, latencyMs: performance.now() - t0, message: `${err.code}: ${err.message}` };
    }
  }
}
