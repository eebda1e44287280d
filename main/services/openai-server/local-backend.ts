// ServerBackend over the app's local AI: models from the registry (named via model-ids.ts), loaded on first request
// (JIT) and unloaded after an idle timeout when the server loaded them, generation through the inference worker.
import type { GenerateResult, LoadedModel } from '../../../common/inference/engine';
import type { Catalog, RegistryEntry } from '../../../common/inference/models';
import { EvolveError } from '../../../common/errors';
import type { ModelManager } from '../models/model-manager';
import type { LocalInferenceClient } from '../chat/inference-client';
import type { ChatCall, CompleteCall, EmbedCall, InfillCall, OnToken, ServedModel, ServerBackend } from './backend';
import { findModel, servedModels } from './model-ids';

/** The embedding worker's client as the server uses it (main/services/embeddings). */
export interface EmbeddingPort {
  /** The id clients use for it, e.g. "all-minilm-l6-v2". */
  readonly modelId: string;
  embedWithUsage(
    texts: string[],
    signal?: AbortSignal,
    opts?: { priority?: 'interactive' | 'background' },
  ): Promise<{ vectors: Float32Array[]; tokens: number }>;
}

export interface LocalAiLike {
  registry(): Promise<{ list(): RegistryEntry[] }>;
  catalog(): Promise<Catalog>;
  /** Loads go through the model manager: the same overrides and speculative mode as the app's own loads. */
  manager(): Promise<Pick<ModelManager, 'load'>>;
  readonly client: Pick<LocalInferenceClient, 'unload' | 'listLoaded' | 'generate' | 'complete' | 'infill'>;
}

export interface LocalBackendOptions {
  /** Unload a model the server loaded after this long without requests (0 = never). Read on every release. */
  idleUnloadMs: () => number;
  embeddings?: () => EmbeddingPort | undefined;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

interface Held {
  entry: RegistryEntry;
  active: number;
  timer: NodeJS.Timeout | undefined;
  /** Loaded by this backend (JIT): only these are unloaded when idle; a model the user loaded stays. */
  ownLoad: boolean;
}

export class LocalAiBackend implements ServerBackend {
  private readonly held = new Map<string, Held>();
  private readonly loading = new Map<string, Promise<LoadedModel>>();
  private readonly busyThreads = new Set<string>();
  private disposed = false;

  constructor(
    private readonly ai: LocalAiLike,
    private readonly o: LocalBackendOptions,
  ) {}

  private async entries(): Promise<{ entries: RegistryEntry[]; models: ServedModel[] }> {
    const [registry, catalog, loaded] = await Promise.all([
      this.ai.registry(),
      this.ai.catalog().catch(() => ({ version: 1 as const, defaultModelId: '', models: [] })),
      this.ai.client.listLoaded().catch(() => [] as LoadedModel[]),
    ]);
    const entries = registry.list();
    const loadedIds = new Set(loaded.map((m) => m.modelId));
    const models = servedModels(entries, catalog.models, loadedIds);
    // What the loaded engine found wins over the metadata (e.g. a registry entry read by an older version).
    for (const m of models) {
      const l = loaded.find((x) => m.aliases.includes(x.modelId));
      if (l) m.fim = l.fim;
    }
    const emb = this.o.embeddings?.();
    if (emb)
      models.push({
        id: emb.modelId,
        aliases: [],
        displayName: emb.modelId,
        kind: 'embedding',
        sizeBytes: 0,
        addedAt: 0,
        hasChatTemplate: false,
        loaded: true,
      });
    return { entries, models };
  }

  async listModels(): Promise<ServedModel[]> {
    return (await this.entries()).models;
  }

  async resolve(model: string): Promise<ServedModel> {
    const { models } = await this.entries();
    const m = findModel(models, model);
    if (!m) {
      const ids = models.map((x) => x.id);
      throw new EvolveError(
        'NOT_FOUND',
        `The model \`${model}\` does not exist. Available: ${ids.length ? ids.join(', ') : 'none (install one in Models)'}`,
        { param: 'model' },
      );
    }
    return m;
  }

  /** Resolves, loads if needed (JIT), and holds the model busy for `run`; starts the idle timer afterwards. */
  private async withModel<T>(model: string, kind: 'llm' | 'embedding', run: (engineId: string, m: ServedModel) => Promise<T>): Promise<T> {
    if (this.disposed) throw new EvolveError('UNAVAILABLE', 'The local server is stopping');
    const { entries, models } = await this.entries();
    const m = findModel(models, model);
    if (!m) await this.resolve(model); // throws the NOT_FOUND with the list
    if (!m) throw new EvolveError('NOT_FOUND', `The model \`${model}\` does not exist`, { param: 'model' });
    if (m.kind !== kind)
      throw new EvolveError(
        'INVALID_ARGUMENT',
        kind === 'llm' ? `\`${m.id}\` is an embedding model; use /v1/embeddings` : `\`${m.id}\` is not an embedding model`,
        { param: 'model' },
      );
    const entry = entries.find((e) => m.aliases.includes(e.id));
    if (!entry) throw new EvolveError('NOT_FOUND', `The model \`${model}\` is no longer available`, { param: 'model' });
    const h = this.held.get(entry.id) ?? { entry, active: 0, timer: undefined, ownLoad: false };
    this.held.set(entry.id, h);
    h.active++;
    if (h.timer) clearTimeout(h.timer);
    h.timer = undefined;
    try {
      await this.ensureLoaded(h);
      return await run(entry.id, m);
    } finally {
      h.active--;
      this.scheduleIdle(h);
    }
  }

