// The local inference engine (runs inside the inference worker): load/unload GGUF models, stream chat turns
// with per-thread KV reuse, count tokens, JSON-schema-constrained generation, engine/hardware info.
import os from 'node:os';
import type { z } from 'zod';
import type { ChatModelFunctions, ChatWrapper, GgufInsights, Llama, LlamaContext, LlamaModel, TokenPredictor } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';
import { fitToContext } from '../../common/inference/context-window';
import type {
  ChatMessage,
  EngineInfo,
  EngineMessage,
  FimSupport,
  GenerateEvent,
  GenerateResult,
  LoadedModel,
  Usage,
} from '../../common/inference/engine';
import type { FitEstimate, ModelMetadata } from '../../common/inference/models';
import {
  CompleteParamsSchema,
  CountTokensParamsSchema,
  FimSupportParamsSchema,
  InfillParamsSchema,
  InspectParamsSchema,
  GenerateJsonParamsSchema,
  GenerateParamsSchema,
  LoadOptionsSchema,
  ResetThreadParamsSchema,
  TokenizeParamsSchema,
  UnloadParamsSchema,
} from '../../common/inference/engine';
import { estimateFit } from './fit';
import { inspectGguf } from './gguf-file';
import { nodeLlamaCpp, type NodeLlamaCpp } from './llama-module';
import { loadFailure, parseParams } from './load-errors';
import { runChatTurn } from './chat-turn';
import { CompletionPool, runCompletion } from './completions';
import { buildFimPrompt, findFimTokens, fimStopTexts, fimSupported, type FimTokens } from './fim';
import { planTurn } from './tools';
import { chooseChatWrapper, renderPromptTokens, toChatHistory } from './prompt';
import { SessionPool } from './sessions';
import { cachedOrProbe, defaultProbeCacheFile, machineKey, type ThreadProbeResult } from './threads';

export interface EngineOptions {
  /** Where the per-machine thread probe is cached. */
  cacheDir: string;
  gpu?: 'auto' | 'cuda' | 'vulkan' | 'metal' | false;
  /** 'auto' context size never exceeds this (KV memory grows linearly; 8k covers chat on small machines). */
  maxAutoContext?: number;
  /** Skip measuring and use this many threads (EVOLVE_INFERENCE_THREADS). */
  threadsOverride?: number;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

interface Loaded {
  info: LoadedModel;
  model: LlamaModel;
  context: LlamaContext;
  pool: SessionPool;
  jsonPool: SessionPool | undefined;
  completions: CompletionPool;
  fim: FimTokens;
  wrapper: ChatWrapper;
  draft?: { model: LlamaModel; context: LlamaContext };
}

const JSON_THREAD = '\u0000json';

export class InferenceEngine {
  private readonly models = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<LoadedModel>>();
  private threads: number | null = null;
  private probe: (ThreadProbeResult & { cached: boolean }) | null = null;

  private constructor(
    private readonly nlc: NodeLlamaCpp,
    private readonly llama: Llama,
    private readonly opts: EngineOptions,
  ) {}

  static async create(opts: EngineOptions): Promise<InferenceEngine> {
    const nlc = await nodeLlamaCpp();
    // build: 'never' — offline machines must use the prebuilt binaries and never try to fetch/compile llama.cpp.
    const llama = await nlc.getLlama({
      gpu: opts.gpu ?? 'auto',
      build: 'never',
      logLevel: nlc.LlamaLogLevel.error,
      logger: (level, message) => opts.log?.('warn', `llama.cpp ${level}: ${message.trimEnd()}`),
    });
    const engine = new InferenceEngine(nlc, llama, opts);
    if (opts.threadsOverride) engine.threads = opts.threadsOverride;
    return engine;
  }

  async info(): Promise<EngineInfo> {
    const vram = await this.llama.getVramState();
    const gpu = this.llama.gpu;
    return {
      backend: gpu === false ? 'cpu' : gpu,
      gpuDevices: await this.llama.getGpuDeviceNames(),
      vram: { total: vram.total, used: vram.used, free: vram.free },
      ram: { total: os.totalmem(), free: os.freemem() },
      cpuCores: os.availableParallelism(),
      threads: this.threads,
      threadProbe: this.probe ? { results: this.probe.results, chosen: this.probe.chosen, cached: this.probe.cached } : null,
      llamaCppRelease: this.llama.llamaCppRelease.release,
      nodeLlamaCppVersion: await this.nlc.getModuleVersion(),
    };
  }

