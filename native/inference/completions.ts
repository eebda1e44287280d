// Raw completions (no chat template) on named KV sequences: one warm sequence per client/file, bounded with
// least-recently-used eviction, so a prompt that shares a prefix with the last one only evaluates the rest.
import type { LlamaCompletion, LlamaContext, LlamaContextSequence, LlamaModel, Token, TokenPredictor } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';
import { SamplingSettingsSchema, type GenerateResult, type StopReason } from '../../common/inference/engine';
import type { NodeLlamaCpp } from './llama-module';
import { sequenceFreed } from './sequence-freed';

export interface CompletionSlot {
  key: string;
  completion: LlamaCompletion;
  sequence: LlamaContextSequence;
  /** Settles when the request running on this slot ends; the next request for the key waits for it. */
  running: Promise<unknown> | undefined;
  lastUsed: number;
}

export class CompletionPool {
  private readonly slots = new Map<string, CompletionSlot>();

  constructor(
    private readonly nlc: NodeLlamaCpp,
    private readonly context: LlamaContext,
    private readonly makePredictor: (() => TokenPredictor) | undefined,
    private readonly maxSlots: number,
  ) {}

  get busy(): boolean {
    for (const s of this.slots.values()) if (s.running) return true;
    return false;
  }

  /**
   * Runs `fn` on the slot for `key`. Requests for one key run one after another (an editor fires a new
   * autocomplete request before the cancelled one has unwound); other keys run side by side.
   */
  async run<T>(key: string, fn: (slot: CompletionSlot) => Promise<T>): Promise<T> {
    if (this.maxSlots === 0) throw new EvolveError('UNAVAILABLE', 'This model was loaded without completion sequences');
    let slot = this.slots.get(key);
    while (slot?.running) {
      await slot.running.catch(() => undefined);
      slot = this.slots.get(key); // it may have been evicted or disposed meanwhile
    }
    if (!slot && (this.slots.size >= this.maxSlots || this.context.sequencesLeft === 0)) {
      this.evictOne();
      await sequenceFreed(this.context, 'a completion');
      slot = this.slots.get(key); // another request for this key may have created it meanwhile
      if (slot) return this.run(key, fn);
    }
    if (!slot) {
      const predictor = this.makePredictor?.();
      const sequence = this.context.getSequence(predictor ? { tokenPredictor: predictor } : {});
      slot = {
        key,
        completion: new this.nlc.LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: true }),
        sequence,
        running: undefined,
        lastUsed: 0,
      };
      this.slots.set(key, slot);
    }
    const s = slot;
    const p = fn(s);
    s.running = p;
    s.lastUsed = performance.now();
    try {
      return await p;
    } finally {
      s.running = undefined;
      s.lastUsed = performance.now();
    }
  }

  private evictOne(): void {
    let victim: CompletionSlot | undefined;
    for (const s of this.slots.values()) if (!s.running && (!victim || s.lastUsed < victim.lastUsed)) victim = s;
    if (!victim) throw new EvolveError('RESOURCE_EXHAUSTED', 'All completion sequences of this model are busy; retry when one finishes');
    this.slots.delete(victim.key);
    victim.completion.dispose({ disposeSequence: true });
  }

  disposeAll(): void {
    for (const s of this.slots.values()) s.completion.dispose({ disposeSequence: true });
    this.slots.clear();
  }
}

export interface CompletionRun {
  model: LlamaModel;
  slot: CompletionSlot;
  /** The exact prompt tokens (special tokens already parsed); BOS is added by node-llama-cpp when the model wants it. */
  tokens: Token[];
  sampling: unknown;
  signal: AbortSignal;
  onText: (t: string) => void;
  /** Special-token stops beyond EOS (FIM: <|fim_pad|>, <|file_sep|> …); hitting one is an 'eos' stop. */
  stopTokens?: readonly Token[];
  nlc: NodeLlamaCpp;
}