  private async ensureLoaded(h: Held): Promise<void> {
    const id = h.entry.id;
    if ((await this.ai.client.listLoaded()).some((l) => l.modelId === id)) return;
    let p = this.loading.get(id);
    if (!p) {
      this.o.log?.('info', `local server: loading ${h.entry.displayName} on first request`);
      p = this.ai.manager().then((m) => m.load(id));
      this.loading.set(id, p);
      void p.finally(() => this.loading.delete(id)).catch(() => {});
    }
    await p;
    h.ownLoad = true;
  }

  private scheduleIdle(h: Held): void {
    const ms = this.o.idleUnloadMs();
    if (h.active > 0 || !h.ownLoad || ms <= 0 || this.disposed) return;
    h.timer = setTimeout(() => {
      h.timer = undefined;
      if (h.active > 0) return;
      this.held.delete(h.entry.id);
      this.o.log?.('info', `local server: unloading ${h.entry.displayName} after ${Math.round(ms / 1000)} s idle`);
      this.ai.client.unload(h.entry.id).catch((e: unknown) => this.o.log?.('warn', `idle unload failed: ${String(e)}`));
    }, ms);
    h.timer.unref();
  }

  chat(call: ChatCall, onToken: OnToken, signal: AbortSignal): Promise<GenerateResult> {
    return this.withModel(call.model, 'llm', async (modelId) => {
      // Two requests of one conversation at once cannot share a KV sequence: the second gets its own.
      let threadId = `srv:${call.threadKey}`;
      for (let i = 2; this.busyThreads.has(threadId); i++) threadId = `srv:${call.threadKey}#${i}`;
      this.busyThreads.add(threadId);
      try {
        return await this.ai.client.generate(
          {
            modelId,
            threadId,
            messages: call.messages,
            sampling: call.sampling,
            ...(call.tools?.length ? { tools: call.tools } : {}),
            ...(call.toolChoice ? { toolChoice: call.toolChoice } : {}),
            ...(call.responseFormat ? { responseFormat: call.responseFormat } : {}),
          },
          { signal, onToken },
        );
      } finally {
        this.busyThreads.delete(threadId);
      }
    });
  }

  complete(call: CompleteCall, onToken: OnToken, signal: AbortSignal): Promise<GenerateResult> {
    return this.withModel(call.model, 'llm', (modelId) =>
      this.ai.client.complete(
        { modelId, sequenceKey: call.sequenceKey, prompt: call.prompt, sampling: call.sampling },
        (e) => {
          if (e.type === 'token') onToken(e.text);
        },
        signal,
      ),
    );
  }

  infill(call: InfillCall, onToken: OnToken, signal: AbortSignal): Promise<GenerateResult> {
    return this.withModel(call.model, 'llm', (modelId) =>
      this.ai.client.infill(
        {
          modelId,
          sequenceKey: call.sequenceKey,
          prefix: call.prefix,
          suffix: call.suffix,
          ...(call.extra?.length ? { extra: call.extra } : {}),
          ...(call.repoName ? { repoName: call.repoName } : {}),
          ...(call.window ? { window: call.window } : {}),
          sampling: call.sampling,
        },
        (e) => {
          if (e.type === 'token') onToken(e.text);
        },
        signal,
      ),
    );
  }

  async embed(call: EmbedCall, signal: AbortSignal): Promise<{ model: string; vectors: Float32Array[]; promptTokens: number }> {
    const emb = this.o.embeddings?.();
    if (!emb)
      throw new EvolveError('UNAVAILABLE', 'No embedding model is installed: run `bash scripts/models/setup-embedding-model.sh`', {
        param: 'model',
      });
    const m = await this.resolve(call.model);
    if (m.kind !== 'embedding')
      throw new EvolveError('INVALID_ARGUMENT', `\`${m.id}\` is not an embedding model; use ${emb.modelId}`, { param: 'model' });
    const r = await emb.embedWithUsage(call.input, signal, { priority: 'interactive' });
    return { model: emb.modelId, vectors: r.vectors, promptTokens: r.tokens };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const own = [...this.held.values()];
    this.held.clear();
    for (const h of own) if (h.timer) clearTimeout(h.timer);
    await Promise.all(own.filter((h) => h.ownLoad && h.active === 0).map((h) => this.ai.client.unload(h.entry.id).catch(() => false)));
  }
}
