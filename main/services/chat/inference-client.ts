// Typed client for the inference worker: what main's chat/model services call. Validates every worker answer with
// zod (the worker is another process: its output is input here) and turns stream events into callbacks.
import { z } from 'zod';
import {
  CountTokensResultSchema,
  EngineInfoSchema,
  FimSupportSchema,
  GenerateEventSchema,
  GenerateJsonResultSchema,
  GenerateResultSchema,
  ListLoadedResultSchema,
  LoadedModelSchema,
  TokenizeResultSchema,
  type CompleteParams,
  type EngineInfo,
  type EngineMessage,
  type FimSupport,
  type GenerateEvent,
  type GenerateJsonParams,
  type GenerateJsonResult,
  type GenerateParams,
  type GenerateResult,
  type InfillParams,
  type InspectParams,
  type LoadedModel,
  type LoadOptions,
} from '../../../common/inference/engine';
import { FitEstimateSchema, ModelMetadataSchema, type FitEstimate, type ModelMetadata } from '../../../common/inference/models';
import { EvolveError } from '../../../common/errors';
import type { CrashInfo, WorkerSupervisor } from '../../supervisors/worker-supervisor';

export interface GenerateCallbacks {
  signal?: AbortSignal;
  onToken?: (text: string) => void;
  /** The caller opted into truncation and older messages were left out: show it in the UI. */
  onTruncated?: (notice: { droppedMessages: number[]; droppedTokens: number }) => void;
}

export class LocalInferenceClient {
  constructor(private readonly sup: WorkerSupervisor) {}

  onCrash(cb: (c: CrashInfo) => void): () => void {
    return this.sup.onCrash(cb);
  }

  async info(): Promise<EngineInfo> {
    return parse(EngineInfoSchema, await this.sup.request('info', {}), 'info');
  }

  async inspect(params: InspectParams): Promise<{ metadata: ModelMetadata; fit: FitEstimate }> {
    return parse(z.object({ metadata: ModelMetadataSchema, fit: FitEstimateSchema }), await this.sup.request('inspect', params), 'inspect');
  }

  async load(opts: LoadOptions, signal?: AbortSignal): Promise<LoadedModel> {
    return parse(LoadedModelSchema, await this.sup.request('load', opts, { signal }), 'load');
  }

  async unload(modelId: string): Promise<boolean> {
    return parse(z.object({ unloaded: z.boolean() }), await this.sup.request('unload', { modelId }), 'unload').unloaded;
  }

  async listLoaded(): Promise<LoadedModel[]> {
    return parse(ListLoadedResultSchema, await this.sup.request('list-loaded', {}), 'list-loaded').models;
  }

  /** Drops a thread's KV cache (e.g. after edit-and-resend rewrote history far back; reuse is automatic otherwise). */
  async resetThread(modelId: string, threadId: string): Promise<boolean> {
    return parse(z.object({ reset: z.boolean() }), await this.sup.request('reset-thread', { modelId, threadId }), 'reset-thread').reset;
  }

  async tokenize(modelId: string, text: string): Promise<number[]> {
    return parse(TokenizeResultSchema, await this.sup.request('tokenize', { modelId, text }), 'tokenize').tokens;
  }

  async countTokens(
    modelId: string,
    input: { text: string } | { messages: EngineMessage[] },
  ): Promise<{ count: number; contextSize?: number }> {
    return parse(CountTokensResultSchema, await this.sup.request('count-tokens', { modelId, ...input }), 'count-tokens');
  }

  /** One streamed chat turn. Cancelling via `signal` resolves with stopReason 'cancelled' and the partial text. */
  async generate(params: GenerateParams, cb: GenerateCallbacks = {}): Promise<GenerateResult> {
    const raw = await this.sup.request('generate', params, {
      signal: cb.signal,
      onEvent: (data) => {
        const e = GenerateEventSchema.safeParse(data);
        if (!e.success) return; // a malformed event is dropped; the final result still carries the full text
        if (e.data.type === 'token') cb.onToken?.(e.data.text);
        else cb.onTruncated?.({ droppedMessages: e.data.droppedMessages, droppedTokens: e.data.droppedTokens });
      },
    });
    return parse(GenerateResultSchema, raw, 'generate');
  }

  /**
   * Raw text completion on the KV sequence `sequenceKey` (no chat template): the part of the prompt shared with
   * what that sequence already evaluated is reused (usage.evaluatedPromptTokens shows how much was not).
   */
  async complete(params: CompleteParams, onEvent: (e: GenerateEvent) => void, signal?: AbortSignal): Promise<GenerateResult> {
    return this.streamed('complete', params, onEvent, signal);
  }

  /** Fill-in-the-middle with the model's FIM tokens; INVALID_ARGUMENT (details.reason 'no-fim') without them. */
  async infill(params: InfillParams, onEvent: (e: GenerateEvent) => void, signal?: AbortSignal): Promise<GenerateResult> {
    return this.streamed('infill', params, onEvent, signal);
  }

  /** Whether a loaded model can do FIM, and the text of each FIM token it has. */
  async fimSupport(modelId: string): Promise<FimSupport> {
    return parse(FimSupportSchema, await this.sup.request('fim-support', { modelId }), 'fim-support');
  }

  async generateJson(params: GenerateJsonParams, signal?: AbortSignal): Promise<GenerateJsonResult> {
    return parse(GenerateJsonResultSchema, await this.sup.request('generate-json', params, { signal }), 'generate-json');
  }

  private async streamed(
    method: string,
    params: unknown,
    onEvent: (e: GenerateEvent) => void,
    signal?: AbortSignal,
  ): Promise<GenerateResult> {
    const raw = await this.sup.request(method, params, {
      signal,
      onEvent: (data) => {
        const e = GenerateEventSchema.safeParse(data);
        if (e.success) onEvent(e.data); // a malformed event is dropped; the final result still carries the full text
      },
    });
    return parse(GenerateResultSchema, raw, method);
  }
}

function parse<S extends z.ZodType>(schema: S, raw: unknown, method: string): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success)
    throw new EvolveError('INTERNAL', `inference.${method} returned an unexpected shape`, { issues: r.error.issues.slice(0, 5) });
  return r.data;
}