/** Generates from `tokens` on the slot's sequence, measuring how much of the prompt the KV cache already had. */
export async function runCompletion(r: CompletionRun): Promise<GenerateResult> {
  const sampling = SamplingSettingsSchema.parse(r.sampling);
  const { sequence, completion } = r.slot;
  const bos = r.model.tokens.shouldPrependBosToken ? r.model.tokens.bos : null;
  const full = bos !== null && r.tokens[0] !== bos ? [bos, ...r.tokens] : r.tokens;
  const contextSize = sequence.context.contextSize;
  if (full.length + sampling.maxTokens > contextSize) {
    throw new EvolveError(
      'RESOURCE_EXHAUSTED',
      `The prompt does not fit the context window: ${full.length} prompt tokens + ${sampling.maxTokens} max new tokens > ${contextSize}. Shorten the prompt or lower max tokens.`,
      { promptTokens: full.length, maxTokens: sampling.maxTokens, contextSize },
    );
  }
  // node-llama-cpp always evaluates at least the last prompt token to get logits for the first new one.
  const reused = Math.min(sequence.compareContextTokens(full).firstDifferentIndex, full.length - 1);
  const stopTokenSet = new Set(r.stopTokens ?? []);
  const triggers = [
    ...(sampling.stop ?? []),
    ...[...stopTokenSet].map((t) => r.nlc.LlamaText(new r.nlc.SpecialTokensText(r.model.detokenize([t], true)))),
  ];
  const predictionsBefore = sequence.tokenPredictions.used;
  const t0 = performance.now();
  let tFirst: number | undefined;
  let completionTokens = 0;
  let res;
  try {
    if (!(await prefill(sequence, full, reused, r.signal))) return cancelled(full.length, reused, t0);
    // LlamaCompletion prepends BOS itself when the model wants one: hand it the prompt without it.
    res = await completion.generateCompletionWithMeta(bos !== null ? full.slice(1) : full, {
      signal: r.signal,
      stopOnAbortSignal: true,
      maxTokens: sampling.maxTokens,
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      minP: sampling.minP,
      seed: sampling.seed,
      repeatPenalty: sampling.repeatPenalty ? { penalty: sampling.repeatPenalty } : false,
      customStopTriggers: triggers.length ? triggers : undefined,
      // We checked the fit; never let node-llama-cpp silently drop the start of the prompt.
      disableContextShift: true,
      onToken: (tokens: Token[]) => {
        tFirst ??= performance.now();
        completionTokens += tokens.length;
      },
      onTextChunk: (t: string) => {
        if (t) r.onText(t);
      },
    });
  } catch (e) {
    // Aborted before the first token (while evaluating the prompt): a cancel, not a failure.
    if (r.signal.aborted) return cancelled(full.length, reused, t0);
    throw e;
  }
  const tEnd = performance.now();
  const ttft = (tFirst ?? tEnd) - t0;
  const evaluated = full.length - reused;
  const genMs = tEnd - (tFirst ?? tEnd);
  return {
    text: res.response,
    stopReason: mapStop(res.metadata, stopTokenSet),
    usage: {
      promptTokens: full.length,
      evaluatedPromptTokens: evaluated,
      completionTokens,
      timeToFirstTokenMs: ttft,
      promptTokensPerSecond: ttft > 0 ? (evaluated / ttft) * 1000 : 0,
      generationTokensPerSecond: genMs > 0 && completionTokens > 1 ? ((completionTokens - 1) / genMs) * 1000 : 0,
      totalMs: tEnd - t0,
      acceptedDraftTokens: sequence.tokenPredictions.used - predictionsBefore,
    },
  };
}

/** Prompt tokens evaluated per batch before generation: the signal is checked between batches. */
export const PREFILL_CHUNK = 128;

/**
 * Evaluates the new part of the prompt (all but its last token) in chunks, checking the signal between them:
 * llama.cpp cannot stop inside a batch, so one big batch on a slow CPU would make cancel wait for the whole
 * prompt (measured: 225 s for a 700-token prompt on an overloaded 2-core runner). Generation then finds the
 * prompt in the KV cache. Returns false when cancelled.
 */
async function prefill(sequence: LlamaContextSequence, full: Token[], reused: number, signal: AbortSignal): Promise<boolean> {
  if (sequence.nextTokenIndex > reused) await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
  for (let i = reused; i < full.length - 1; i += PREFILL_CHUNK) {
    if (signal.aborted) return false;
    await sequence.evaluateWithoutGeneratingNewTokens(full.slice(i, Math.min(i + PREFILL_CHUNK, full.length - 1)));
  }
  return !signal.aborted;
}

function cancelled(promptTokens: number, reused: number, t0: number): GenerateResult {
  const ms = performance.now() - t0;
  return {
    text: '',
    stopReason: 'cancelled',
    usage: {
      promptTokens,
      evaluatedPromptTokens: promptTokens - reused,
      completionTokens: 0,
      timeToFirstTokenMs: ms,
      promptTokensPerSecond: 0,
      generationTokensPerSecond: 0,
      totalMs: ms,
      acceptedDraftTokens: 0,
    },
  };
}

type CompletionMeta = { stopReason: string; customStopTrigger?: readonly (string | Token)[] };

function mapStop(meta: CompletionMeta, stopTokens: ReadonlySet<Token>): StopReason {
  if (meta.stopReason === 'eogToken') return 'eos';
  if (meta.stopReason === 'maxTokens') return 'max-tokens';
  if (meta.stopReason === 'abort') return 'cancelled';
  const trig = meta.customStopTrigger;
  if (trig && trig.length === 1 && typeof trig[0] === 'number' && stopTokens.has(trig[0])) return 'eos';
  return 'stop-sequence';
}
