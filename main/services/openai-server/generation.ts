// Runs one engine generation for a route: server-side stop strings, text streamed to a callback, the client's
// disconnect cancelling the engine, and the engine's stop reason mapped onto OpenAI finish reasons.
import type { GenerateResult, ToolCall, Usage } from '../../../common/inference/engine';
import { EvolveError } from '../../../common/errors';
import { StopMatcher } from './stop-matcher';

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface Outcome {
  text: string;
  finish: FinishReason;
  usage: Usage;
  toolCalls: ToolCall[];
  /** The client went away: nothing more is sent. */
  cancelled: boolean;
}

export type StartGeneration = (onToken: (text: string) => void, signal: AbortSignal) => Promise<GenerateResult>;

export async function runGeneration(
  start: StartGeneration,
  o: { stops: readonly string[]; signal: AbortSignal; onText?: (text: string) => void },
): Promise<Outcome> {
  const ac = new AbortController();
  const onClientGone = () => ac.abort();
  if (o.signal.aborted) ac.abort();
  o.signal.addEventListener('abort', onClientGone, { once: true });
  const matcher = new StopMatcher(o.stops);
  let streamed = '';
  const emit = (t: string) => {
    if (!t) return;
    streamed += t;
    o.onText?.(t);
  };
  try {
    const r = await start((t) => {
      emit(matcher.push(t));
      // A stop the engine was not told about (past its 16): end the generation here.
      if (matcher.stopped && !ac.signal.aborted) ac.abort();
    }, ac.signal);
    if (!matcher.stopped) {
      emit(matcher.flush());
      // Text the engine kept back from its token events (e.g. a held stop-prefix it released at the end).
      if (r.text.startsWith(streamed) && r.text.length > streamed.length)
        emit(matcher.push(r.text.slice(streamed.length)) + matcher.flush());
    }
    const toolCalls = r.toolCalls ?? [];
    const finish: FinishReason =
      r.stopReason === 'tool-calls' || toolCalls.length > 0
        ? 'tool_calls'
        : r.stopReason === 'max-tokens' && !matcher.stopped
          ? 'length'
          : 'stop';
    return { text: streamed, finish, usage: r.usage, toolCalls, cancelled: o.signal.aborted };
  } finally {
    o.signal.removeEventListener('abort', onClientGone);
  }
}

export function usageJson(u: Usage): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.promptTokens + u.completionTokens };
}

/**
 * Runs with the client's max tokens, or — when the client set none (OpenAI: "until the context is full") — with
 * `fallback`, retried once with exactly the room left when the engine says prompt + fallback does not fit.
 */
export async function runFitted(
  make: (maxTokens: number) => StartGeneration,
  requested: number | undefined,
  fallback: number,
  o: Parameters<typeof runGeneration>[1],
): Promise<Outcome> {
  try {
    return await runGeneration(make(requested ?? fallback), o);
  } catch (e) {
    const d = (e instanceof EvolveError && e.code === 'RESOURCE_EXHAUSTED' ? e.details : undefined) as
      { promptTokens?: unknown; contextSize?: unknown } | undefined;
    if (requested !== undefined || typeof d?.promptTokens !== 'number' || typeof d.contextSize !== 'number') throw e;
    const room = d.contextSize - d.promptTokens;
    if (room < 16) throw e;
    return runGeneration(make(Math.min(room, fallback)), o);
  }
}
