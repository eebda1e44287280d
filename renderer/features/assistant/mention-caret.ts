// Finds the `@…` mention being typed at the caret and replaces it with a picked completion (composer autocomplete).

export interface MentionAtCaret {
  /** Index of the `@`. */
  start: number;
  /** What follows the `@` up to the caret (e.g. `file:src/ma`, `sym`). */
  query: string;
}

/** The mention word the caret is in, or null: an `@` at the start or after whitespace/an opening bracket or quote. */
export function mentionAtCaret(text: string, caret: number): MentionAtCaret | null {
  const m = /(^|[\s([{'"`])@([^\s@]*)$/.exec(text.slice(0, caret));
  if (!m) return null;
  const query = m[2] ?? '';
  return { start: caret - query.length - 1, query };
}

/** The text with the mention at `start..caret` replaced by `insertion` plus a space, and where the caret goes. */
export function insertMention(text: string, at: MentionAtCaret, caret: number, insertion: string): { text: string; caret: number } {
  const rest = text.slice(caret).replace(/^\S*/, '');
  const head = `${text.slice(0, at.start)}${insertion} `;
  return { text: head + rest.replace(/^ /, ''), caret: head.length };
}

/** How a picked file or symbol is written in the message (paths with spaces are quoted). */
export const fileMention = (rel: string): string => (/\s/.test(rel) ? `@file:"${rel}"` : `@file:${rel}`);
export const symbolMention = (name: string): string => `@symbol:${name}`;