  /** Metadata of a GGUF plus how it would fit here (GPU layers, context size, memory), without loading it. */
  async inspect(raw: unknown): Promise<{ metadata: ModelMetadata; fit: FitEstimate }> {
    const p = parseParams(InspectParamsSchema, raw, 'inspect');
    const { metadata, info } = await inspectGguf(p.path);
    const insights = await this.nlc.GgufInsights.from(info, this.llama);
    const fit = await estimateFit(insights, this.llama, {
      gpuLayers: p.gpuLayers,
      contextSize: p.contextSize,
      maxAutoContext: this.opts.maxAutoContext ?? 8192,
    });
    return { metadata, fit };
  }

  listLoaded(): { models: LoadedModel[] } {
    return { models: [...this.models.values()].map((m) => m.info) };
  }

  async load(raw: unknown): Promise<LoadedModel> {
    const p = parseParams(LoadOptionsSchema, raw, 'load');
    const modelId = p.modelId ?? p.path;
    // Two loads of the same id at once (double click, two windows) share one load instead of racing.
    const inflight = this.loading.get(modelId);
    if (inflight)
      return inflight.then((m) => {
        if (m.path !== p.path) throw new EvolveError('CONFLICT', `Model id ${modelId} is already loaded from ${m.path}`);
        return m;
      });
    const promise = this.loadNow(p, modelId).finally(() => this.loading.delete(modelId));
    this.loading.set(modelId, promise);
    return promise;
  }

  private async loadNow(p: z.output<typeof LoadOptionsSchema>, modelId: string): Promise<LoadedModel> {
    const existing = this.models.get(modelId);
    if (existing) {
      if (existing.info.path === p.path) return existing.info; // keep warm: loading twice is a no-op
      throw new EvolveError('CONFLICT', `Model id ${modelId} is already loaded from ${existing.info.path}`);
    }
    const started = performance.now();
    const { metadata, info } = await inspectGguf(p.path);
    const insights = await this.nlc.GgufInsights.from(info, this.llama);
    if (!insights.isSupportedByLlamaCpp) {
      throw new EvolveError('INVALID_ARGUMENT', `Architecture "${metadata.architecture}" is not supported by this llama.cpp build`);
    }
    let model: LlamaModel;
    try {
      model = await this.llama.loadModel({ modelPath: p.path, gpuLayers: p.gpuLayers });
    } catch (e) {
      throw await loadFailure(e, { stage: 'model', path: p.path, insights, requested: p });
    }
    try {
      if (typeof p.contextSize === 'number') {
        await this.precheckContext(insights, p.contextSize, model.gpuLayers, p.sequences + 1).catch(async (e: unknown) => {
          throw await loadFailure(e, { stage: 'context', path: p.path, insights, requested: p, gpuLayers: model.gpuLayers });
        });
      }
      const threads = await this.ensureThreads(model);
      const maxAuto = this.opts.maxAutoContext ?? 8192;
      // +1: a sequence reserved for generate-json so it never evicts a chat thread; then the completion/FIM ones.
      const sequences = p.sequences + 1 + p.completionSequences;
      let context: LlamaContext;
      try {
        context = await model.createContext({
          contextSize: p.contextSize === 'auto' ? { max: Math.min(maxAuto, insights.trainContextSize ?? maxAuto) } : p.contextSize,
          sequences,
          threads,
        });
      } catch (e) {
        throw await loadFailure(e, { stage: 'context', path: p.path, insights, requested: p, gpuLayers: model.gpuLayers });
      }
      let draft: Loaded['draft'];
      try {
        draft = p.draftPath ? await this.loadDraft(model, p.draftPath, p.gpuLayers, context.contextSize, sequences, threads) : undefined;
      } catch (e) {
        await context.dispose();
        throw e;
      }
      const chosen = chooseChatWrapper(this.nlc, model, metadata.hasChatTemplate);
      const predictor = draft
        ? this.draftPredictor(draft.context)
        : p.speculative
          ? () => new this.nlc.InputLookupTokenPredictor()
          : undefined;
      const pool = new SessionPool(this.nlc, context, chosen.wrapper, predictor, p.sequences);
      const infill = model.tokens.infill;
      const fim = findFimTokens(model, { prefix: infill.prefix, suffix: infill.suffix, middle: infill.middle });
      const loadedInfo: LoadedModel = {
        modelId,
        path: p.path,
        contextSize: context.contextSize,
        gpuLayers: model.gpuLayers,
        totalLayers: insights.totalLayers,
        sequences: p.sequences,
        threads,
        speculative: p.speculative || draft !== undefined,
        promptFormat: chosen.format,
        chatWrapper: chosen.name,
        sizeBytes: metadata.sizeBytes,
        loadMs: performance.now() - started,
        fim: fimSupported(fim),
        ...(draft ? { draftModelId: p.draftModelId ?? p.draftPath } : {}),
      };
      this.models.set(modelId, {
        info: loadedInfo,
        model,
        context,
        pool,
        jsonPool: new SessionPool(this.nlc, context, chosen.wrapper, undefined, 1),
        completions: new CompletionPool(this.nlc, context, predictor, p.completionSequences),
        fim,
        wrapper: chosen.wrapper,
        draft,
      });
      return loadedInfo;
    } catch (e) {
      await model.dispose();
      throw e;
    }
  }

