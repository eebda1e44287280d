// What a file card says about the file's definitions in words: the first sentence of each definition's doc
// comment (JSDoc, `///`, `//` runs, Python docstrings), `description:` strings (rule and option metadata), and,
// when nothing is documented, the definitions' signatures. MiniLM matches a question against prose far better
// than against identifiers (bench:index probe: a question about overlapping fixes scored 0.27 against a card of
// names and 0.36 against one of the file's doc sentences).
import type { Node, Tree } from 'web-tree-sitter';
import { commentText } from './comment-text';
import type { Language, Tag } from './types';

const COMMENT_TYPES = ['comment', 'line_comment', 'block_comment'];
const RULE_LINE = /^\/\/+\s*[-=*_~#]{4,}\s*$/;
const SENTENCE_MIN = 60;
const SENTENCE_MAX = 160;
const DOC_MORE_MAX = 300;

/** The first sentence (two when the first is short) of a doc text; with `max` > SENTENCE_MAX, whole sentences up to `max`. */
export function leadSentences(text: string, max = SENTENCE_MAX): string {
  let out = '';
  for (const s of text.split(/(?<=[.!?])\s+/)) {
    const next = out ? `${out} ${s}` : s;
    if (out && max > SENTENCE_MAX && next.length > max) break;
    out = next;
    if (max <= SENTENCE_MAX && out.length >= SENTENCE_MIN) break;
  }
  if (out.length <= max) return out;
  const cut = out.slice(0, max);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), 1));
}

/** Doc comments by the 0-based row they document (the row after their last line); consecutive line comments join. */
function commentsAbove(tree: Tree): Map<number, string> {
  const byEnd = new Map<number, { start: number; raw: string }>();
  for (const n of tree.rootNode.descendantsOfType(COMMENT_TYPES) as (Node | null)[]) {
    if (!n) continue;
    // Separator rules box section labels (`// Helpers`): a label is not the doc of the code under the box.
    if (RULE_LINE.test(n.text)) continue;
    const prev = byEnd.get(n.startPosition.row - 1);
    // A run of `//` or `///` lines is one doc.
    if (prev && n.text.startsWith('//') && prev.raw.startsWith('//')) {
      byEnd.delete(n.startPosition.row - 1);
      byEnd.set(n.endPosition.row, { start: prev.start, raw: `${prev.raw}\n${n.text}` });
    } else byEnd.set(n.endPosition.row, { start: n.startPosition.row, raw: n.text });
  }
  return new Map([...byEnd].map(([end, c]) => [end + 1, c.raw]));
}

/** Python docstrings by the 0-based row of their `def`/`class`. */
function docstrings(tree: Tree): Map<number, string> {
  const out = new Map<number, string>();
  for (const n of tree.rootNode.descendantsOfType(['function_definition', 'class_definition']) as (Node | null)[]) {
    const first = n?.childForFieldName('body')?.firstNamedChild;
    if (n && first?.type === 'expression_statement' && first.firstNamedChild?.type === 'string') out.set(n.startPosition.row, first.text);
  }
  return out;
}

/**
 * Lead sentences of the definitions' docs that fit in `budget` characters. When not all fit, the longest docs win
 * (a documented API with @param/@returns over a one-line helper note); the chosen ones stay in file order.
 */
export function definitionDocs(tree: Tree, lang: Language, defs: Tag[], budget: number): string[] {
  const docs = lang === 'python' ? docstrings(tree) : commentsAbove(tree);
  const found: { line: number; weight: number; text: string; full: string }[] = [];
  for (const d of defs) {
    const raw = docs.get(d.line - 1);
    if (!raw) continue;
    docs.delete(d.line - 1);
    const full = commentText(raw);
    const text = leadSentences(full);
    if (text.split(' ').length >= 3 && !found.some((f) => f.text === text)) found.push({ line: d.line, weight: raw.length, text, full });
  }
  // Few docs and room to spare: each says more (a second sentence often holds the "unless…" that a question asks about).
  const room = Math.min(DOC_MORE_MAX, Math.floor(budget / Math.max(found.length, 1)));
  for (const f of found) if (room > f.text.length) f.text = leadSentences(f.full, room);
  const chosen: typeof found = [];
  let used = 0;
  for (const f of [...found].sort((a, b) => b.weight - a.weight)) {
    if (used + f.text.length + 1 > budget) continue;
    chosen.push(f);
    used += f.text.length + 1;
  }
  return chosen.sort((a, b) => a.line - b.line).map((f) => f.text);
}

const DESCRIPTION = /\b(?:description|summary)\s*:\s*(["'`])((?:(?!\1)[^\n]){8,200})\1/g;

/** `description: "…"` values (ESLint rule meta, CLI options, schemas): the file saying what it does, in words. */
export function descriptionStrings(text: string, max = 2): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(DESCRIPTION)) {
    const s = m[2]!.trim();
    if (s.includes(' ') && !out.includes(s)) out.push(s);
    if (out.length >= max) break;
  }
  return out;
}

/** `name(params)` as written on the definition's line, for files that document nothing. */
export function signature(lines: string[], def: Tag): string | null {
  const line = lines[def.line - 1] ?? '';
  const at = line.indexOf(def.name);
  if (at < 0) return null;
  const m = /^[\s=:]*(?:async\s+)?(?:function\s*\*?\s*)?(?:<[^>]*>)?\(([^)]{0,120})\)/.exec(line.slice(at + def.name.length));
  const params = m?.[1]?.replace(/\s+/g, ' ').trim();
  return params ? `(${params})` : null;
}
