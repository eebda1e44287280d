// Pure helpers over the user's `git diff` text for the Git panel and the commit-message draft: split it per file,
// cap what goes to a model (at a line boundary, saying how much was cut), and pick the codegen language of a change.
import type { Language } from '../codegen/types';
import { languageOfPath } from './language-of-path';

/** Characters of diff sent to the model for a review or a commit message (about 4k tokens: fits a 0.5B's context). */
export const MAX_MODEL_DIFF_CHARS = 12_000;

export interface FilePatch {
  /** The new path (b/…), or the old one for a deletion. */
  path: string;
  /** This file's part of the diff, from its `diff --git` line. */
  patch: string;
}

const HEADER = /^diff --git a\/(.*?) b\/(.*)$/;

/** The diff per file, in diff order. Paths come from the `+++`/`---` lines when present (spaces survive), else the header. */
export function splitDiffByFile(diff: string): FilePatch[] {
  const out: FilePatch[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const head = HEADER.exec(lines[0]!);
    const plus = lines.find((l) => l.startsWith('+++ '));
    const minus = lines.find((l) => l.startsWith('--- '));
    const strip = (l: string | undefined) => (l && !l.endsWith('/dev/null') ? l.slice(4).replace(/^[ab]\//, '') : null);
    const p = strip(plus) ?? strip(minus) ?? head?.[2] ?? head?.[1] ?? '';
    out.push({ path: p, patch: `${lines.join('\n')}\n` });
    lines = [];
  };
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) flush();
    if (line.startsWith('diff --git ') || lines.length > 0) lines.push(line);
  }
  // The split adds an empty last line after the final newline.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  flush();
  return out;
}

export interface CappedDiff {
  text: string;
  /** True when the diff was longer than the cap (the text ends at a line boundary before it). */
  cut: boolean;
  totalChars: number;
}

/** At most `maxChars` of the diff, cut at the last line break before the cap so no line is half sent. */
export function capDiff(diff: string, maxChars = MAX_MODEL_DIFF_CHARS): CappedDiff {
  if (diff.length <= maxChars) return { text: diff, cut: false, totalChars: diff.length };
  const nl = diff.lastIndexOf('\n', maxChars - 1);
  return { text: diff.slice(0, nl > 0 ? nl + 1 : maxChars), cut: true, totalChars: diff.length };
}

/** The language most changed files are in (codegen requests need one); null when none is a known source file. */
export function dominantLanguage(paths: readonly string[]): Language | null {
  const counts = new Map<Language, number>();
  for (const p of paths) {
    const lang = languageOfPath(p);
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  let best: Language | null = null;
  for (const [lang, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = lang;
  return best;
}

/** Whether text says something beyond a path and numbers (two letters in a row outside a path-like token). */
function hasWords(text: string): boolean {
  return text
    .split(/\s+/)
    .filter((t) => !/[/\\.]\w/.test(t))
    .some((t) => /[A-Za-z]{2}/.test(t));
}

export interface ReviewFinding {
  /** The line the model cited (in the diff it was shown), when it gave one. */
  line: number | null;
  text: string;
}

/**
 * The review answer's list items (`- line N: problem — fix`, the format the review instructions ask for) as findings.
 * Prose without a list becomes one finding, so nothing the model said is hidden.
 */
export function parseReviewFindings(answer: string): ReviewFinding[] {
  const items: ReviewFinding[] = [];
  for (const raw of answer.split('\n')) {
    const m = /^\s*(?:[-*•]|\d+[.)])\s+(.*\S)\s*$/.exec(raw);
    if (!m) {
      // A continuation line of the previous item (indented prose) stays with it.
      const last = items[items.length - 1];
      if (last && /^\s{2,}\S/.test(raw)) last.text += ` ${raw.trim()}`;
      continue;
    }
    const body = m[1]!;
    const ln = /^\**line\s+(\d+)\**\s*[:,-]?\s*(.*)$/i.exec(body);
    const item = ln ? { line: Number(ln[1]), text: ln[2]!.trim() || body } : { line: null, text: body };
    // A small model can loop on bare locations ("- src/cart.py: 7"): an item without a word of its own says nothing.
    if (!hasWords(item.text)) continue;
    if (items.some((x) => x.line === item.line && x.text === item.text)) continue;
    items.push(item);
  }
  if (items.length === 0 && answer.trim() && hasWords(answer)) return [{ line: null, text: answer.trim() }];
  return items;
}
