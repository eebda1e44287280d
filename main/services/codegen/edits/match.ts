// Finds a SEARCH text in a file: exact, then flexible about indentation and trailing spaces; closest lines otherwise.

export type MatchResult =
  | { kind: 'match'; start: number; end: number; how: 'exact' | 'whitespace'; replace: string[] }
  | { kind: 'ambiguous'; starts: number[]; how: 'exact' | 'whitespace' }
  | { kind: 'none' };

const leadOf = (l: string): string => /^[ \t]*/.exec(l)![0];

function exactStarts(whole: readonly string[], part: readonly string[]): number[] {
  const out: number[] = [];
  outer: for (let i = 0; i + part.length <= whole.length; i++) {
    for (let k = 0; k < part.length; k++) if (whole[i + k] !== part[k]) continue outer;
    out.push(i);
  }
  return out;
}

/** The common indentation of the non-blank lines of both sides (the model often indents SEARCH and REPLACE alike). */
function commonLead(lines: readonly string[]): string {
  let common: string | undefined;
  for (const l of lines) {
    if (!l.trim()) continue;
    const lead = leadOf(l);
    if (common === undefined) common = lead;
    let k = 0;
    while (k < common.length && k < lead.length && common[k] === lead[k]) k++;
    common = common.slice(0, k);
  }
  return common ?? '';
}

/**
 * Windows of `whole` equal to `part` but for trailing spaces and one indentation prefix shared by every non-blank
 * line (Aider's replace_part_with_missing_leading_whitespace, plus trailing-space tolerance). Returns each start with
 * the prefix the file adds, so REPLACE can be re-indented the same way.
 */
function flexibleStarts(whole: readonly string[], part: readonly string[]): { start: number; add: string }[] {
  const out: { start: number; add: string }[] = [];
  const p = part.map((l) => l.replace(/[ \t]+$/, ''));
  const ws = whole.map((l) => l.replace(/[ \t]+$/, ''));
  outer: for (let i = 0; i + p.length <= whole.length; i++) {
    let add: string | undefined;
    for (let k = 0; k < p.length; k++) {
      const w = ws[i + k]!;
      if (!p[k]) {
        if (w) continue outer;
        continue;
      }
      if (!w.endsWith(p[k]!) || w.trimStart() !== p[k]!.trimStart()) continue outer;
      const prefix = w.slice(0, w.length - p[k]!.length);
      if (prefix.trim()) continue outer;
      if (add === undefined) add = prefix;
      else if (add !== prefix) continue outer;
    }
    out.push({ start: i, add: add ?? '' });
  }
  return out;
}

/** Locates `part` (lines) in `whole` (lines) and returns the REPLACE lines to put there (re-indented if needed). */
export function locate(whole: readonly string[], part: readonly string[], replace: readonly string[]): MatchResult {
  const exact = exactStarts(whole, part);
  if (exact.length === 1) return { kind: 'match', start: exact[0]!, end: exact[0]! + part.length, how: 'exact', replace: [...replace] };
  if (exact.length > 1) return { kind: 'ambiguous', starts: exact, how: 'exact' };
  // Outdent both sides by what they share, then let the file's own indentation decide.
  const strip = commonLead([...part, ...replace].filter((l) => l.trim()));
  const cut = (l: string): string => (l.trim() && l.startsWith(strip) ? l.slice(strip.length) : l.trim() ? l : '');
  const p = part.map(cut);
  const flex = flexibleStarts(whole, p);
  if (flex.length > 1) return { kind: 'ambiguous', starts: flex.map((f) => f.start), how: 'whitespace' };
  if (flex.length === 1) {
    const { start, add } = flex[0]!;
    const r = replace.map((l) => (l.trim() ? add + cut(l) : ''));
    return { kind: 'match', start, end: start + part.length, how: 'whitespace', replace: r };
  }
  return { kind: 'none' };
}

/** The sorted character-bigram codes of a trimmed line (computed once per line, then merged). */
function bigrams(line: string): Int32Array {
  const x = line.trim();
  const out = new Int32Array(Math.max(0, x.length - 1));
  for (let i = 0; i < x.length - 1; i++) out[i] = (x.charCodeAt(i) << 16) | x.charCodeAt(i + 1);
  return out.sort();
}

/** Dice coefficient of two sorted bigram lists (multiset intersection by merging). */
function dice(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let hits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      hits++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * hits) / (a.length + b.length);
}

/** Dice coefficient of character bigrams: a cheap 0..1 similarity of two lines, blind to indentation. */
export function lineSimilarity(a: string, b: string): number {
  return a.trim() === b.trim() ? 1 : dice(bigrams(a), bigrams(b));
}

/**
 * The file lines most like `part` (same number of lines, mean line similarity), with a few lines of context, for
 * the "did you mean" message; undefined below `threshold` (Aider's find_similar_lines uses 0.6). Bigrams are
 * computed once per line, so a 10,000-line file costs lines × SEARCH lines merges of short arrays.
 */
export function closestLines(whole: readonly string[], part: readonly string[], threshold = 0.6, context = 3): string | undefined {
  const n = part.filter((l) => l.trim()).length ? part.length : 0;
  if (n === 0 || whole.length === 0) return undefined;
  const size = Math.min(n, whole.length);
  const wt = whole.map((l) => l.trim());
  const pt = part.map((l) => l.trim());
  const wb = whole.map(bigrams);
  const pb = part.map(bigrams);
  let best = -1;
  let bestAt = 0;
  for (let i = 0; i + size <= whole.length; i++) {
    let s = 0;
    for (let k = 0; k < size; k++) s += wt[i + k] === pt[k] ? 1 : dice(wb[i + k]!, pb[k]!);
    const score = s / n;
    if (score > best) {
      best = score;
      bestAt = i;
    }
  }
  if (best < threshold) return undefined;
  return whole.slice(Math.max(0, bestAt - context), Math.min(whole.length, bestAt + size + context)).join('\n');
}

const DOTS = /^[ \t]*\.\.\.[ \t]*$/;

/**
 * Aider's try_dotdotdots: SEARCH and REPLACE that elide code with lines of just `...`, at the same places on both
 * sides. Each SEARCH piece between the dots must occur exactly once in the text and becomes the REPLACE piece.
 * Returns the new text, or undefined when there are no dots, they do not pair, or a piece is missing or repeated.
 * Tried only after the normal match fails (a lone `...` is also valid Python).
 */
export function replaceWithDots(whole: string, search: string, replace: string): string | undefined {
  const pieces = (t: string): string[] => {
    const out: string[] = [''];
    for (const line of t.split(/(?<=\n)/)) {
      if (DOTS.test(line.replace(/\n$/, ''))) out.push('');
      else out[out.length - 1] += line;
    }
    return out;
  };
  const s = pieces(search);
  const r = pieces(replace);
  if (s.length === 1 || s.length !== r.length) return undefined;
  let text = whole;
  for (let i = 0; i < s.length; i++) {
    const from = s[i]!;
    const to = r[i]!;
    if (!from && !to) continue;
    if (!from) {
      text += (text && !text.endsWith('\n') ? '\n' : '') + to;
      continue;
    }
    const at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) return undefined;
    text = text.slice(0, at) + to + text.slice(at + from.length);
  }
  return text;
}