  async unload(raw: unknown): Promise<{ unloaded: boolean }> {
    const { modelId } = parseParams(UnloadParamsSchema, raw, 'unload');
    const m = this.models.get(modelId);
    if (!m) return { unloaded: false };
    if (m.pool.busy || m.jsonPool?.busy || m.completions.busy)
      throw new EvolveError('CONFLICT', `Model ${modelId} is generating; stop it before unloading`);
    this.models.delete(modelId);
    m.pool.disposeAll();
    m.jsonPool?.disposeAll();
    m.completions.disposeAll();
    await m.context.dispose();
    await m.model.dispose();
    if (m.draft) {
      await m.draft.context.dispose();
      await m.draft.model.dispose();
    }
    return { unloaded: true };
  }

  resetThread(raw: unknown): { reset: boolean } {
    const { modelId, threadId } = parseParams(ResetThreadParamsSchema, raw, 'reset-thread');
    return { reset: this.get(modelId).pool.reset(threadId) };
  }

  tokenize(raw: unknown): { tokens: number[] } {
    const { modelId, text } = parseParams(TokenizeParamsSchema, raw, 'tokenize');
    return { tokens: [...this.get(modelId).model.tokenize(text)] };
  }

  countTokens(raw: unknown): { count: number; contextSize: number } {
    const p = parseParams(CountTokensParamsSchema, raw, 'count-tokens');
    const m = this.get(p.modelId);
    if ((p.text === undefined) === (p.messages === undefined))
      throw new EvolveError('INVALID_ARGUMENT', 'count-tokens takes either text or messages');
    const count = p.text !== undefined ? m.model.tokenize(p.text).length : this.countMessages(m, p.messages ?? []);
    return { count, contextSize: m.context.contextSize };
  }

  /** One chat turn on `threadId`: streams token events, returns text, stop reason and usage. */
  async generate(raw: unknown, signal: AbortSignal, emit: (e: GenerateEvent) => void): Promise<GenerateResult> {
    const p = parseParams(GenerateParamsSchema, raw, 'generate');
    const m = this.get(p.modelId);
    const sampling = p.sampling;
    const plan = await planTurn(this.llama, p);
    const fit = fitToContext({
      messages: p.messages,
      contextSize: m.context.contextSize,
      maxTokens: sampling.maxTokens,
      policy: p.overflow,
      countTokens: (msgs) => this.countMessages(m, msgs, plan.documented),
    });
    const truncation = fit.droppedMessages.length ? { droppedMessages: fit.droppedMessages, droppedTokens: fit.droppedTokens } : undefined;
    if (truncation) emit({ type: 'truncated', ...truncation });
    const session = await m.pool.acquire(p.threadId);
    try {
      const r = await runChatTurn(
        m.model,
        session.chat,
        fit.messages,
        fit.promptTokens,
        sampling,
        signal,
        (t) => emit({ type: 'token', text: t }),
        plan,
      );
      return { ...r, ...(truncation ? { truncation } : {}) };
    } finally {
      m.pool.release(session);
    }
  }

