// Builds the message list for chat actions (send, regenerate, edit-and-resend). The worker reuses the thread's KV
// cache up to the first changed token, so these only need to produce the right history — no cache bookkeeping.
import { EvolveError } from '../../../common/errors';
import type { ChatMessage } from '../../../common/inference/engine';

/** Optional system prompt first, then the history, then the new user message. */
export function sendMessages(history: readonly ChatMessage[], userText: string, systemPrompt?: string): ChatMessage[] {
  if (!userText.trim()) throw new EvolveError('INVALID_ARGUMENT', 'The message is empty');
  const rest = history.filter((m) => m.role !== 'system');
  const system = systemPrompt?.trim()
    ? [{ role: 'system' as const, content: systemPrompt }]
    : history.filter((m) => m.role === 'system').slice(0, 1);
  return [...system, ...rest, { role: 'user', content: userText }];
}

/** Regenerate: drop the last answer so the last message is the user's again. */
export function regenerateMessages(history: readonly ChatMessage[]): ChatMessage[] {
  let end = history.length;
  while (end > 0 && history[end - 1]?.role === 'assistant') end--;
  if (end === 0 || history[end - 1]?.role !== 'user') throw new EvolveError('INVALID_ARGUMENT', 'There is no user message to answer again');
  return history.slice(0, end);
}

/** Edit-and-resend: replace user message `index` and forget everything after it. */
export function editAndResendMessages(history: readonly ChatMessage[], index: number, newText: string): ChatMessage[] {
  const target = history[index];
  if (!target) throw new EvolveError('NOT_FOUND', `No message at index ${index}`);
  if (target.role !== 'user') throw new EvolveError('INVALID_ARGUMENT', 'Only user messages can be edited and resent');
  if (!newText.trim()) throw new EvolveError('INVALID_ARGUMENT', 'The message is empty');
  return [...history.slice(0, index), { role: 'user', content: newText }];
}

/** The last user message with the project context block in front of it (the stored message keeps only the user's text). */
export function withContextBlock(messages: readonly ChatMessage[], block: string): ChatMessage[] {
  if (!block) return [...messages];
  let last = messages.length - 1;
  while (last >= 0 && messages[last]?.role !== 'user') last--;
  if (last < 0) throw new EvolveError('INVALID_ARGUMENT', 'There is no user message to add project context to');
  const out = [...messages];
  out[last] = { role: 'user', content: `${block}\n\n${messages[last]!.content}` };
  return out;
}
