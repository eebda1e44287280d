// Context-window accounting: does prompt + max tokens fit? If not, a typed error or (opt-in) a visible
// truncation of the oldest messages. Never silent (Ollama's silent 2048 cut is what users complain about).
import { EvolveError } from '../errors';
import type { EngineMessage } from './engine';

export interface FitInput<M extends EngineMessage = EngineMessage> {
  messages: readonly M[];
  contextSize: number;
  maxTokens: number;
  policy: 'error' | 'truncate-oldest';
  /** Tokens of the rendered prompt for these messages (the model's own prompt format). */
  countTokens(messages: readonly M[]): number;
}

export interface FitOutput<M extends EngineMessage = EngineMessage> {
  messages: M[];
  promptTokens: number;
  /** Indexes (into the input) of the messages left out, oldest first; empty when nothing was dropped. */
  droppedMessages: number[];
  droppedTokens: number;
}

export function overflowError(promptTokens: number, maxTokens: number, contextSize: number): EvolveError {
  const over = promptTokens + maxTokens - contextSize;
  const suggestion =
    promptTokens >= contextSize
      ? 'Start a new thread or shorten the conversation, or load the model with a larger context size.'
      : `Lower max tokens to ${Math.max(contextSize - promptTokens, 0)} or less, start a new thread, or load the model with a larger context size.`;
  return new EvolveError(
    'RESOURCE_EXHAUSTED',
    `The conversation does not fit the context window: ${promptTokens} prompt tokens + ${maxTokens} max new tokens = ${promptTokens + maxTokens} > ${contextSize} (over by ${over}). ${suggestion}`,
    { promptTokens, maxTokens, contextSize, overBy: over, suggestion },
  );
}

/**
 * Returns the messages to send. With policy 'truncate-oldest' drops the oldest non-system messages (never
 * the system prompt, never the last message) until it fits, and reports exactly which were dropped.
 */
export function fitToContext<M extends EngineMessage>(input: FitInput<M>): FitOutput<M> {
  const { messages, contextSize, maxTokens } = input;
  const full = input.countTokens(messages);
  if (full + maxTokens <= contextSize) return { messages: [...messages], promptTokens: full, droppedMessages: [], droppedTokens: 0 };
  if (input.policy === 'error') throw overflowError(full, maxTokens, contextSize);

  const kept = messages.map((m, i) => ({ m, i }));
  const dropped: number[] = [];
  let count = full;
  while (count + maxTokens > contextSize) {
    // Oldest droppable: not a system message and not the final message.
    const idx = kept.findIndex((k, pos) => k.m.role !== 'system' && pos < kept.length - 1);
    if (idx === -1) throw overflowError(count, maxTokens, contextSize);
    const [removed] = kept.splice(idx, 1);
    if (removed) dropped.push(removed.i);
    // An assistant reply whose question was dropped is dropped with it, so the transcript stays coherent;
    // so are tool results whose call went (a result without its call is meaningless to the model).
    let next = kept[idx];
    if (next && next.m.role === 'assistant' && idx < kept.length - 1) {
      kept.splice(idx, 1);
      dropped.push(next.i);
      next = kept[idx];
    }
    while (next && next.m.role === 'tool' && idx < kept.length - 1) {
      kept.splice(idx, 1);
      dropped.push(next.i);
      next = kept[idx];
    }
    count = input.countTokens(kept.map((k) => k.m));
  }
  return { messages: kept.map((k) => k.m), promptTokens: count, droppedMessages: dropped, droppedTokens: full - count };
}
