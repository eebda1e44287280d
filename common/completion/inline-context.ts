// Inline completion's context rules, shared by the editor and the service: the capped window of text around the cursor,
// the sampling caps, and where a completion ends (a blank line, the end of the cursor's block, the text that follows).

/**
 * Token caps of the FIM prompt, applied by the engine with the model's own tokenizer (native/inference/fim.ts): the
 * prefix keeps its last 1,500 tokens, the suffix its first 500.
 */
export const INLINE_PREFIX_TOKENS = 1500;
export const INLINE_SUFFIX_TOKENS = 500;
/** A completion is a line or a short block, not a function: small caps keep the latency interactive. */
export const INLINE_MAX_TOKENS = 64;

/**
 * Character caps the editor applies before sending (no tokenizer in the page): ~4 characters per code token, so the
 * token caps above stay the binding ones for ordinary code while a huge file never crosses the IPC whole.
 */
export const INLINE_PREFIX_CHARS = 6000;
export const INLINE_SUFFIX_CHARS = 2000;
/** The contract refuses more than this (a client that forgot to window). */
export const INLINE_MAX_PREFIX_CHARS = 16_000;
export const INLINE_MAX_SUFFIX_CHARS = 8000;
/**
 * The prefix window's start moves in steps of this many characters, then forward to a line start: the start of the
 * prompt is the start of the model's KV cache, so a window sliding one character per keystroke would re-evaluate
 * the whole prompt each time instead of only the new characters.
 */
export const INLINE_WINDOW_STEP = 1024;

export interface InlineWindow {
  prefix: string;
  suffix: string;
}

/**
 * The tail of the text before the cursor and the head of the text after it, within the character caps. The prefix is
 * cut at a stepped, line-aligned offset (see INLINE_WINDOW_STEP); the suffix is cut at its last line break inside the
 * cap (a half line after the cursor region would only mislead the model).
 */
export function inlineWindow(
  before: string,
  after: string,
  caps: { prefixChars?: number; suffixChars?: number; step?: number } = {},
): InlineWindow {
  const maxPrefix = caps.prefixChars ?? INLINE_PREFIX_CHARS;
  const maxSuffix = caps.suffixChars ?? INLINE_SUFFIX_CHARS;
  const step = caps.step ?? INLINE_WINDOW_STEP;
  let prefix = before;
  if (before.length > maxPrefix) {
    const over = before.length - maxPrefix;
    let start = Math.ceil(over / step) * step;
    const nl = before.indexOf('\n', start - 1);
    // Start on a line start when one is near; a single huge line is cut mid-line rather than dropped.
    if (nl >= 0 && nl + 1 < before.length && nl + 1 - start < step) start = nl + 1;
    prefix = before.slice(Math.min(start, before.length));
  }
  let suffix = after;
  if (after.length > maxSuffix) {
    const head = after.slice(0, maxSuffix);
    const nl = head.lastIndexOf('\n');
    suffix = nl > 0 ? head.slice(0, nl + 1) : head;
  }
  return { prefix, suffix };
}

/**
 * Engine stop strings. With text after the cursor on its line, the completion fills that line only (a line break
 * ends it); at the end of a line a blank line ends it (the next paragraph is the user's to write).
 */
export function inlineStops(suffix: string): string[] {
  const restOfLine = suffix.slice(0, suffix.search(/\r?\n|$/));
  return restOfLine.trim() !== '' ? ['\n'] : ['\n\n', '\r\n\r\n'];
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * Cuts a raw FIM middle to what the ghost text shows: up to a blank line, up to the first line that leaves the
 * cursor's block (indented less than the line the cursor is on — a dedent in Python, a closing brace elsewhere,
 * which the suffix already has), and without a repeat of the line that follows the cursor. Trailing whitespace goes.
 */
export function trimCompletion(raw: string, ctx: { prefix: string; suffix: string }): string {
  let text = raw.replace(/\r\n/g, '\n');
  const blank = text.search(/\n[ \t]*\n/);
  if (blank >= 0) text = text.slice(0, blank);
  const cursorLine = ctx.prefix.slice(ctx.prefix.lastIndexOf('\n') + 1);
  // The block the cursor is in: the indentation of its line (its whitespace, when the line has nothing else yet),
  // one deeper when that line opens a block and the completion starts on the next line ("def f():" → the body).
  const opens = /[:{([]\s*$/.test(cursorLine) && text.startsWith('\n');
  const base = indentOf(cursorLine) + (opens ? 1 : 0);
  const lines = text.split('\n');
  const nextLine = ctx.suffix
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (i > 0 && line.trim() !== '') {
      if (indentOf(line) < base) break;
      if (nextLine !== undefined && line.trim() === nextLine) break;
    }
    kept.push(line);
  }
  text = kept.join('\n');
  return text.replace(/\s+$/, '');
}