  /** Generation constrained by a JSON schema grammar; returns the parsed value. */
  async generateJson(raw: unknown, signal: AbortSignal): Promise<{ value: unknown; text: string; usage: Usage }> {
    const p = parseParams(GenerateJsonParamsSchema, raw, 'generate-json');
    const m = this.get(p.modelId);
    let grammar;
    try {
      grammar = await this.llama.createGrammarForJsonSchema(p.schema as never);
    } catch (e) {
      throw new EvolveError('INVALID_ARGUMENT', `Unsupported JSON schema: ${e instanceof Error ? e.message : String(e)}`);
    }
    const messages: ChatMessage[] = [{ role: 'user', content: p.prompt }];
    const fit = fitToContext({
      messages,
      contextSize: m.context.contextSize,
      maxTokens: p.sampling.maxTokens,
      policy: 'error',
      countTokens: (msgs) => this.countMessages(m, msgs),
    });
    const pool = m.jsonPool ?? m.pool;
    const session = await pool.acquire(JSON_THREAD);
    try {
      const r = await runChatTurn(m.model, session.chat, fit.messages, fit.promptTokens, p.sampling, signal, () => {}, {
        grammar,
        forcedCall: false,
      });
      if (r.stopReason === 'cancelled') throw new EvolveError('CANCELLED', 'Cancelled');
      try {
        return { value: grammar.parse(r.text), text: r.text, usage: r.usage };
      } catch (e) {
        // Only possible when max tokens cut the JSON short: say so instead of returning half a value.
        throw new EvolveError('RESOURCE_EXHAUSTED', `The JSON output was cut off (stop: ${r.stopReason}); raise max tokens`, {
          text: r.text,
          cause: String(e),
        });
      }
    } finally {
      pool.release(session);
    }
  }

  private countMessages(m: Loaded, messages: readonly EngineMessage[], functions?: ChatModelFunctions): number {
    const last = messages[messages.length - 1];
    const history = toChatHistory(
      last && (last.role === 'user' || last.role === 'tool') ? messages : [...messages, { role: 'user', content: '' }],
    );
    return renderPromptTokens(m.wrapper, m.model, history, functions).length;
  }

  /** Raw completion on the KV sequence `sequenceKey`: no template; special tokens in the prompt are parsed. */
  async complete(raw: unknown, signal: AbortSignal, emit: (e: GenerateEvent) => void): Promise<GenerateResult> {
    const p = parseParams(CompleteParamsSchema, raw, 'complete');
    const m = this.get(p.modelId);
    const tokens = [...m.model.tokenize(p.prompt, true)];
    if (tokens.length === 0) throw new EvolveError('INVALID_ARGUMENT', 'The prompt is empty');
    return m.completions.run(p.sequenceKey, (slot) =>
      runCompletion({
        nlc: this.nlc,
        model: m.model,
        slot,
        tokens,
        sampling: p.sampling,
        signal,
        onText: (t) => emit({ type: 'token', text: t }),
      }),
    );
  }

  /** Fill-in-the-middle with the model's own FIM tokens on the KV sequence `sequenceKey`. */
  async infill(raw: unknown, signal: AbortSignal, emit: (e: GenerateEvent) => void): Promise<GenerateResult> {
    const p = parseParams(InfillParamsSchema, raw, 'infill');
    const m = this.get(p.modelId);
    if (!fimSupported(m.fim))
      throw new EvolveError('INVALID_ARGUMENT', `Model ${p.modelId} has no fill-in-the-middle tokens`, { reason: 'no-fim' });
    const prompt = buildFimPrompt(m.model, m.fim, {
      prefix: p.prefix,
      suffix: p.suffix,
      path: p.path,
      extra: p.extra,
      repoName: p.repoName,
      ...p.window,
    });
    const stopTokens = fimStopTexts(m.fim).flatMap((t) => [...m.model.tokenize(t, true)]);
    return m.completions.run(p.sequenceKey, (slot) =>
      runCompletion({
        nlc: this.nlc,
        model: m.model,
        slot,
        tokens: prompt.tokens,
        sampling: p.sampling,
        signal,
        onText: (t) => emit({ type: 'token', text: t }),
        stopTokens,
      }),
    );
  }

