// Token accounting of a prompt: the chat-template allowance, counting messages, and cutting text to a token budget.
import { EvolveError } from '../../../../common/errors';
import type { BudgetPart, BudgetPartName, PromptMessage } from './types';
import { BUDGET_PART_NAMES } from './types';

/**
 * Tokens the chat template adds around each message (`<|im_start|>user\n … <|im_end|>\n` is 5 for Qwen, Gemma's turn
 * markers about as many) plus the assistant header that opens the answer. Counted on top of the contents so the
 * rendered prompt still fits when the template is applied.
 */
export const TEMPLATE_TOKENS_PER_MESSAGE = 8;
export const TEMPLATE_TOKENS_ANSWER_HEADER = 6;

export type TokenCounter = (text: string) => Promise<number> | number;

/** A counter that remembers texts it has measured (sections are measured alone and again inside messages). */
export function cachedCounter(count: TokenCounter): (text: string) => Promise<number> {
  const memo = new Map<string, number>();
  return async (text) => {
    if (text === '') return 0;
    const hit = memo.get(text);
    if (hit !== undefined) return hit;
    const n = await count(text);
    if (!Number.isFinite(n) || n < 0) throw new EvolveError('INTERNAL', `Token counter returned ${n}`);
    memo.set(text, Math.ceil(n));
    return Math.ceil(n);
  };
}

/** Tokens of the whole conversation as the model will see it (contents + template allowance). */
export async function messagesTokens(messages: readonly PromptMessage[], count: (t: string) => Promise<number>): Promise<number> {
  let total = TEMPLATE_TOKENS_ANSWER_HEADER;
  for (const m of messages) total += TEMPLATE_TOKENS_PER_MESSAGE + (await count(m.content));
  return total;
}

/**
 * The longest run of whole lines `[from, to)` of `lines` around `anchor` whose rendering fits `maxTokens`, found by
 * binary search on the window size (log n counts). The window grows evenly around the anchor lines (a selection),
 * or from the top when there is none. Null when not even one line fits.
 */
export async function fitLines(
  lines: readonly string[],
  maxTokens: number,
  render: (from: number, to: number) => string,
  count: (t: string) => Promise<number>,
  anchor: { start: number; end: number } = { start: 0, end: 0 },
): Promise<{ from: number; to: number; text: string } | null> {
  const n = lines.length;
  const a = Math.max(0, Math.min(anchor.start, n));
  const b = Math.max(a, Math.min(anchor.end, n));
  const windowOf = (size: number): { from: number; to: number } => {
    if (size <= b - a) return { from: a, to: a + size }; // smaller than the selection: keep its start
    let from = Math.max(0, a - Math.floor((size - (b - a)) / 2));
    const to = Math.min(n, from + size);
    from = Math.max(0, to - size);
    return { from, to };
  };
  let lo = 1;
  let hi = lines.length;
  let best: { from: number; to: number; text: string } | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const w = windowOf(mid);
    const text = render(w.from, w.to);
    if ((await count(text)) <= maxTokens) {
      best = { ...w, text };
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** The split's parts in the fixed order, absent parts as zero. */
export function emptyParts(): Map<BudgetPartName, BudgetPart> {
  return new Map(BUDGET_PART_NAMES.map((name) => [name, { name, tokens: 0, items: [], dropped: 0 }]));
}

/** Cut priority, highest first: when the budget is short the parts at the end lose first. */
export const CUT_ORDER: readonly BudgetPartName[] = BUDGET_PART_NAMES;
