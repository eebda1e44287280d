// Inline completion for the Code editor: the default coding model's FIM path (the engine builds the prompt with the
// model's own FIM tokens and token caps), at interactive priority, cancelled by the next request of the same editor,
// with a small LRU cache keyed by (model, prefix tail, suffix head).
import { createHash } from 'node:crypto';
import { LruCache } from '../../../common/base/lru-cache';
import {
  INLINE_MAX_TOKENS,
  INLINE_PREFIX_TOKENS,
  inlineStops,
  INLINE_SUFFIX_TOKENS,
  inlineWindow,
  trimCompletion,
  type InlineWindow,
} from '../../../common/completion/inline-context';
import type { InlineCompleteInput, InlineCompletion } from '../../../common/contracts/completion';
import type { FimSupport, GenerateEvent, GenerateResult, InfillParams } from '../../../common/inference/engine';
import { EvolveError, toErrorInfo } from '../../../common/errors';

/** What this needs from the inference worker (LocalInferenceClient in the app). */
export interface FimEngine {
  infill(params: InfillParams, onEvent: (e: GenerateEvent) => void, signal?: AbortSignal): Promise<GenerateResult>;
  fimSupport(modelId: string): Promise<FimSupport>;
}

export interface InlineCompletionDeps {
  engine: FimEngine;
  /** The default coding model, loaded on demand (DefaultLocalModel); undefined when no model is installed. */
  defaultModel: { ensureLoaded(signal?: AbortSignal): Promise<string | undefined> };
  /** Resolves the project: an unknown one is NOT_FOUND before any model work. */
  projects: { get(projectId: string): Promise<unknown> };
  /** The work scheduler's interactive marker: background work (indexing, embeddings) waits while this runs. */
  interactive<T>(label: string, fn: () => Promise<T>): Promise<T>;
  /** Entries kept by the cache (default 128). */
  cacheSize?: number;
}

export class InlineCompletionService {
  private readonly cache: LruCache<string, string>;
  /** The request in flight per editor: the next one aborts it. */
  private readonly inflight = new Map<string, AbortController>();
  /** One model load shared by all requests, never cancelled by them: typing must not restart a load forever. */
  private loading: Promise<string> | undefined;
  private readonly fim = new Map<string, boolean>();
  private ready: string | undefined;

  constructor(private readonly d: InlineCompletionDeps) {
    this.cache = new LruCache(d.cacheSize ?? 128);
  }

  /** Loads (and checks) the model ahead of the first request, e.g. when a file opens in the editor. */
  async warm(projectId: string): Promise<string> {
    await this.d.projects.get(projectId);
    return this.model();
  }

  /** Aborts the request in flight for this editor, if any (the engine stops between prompt batches or tokens). */
  cancel(ref: EditorRef): boolean {
    const ctrl = this.inflight.get(editorKey(ref));
    ctrl?.abort();
    return ctrl !== undefined;
  }

  async complete(input: InlineCompleteInput, signal?: AbortSignal): Promise<InlineCompletion> {
    const t0 = performance.now();
    const editor = editorKey(input);
    this.inflight.get(editor)?.abort();
    const mine = new AbortController();
    this.inflight.set(editor, mine);
    const stop = signal ? AbortSignal.any([mine.signal, signal]) : mine.signal;
    try {
      await this.d.projects.get(input.projectId);
      const model = await this.model();
      cancelledCheck(stop);
      // The editor already windows; doing it again here keeps the prompt bounded for any client.
      const win = inlineWindow(input.prefix, input.suffix);
      const key = cacheKey(model, win.prefix, win.suffix);
      const hit = this.cache.get(key);
      if (hit !== undefined) return { text: hit, ms: performance.now() - t0, cached: true, model };
      const res = await this.infill(model, input, win, stop).catch(async (e: unknown) => {
        // The model was unloaded since (Models → Unload, a worker restart): load it again once.
        if (toErrorInfo(e).code !== 'NOT_FOUND' || stop.aborted) throw e;
        this.ready = undefined;
        return this.infill(await this.model(), input, win, stop);
      });
      if (res.stopReason === 'cancelled' || stop.aborted) throw superseded();
      const text = trimCompletion(res.text, win);
      this.cache.set(key, text);
      return { text, ms: performance.now() - t0, cached: false, model };
    } finally {
      if (this.inflight.get(editor) === mine) this.inflight.delete(editor);
    }
  }

  /**
   * Plain PSM, without the repo-level header (<|repo_name|>, <|file_sep|>path): measured with Qwen2.5-Coder 0.5B
   * Instruct, the header made it answer "```" where the plain prompt gave the right body.
   */
  private infill(model: string, input: InlineCompleteInput, win: InlineWindow, signal: AbortSignal): Promise<GenerateResult> {
    return this.d.interactive('completion', () =>
      this.d.engine.infill(
        {
          modelId: model,
          // One warm KV sequence per file, so the next keystroke evaluates only what changed.
          sequenceKey: `inline:${createHash('sha256').update(`${input.projectId}\u0000${input.path}`).digest('hex').slice(0, 32)}`,
          prefix: win.prefix,
          suffix: win.suffix,
          window: { maxPrefixTokens: INLINE_PREFIX_TOKENS, maxSuffixTokens: INLINE_SUFFIX_TOKENS, maxExtraTokens: 0 },
          sampling: { temperature: 0, maxTokens: INLINE_MAX_TOKENS, stop: [...inlineStops(win.suffix)] },
        },
        () => undefined,
        signal,
      ),
    );
  }

  /**
   * The default model's id, loaded and checked for FIM tokens. Remembered once ready, so a keystroke costs no registry
   * walk; a default that changes later (a better model installed) is picked up when the remembered one is unloaded.
   */
  private async model(): Promise<string> {
    if (this.ready !== undefined) return this.ready;
    this.loading ??= this.d.defaultModel.ensureLoaded().then((id) => {
      if (id === undefined)
        throw new EvolveError(
          'UNAVAILABLE',
          'Inline completion needs a local coding model: run bash scripts/models/setup-coding-model.sh or download one in Models',
        );
      return id;
    });
    const loading = this.loading;
    let id: string;
    try {
      id = await loading;
    } finally {
      // A failed or finished load is not remembered: the default may change (a model installed, unloaded).
      if (this.loading === loading) this.loading = undefined;
    }
    let fim = this.fim.get(id);
    if (fim === undefined) {
      fim = (await this.d.engine.fimSupport(id)).supported;
      this.fim.set(id, fim);
    }
    if (!fim)
      throw new EvolveError(
        'INVALID_ARGUMENT',
        `Inline completion needs fill-in-the-middle tokens, and the default model ${id} has none: use a coding model such as Qwen2.5-Coder`,
        { reason: 'no-fim', model: id },
      );
    this.ready = id;
    return id;
  }
}

type EditorRef = Pick<InlineCompleteInput, 'projectId' | 'path' | 'editorId'>;

const editorKey = (r: EditorRef): string => r.editorId ?? `${r.projectId}\u0000${r.path}`;

/** Hashes, so the cache holds no source text in its keys and long windows cost 32 bytes each. */
export function cacheKey(model: string, prefix: string, suffix: string): string {
  return createHash('sha256').update(model).update('\u0000').update(prefix).update('\u0000').update(suffix).digest('hex');
}

function superseded(): EvolveError {
  return new EvolveError('CANCELLED', 'A newer completion request for this editor replaced this one');
}

function cancelledCheck(signal: AbortSignal): void {
  if (signal.aborted) throw superseded();
}