  fimSupport(raw: unknown): FimSupport {
    const { modelId } = parseParams(FimSupportParamsSchema, raw, 'fim-support');
    const m = this.get(modelId);
    const tokens: Record<string, string> = {};
    for (const [role, text] of Object.entries(m.fim.text)) if (text !== undefined) tokens[role] = text;
    return { supported: fimSupported(m.fim), tokens };
  }

  /** Loads the draft model for speculative decoding; it must share the target's tokenizer. */
  private async loadDraft(
    target: LlamaModel,
    path: string,
    gpuLayers: z.output<typeof LoadOptionsSchema>['gpuLayers'],
    contextSize: number,
    sequences: number,
    threads: number,
  ): Promise<{ model: LlamaModel; context: LlamaContext }> {
    const { info } = await inspectGguf(path);
    const insights = await this.nlc.GgufInsights.from(info, this.llama);
    let model: LlamaModel;
    try {
      model = await this.llama.loadModel({ modelPath: path, gpuLayers });
    } catch (e) {
      throw await loadFailure(e, { stage: 'model', path, insights, requested: { gpuLayers, contextSize } });
    }
    const probe = 'def f(x):\n    return x  # ünïcode 123 <|endoftext|>';
    const same = model.tokens.eos === target.tokens.eos && model.tokenize(probe, true).join(',') === target.tokenize(probe, true).join(',');
    if (!same) {
      await model.dispose();
      throw new EvolveError('INVALID_ARGUMENT', `Draft model ${path} does not share the target model's tokenizer`);
    }
    try {
      return { model, context: await model.createContext({ contextSize, sequences, threads }) };
    } catch (e) {
      await model.dispose();
      throw await loadFailure(e, { stage: 'context', path, insights, requested: { gpuLayers, contextSize } });
    }
  }

  /** One draft sequence per target sequence; it is released with the predictor (node-llama-cpp leaves it open). */
  private draftPredictor(draftContext: LlamaContext): () => TokenPredictor {
    return () => {
      const seq = draftContext.getSequence();
      const predictor = new this.nlc.DraftSequenceTokenPredictor(seq, { minTokens: 0, maxTokens: 8, minConfidence: 0.6 });
      const dispose = predictor.dispose.bind(predictor);
      predictor.dispose = () => {
        dispose();
        seq.dispose();
      };
      return predictor;
    };
  }

  private get(modelId: string): Loaded {
    const m = this.models.get(modelId);
    if (!m) throw new EvolveError('NOT_FOUND', `Model ${modelId} is not loaded`);
    return m;
  }

  /**
   * node-llama-cpp's own check for an absurd context size takes tens of seconds (it searches for a fit);
   * the closed-form estimate answers "this can never fit" instantly.
   */
  private async precheckContext(insights: GgufInsights, contextSize: number, gpuLayers: number, sequences: number): Promise<void> {
    const est = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: gpuLayers, sequences });
    const vram = await this.llama.getVramState();
    if (est.cpuRam > os.totalmem() || (gpuLayers > 0 && est.gpuVram > vram.total)) {
      const e = new Error(
        `A context size of ${contextSize} needs about ${Math.round(est.cpuRam / 2 ** 20)} MiB RAM / ${Math.round(est.gpuVram / 2 ** 20)} MiB VRAM, more than this machine has`,
      );
      e.name = 'InsufficientMemoryError';
      throw e;
    }
  }

  private async ensureThreads(model: LlamaModel): Promise<number> {
    if (this.threads !== null) return this.threads;
    const file = defaultProbeCacheFile(this.opts.cacheDir);
    const gpu = this.llama.gpu;
    const key = machineKey(gpu === false ? 'cpu' : gpu, this.llama.llamaCppRelease.release);
    this.probe = await cachedOrProbe(model, file, key, (m) => this.opts.log?.('warn', m));
    this.threads = this.probe.chosen;
    return this.threads;
  }

  async dispose(): Promise<void> {
    for (const id of [...this.models.keys()]) await this.unload({ modelId: id });
    await this.llama.dispose();
  }
}
