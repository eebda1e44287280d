// The job-log search language → an FTS5 expression that cannot be a syntax error, plus the terms to highlight.
// Words must all match; "exact phrase"; prefix*; -excluded; a OR b. Punctuated text (file.py:12, CUDA_ERROR) is a phrase
// of its parts, which is how the unicode61 tokenizer (migration 9) split the indexed lines.
import { EvolveError } from '../../../../common/errors';

const MAX_ITEMS = 32;

export interface LogQueryTerm {
  /** Normalised tokens (lower case, diacritics folded), in order. */
  tokens: string[];
  /** The last token matches as a prefix. */
  prefix: boolean;
}

export interface ParsedLogQuery {
  /** The FTS5 MATCH expression. */
  match: string;
  /** Positive terms (highlighted in results). */
  terms: LogQueryTerm[];
}

/** unicode61 with remove_diacritics 2: letters and digits are token characters; case and accents fold. */
export function logTokens(text: string): string[] {
  return (text.normalize('NFKD').match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).map((t) => t.replace(/\p{M}/gu, '').toLowerCase()).filter(Boolean);
}

const bad = (msg: string) => new EvolveError('INVALID_ARGUMENT', msg);

interface Item {
  term: LogQueryTerm;
  negated: boolean;
}

/** Splits the query into raw pieces: quoted phrases stay whole; OR is kept as an operator. */
function lex(query: string): ({ kind: 'phrase' | 'word'; text: string; negated: boolean } | { kind: 'or' })[] {
  const out: ({ kind: 'phrase' | 'word'; text: string; negated: boolean } | { kind: 'or' })[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const negated = c === '-' && i + 1 < query.length && !/\s/.test(query[i + 1] as string);
    const start = negated ? i + 1 : i;
    if (query[start] === '"') {
      const end = query.indexOf('"', start + 1);
      if (end < 0) throw bad('The search has an unclosed quote (")');
      out.push({ kind: 'phrase', text: query.slice(start + 1, end), negated });
      i = end + 1;
      continue;
    }
    let end = start;
    while (end < query.length && !/\s/.test(query[end] as string) && query[end] !== '"') end++;
    const word = query.slice(start, end);
    if (word === 'OR' && !negated) out.push({ kind: 'or' });
    else out.push({ kind: 'word', text: word, negated });
    i = end;
  }
  return out;
}

const quoteTerm = (t: LogQueryTerm): string => {
  const phrase = `"${t.tokens.join(' ')}"`;
  return t.prefix ? `${phrase} *` : phrase;
};

/**
 * Parses a user's query. Bad input (empty, only exclusions, a dangling OR, an unclosed quote, too many terms)
 * is INVALID_ARGUMENT with a sentence saying what to change — never an SQL error.
 */
export function parseLogQuery(query: string): ParsedLogQuery {
  const pieces = lex(query.trim());
  // Groups of OR-ed items, AND-ed together.
  const groups: Item[][] = [];
  let pendingOr = false;
  let count = 0;
  for (const p of pieces) {
    if (p.kind === 'or') {
      if (groups.length === 0 || pendingOr) throw bad('OR needs a word on each side');
      pendingOr = true;
      continue;
    }
    const prefix = p.kind === 'word' && p.text.endsWith('*');
    const tokens = logTokens(p.text);
    if (tokens.length === 0) {
      if (p.kind === 'phrase') throw bad('A quoted phrase needs at least one word or number');
      if (pendingOr) throw bad('OR needs a word on each side');
      continue; // lone punctuation such as ":" or "*" adds nothing
    }
    if (++count > MAX_ITEMS) throw bad(`The search has more than ${MAX_ITEMS} terms`);
    const item: Item = { term: { tokens, prefix }, negated: p.negated };
    if (pendingOr) {
      const g = groups[groups.length - 1] as Item[];
      if (item.negated || g.some((x) => x.negated)) throw bad('An excluded (-) term cannot be part of an OR');
      g.push(item);
      pendingOr = false;
    } else groups.push([item]);
  }
  if (pendingOr) throw bad('OR needs a word on each side');
  const positive = groups.filter((g) => !(g[0] as Item).negated);
  const negative = groups.filter((g) => (g[0] as Item).negated);
  if (positive.length === 0)
    throw bad(negative.length ? 'Add a word to find: excluded (-) terms only narrow a search' : 'Search needs at least one word or number');
  const group = (g: Item[]) => (g.length === 1 ? quoteTerm((g[0] as Item).term) : `(${g.map((x) => quoteTerm(x.term)).join(' OR ')})`);
  let match = positive.map(group).join(' AND ');
  for (const g of negative) match += ` NOT ${group(g)}`;
  return { match, terms: positive.flatMap((g) => g.map((x) => x.term)) };
}
