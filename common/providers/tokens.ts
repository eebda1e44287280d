// Vendor-neutral token estimate used for pre-send cost estimates and when a vendor reports no usage.
import type { ChatMessage } from './types';

/** ~4 characters per token for English and code (BPE tokenizers average 3.5–4.5); errs high for short strings. */
export function estimateTextTokens(text: string): number {
  if (text.length === 0) return 0;
  return Math.ceil(text.length / 4);
}

/** Adds the per-message framing tokens that chat templates spend (role markers, separators). */
export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  let n = 3;
  for (const m of messages) n += 4 + estimateTextTokens(m.content);
  return n;
}
