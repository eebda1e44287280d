// Where a search's terms occur in one log line: [start, end) spans for the page to mark (plain ranges, never markup,
// so a log line is always shown as text). Tokens are compared the way the index folded them (query.ts logTokens).
import type { LogQueryTerm } from './query';

const fold = (t: string) => t.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** Spans of `text` whose tokens match a term's token (the last token of a prefix term as a prefix); merged, in order. */
export function highlightSpans(text: string, terms: readonly LogQueryTerm[]): [number, number][] {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const t of terms) {
    t.tokens.forEach((tok, i) => {
      if (t.prefix && i === t.tokens.length - 1) prefixes.push(tok);
      else exact.add(tok);
    });
  }
  const spans: [number, number][] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    const tok = fold(m[0]);
    if (!exact.has(tok) && !prefixes.some((p) => tok.startsWith(p))) continue;
    const start = m.index;
    const end = start + m[0].length;
    const last = spans[spans.length - 1];
    // Adjacent matches ("out of memory") read better as one mark: joined across a one-character separator.
    if (last && start - last[1] <= 1) last[1] = end;
    else spans.push([start, end]);
  }
  return spans;
}
