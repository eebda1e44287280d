// Splits a source file into retrieval chunks (Continue's approach, core/indexing/chunk/code.ts): a file,
// function or class stays whole when it fits; a bigger class becomes a collapsed outline (member bodies →
// `{ ... }`) plus one chunk per member; a bigger function is split between its statements. Unlike Continue,
// code between definitions is kept as windows, leading doc comments stay with their definition, and files
// without a grammar (or that do not parse) become line windows.
import { createHash } from 'node:crypto';
import type { Node, Tree } from 'web-tree-sitter';
import { parserFor } from './grammars';
import { languageForPath } from './languages';
import { bodyOf, collapsedText, definitionOf, type Def } from './syntax';
import { countTokens } from './tokens';
import type { Chunk, ChunkKind, ChunkResult, Language } from './types';

export interface ChunkOptions {
  /** Upper bound per chunk in estimated tokens (tokens.ts). Default 256: all-MiniLM-L6-v2 reads 256 word pieces. */
  maxChunkTokens?: number;
}

export const DEFAULT_MAX_CHUNK_TOKENS = 256;
/** A chunk's symbol in the store is at most 500 characters; tags drop names over 200 (tags.ts). */
export const MAX_SYMBOL_CHARS = 200;

/** Chunks with the language and any parse failure (the file then falls back to line windows). */
export async function chunkSource(rel: string, text: string, opts: ChunkOptions = {}): Promise<ChunkResult> {
  const lang = languageForPath(rel);
  const max = opts.maxChunkTokens ?? DEFAULT_MAX_CHUNK_TOKENS;
  if (!lang) return { lang, chunks: lineWindowChunks(rel, null, text, max) };
  const parsed = await parseSource(lang, text);
  if ('error' in parsed) return { lang, chunks: lineWindowChunks(rel, lang, text, max), parseError: parsed.error };
  try {
    return chunkTree(rel, lang, text, parsed.tree, max);
  } finally {
    parsed.tree.delete(); // WASM memory: trees are not garbage-collected
  }
}

export async function chunkFile(rel: string, text: string, opts: ChunkOptions = {}): Promise<Chunk[]> {
  return (await chunkSource(rel, text, opts)).chunks;
}

/** Parses `text`; a missing grammar or a failed parse is a value, not a throw, so the file still gets windows. */
export async function parseSource(lang: Language, text: string): Promise<{ tree: Tree } | { error: string }> {
  try {
    const tree = (await parserFor(lang)).parse(text);
    return tree ? { tree } : { error: `${lang} parser returned no tree` };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Chunks a parsed tree; a tree with syntax errors falls back to line windows and says where the error is. */
export function chunkTree(rel: string, lang: Language, text: string, tree: Tree, max: number): ChunkResult {
  if (tree.rootNode.hasError) {
    const line = firstErrorRow(tree.rootNode) + 1;
    return { lang, chunks: lineWindowChunks(rel, lang, text, max), parseError: `Syntax error near line ${line}; chunked by lines` };
  }
  const ctx: Ctx = { rel, lang, lines: text.split('\n'), max, out: [] };
  emitNode(ctx, tree.rootNode, undefined, undefined, tree.rootNode.startPosition.row);
  return { lang, chunks: ctx.out };
}

interface Ctx {
  rel: string;
  lang: Language;
  lines: string[];
  max: number;
  out: Chunk[];
}

export function chunkId(lang: Language | null, text: string): string {
  return createHash('sha256')
    .update(`${lang ?? 'text'}\0${text}`)
    .digest('hex');
}

function push(ctx: Ctx, startRow: number, endRow: number, text: string, kind: ChunkKind, symbol: string | undefined): void {
  const chunk: Chunk = { id: chunkId(ctx.lang, text), rel: ctx.rel, startLine: startRow + 1, endLine: endRow + 1, text, kind };
  // Nested owners chain (`a.b.c.method`); past the store's cap only the innermost names are kept.
  if (symbol) chunk.symbol = symbol.length > MAX_SYMBOL_CHARS ? `…${symbol.slice(-(MAX_SYMBOL_CHARS - 1))}` : symbol;
  ctx.out.push(chunk);
}

const rowsText = (ctx: Ctx, s: number, e: number) => ctx.lines.slice(s, e + 1).join('\n');

/** Last row with content of `node` (a node ending at column 0 ends on the previous line). */
function endRowOf(node: Node): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row - 1 : row;
}

function emitNode(ctx: Ctx, node: Node, def: Def | undefined, owner: string | undefined, startRow: number): void {
  const endRow = endRowOf(node);
  const text = rowsText(ctx, startRow, endRow);
  const symbol = def?.name ? (owner ? `${owner}.${def.name}` : def.name) : owner;
  const kind: ChunkKind = !def ? 'block' : def.kind === 'class' ? 'class' : owner ? 'method' : 'function';
  if (countTokens(text) <= ctx.max) {
    if (hasWords(text)) push(ctx, startRow, endRow, text, kind, symbol);
    return;
  }
  if (def?.kind === 'class') {
    push(ctx, startRow, endRow, collapseClass(ctx, def, startRow, endRow), 'class', symbol);
    const body = bodyOf(def.node);
    if (body) emitChildren(ctx, body, symbol, true);
    return;
  }
  // A function (or any other node) too big to keep whole: split between its children, header included.
  emitChildren(ctx, node, symbol, false, startRow);
}

/** Chunks the children of `container`: definitions on their own, the code between them packed into windows. */
function emitChildren(ctx: Ctx, container: Node, symbol: string | undefined, members: boolean, fromRow?: number): void {
  const kids = container.namedChildren.filter((k): k is Node => k !== null);
  let winStart = fromRow ?? container.startPosition.row;
  for (let i = 0; i < kids.length; i++) {
    const kid = kids[i] as Node;
    const s = kid.startPosition.row;
    const e = endRowOf(kid);
    if (e < winStart) continue; // shares a line already emitted
    if (isComment(kid) && commentsLeadToDef(ctx, kids, i)) continue; // taken with the definition below
    const def = definitionOf(kid, ctx.lang);
    const from = Math.max(s, winStart);
    if (def) {
      // Doc comments directly above a definition belong to it (they hold its plain-language description).
      let defStart = Math.max(winStart, leadingCommentStart(kids, i, s));
      // Code pending above it (imports, a constant) joins the definition's chunk when both fit: fewer, fuller
      // chunks to embed, and the definition stays whole either way.
      if (defStart > winStart && countTokens(rowsText(ctx, winStart, e)) <= ctx.max) defStart = winStart;
      emitWindow(ctx, winStart, defStart - 1, symbol);
      emitNode(ctx, kid, def, members ? symbol : undefined, defStart);
      winStart = e + 1;
    } else if (countTokens(rowsText(ctx, from, e)) > ctx.max) {
      // Too big and not a definition (a function body, an IIFE): split inside it; the rows pending before it
      // (e.g. the function's signature) open its first window instead of standing alone.
      emitNode(ctx, kid, undefined, symbol, winStart);
      winStart = e + 1;
    } else if (countTokens(rowsText(ctx, winStart, e)) > ctx.max) {
      emitWindow(ctx, winStart, from - 1, symbol);
      winStart = from;
    }
  }
  emitWindow(ctx, winStart, endRowOf(container), symbol);
}

const isComment = (n: Node) => n.type.includes('comment');

/** Whether kids[i] starts a run of adjacent comments that ends right above a definition. */
function commentsLeadToDef(ctx: Ctx, kids: Node[], i: number): boolean {
  for (let j = i; j < kids.length - 1; j++) {
    const cur = kids[j] as Node;
    const next = kids[j + 1] as Node;
    if (next.startPosition.row > endRowOf(cur) + 1) return false;
    if (!isComment(next)) return definitionOf(next, ctx.lang) !== undefined;
  }
  return false;
}

function leadingCommentStart(kids: Node[], i: number, row: number): number {
  let start = row;
  for (let j = i - 1; j >= 0; j--) {
    const k = kids[j] as Node;
    if (!isComment(k) || endRowOf(k) < start - 1) break;
    start = k.startPosition.row;
  }
  return start;
}

/** Rows [s, e] as one `block` chunk, or several line windows when they do not fit; blank/brace-only is dropped. */
function emitWindow(ctx: Ctx, s: number, e: number, symbol: string | undefined): void {
  if (e < s) return;
  const text = rowsText(ctx, s, e);
  if (!hasWords(text)) return;
  if (countTokens(text) <= ctx.max) {
    push(ctx, s, e, text, 'block', symbol);
    return;
  }
  for (const w of lineWindows(ctx.lines, s, e, ctx.max)) push(ctx, w.s, w.e, w.text, 'window', symbol);
}

const hasWords = (text: string) => /[A-Za-z0-9_$]/.test(text);

/** The class with every member body collapsed; cut to the budget (outline first) if still too big. */
function collapseClass(ctx: Ctx, def: Def, startRow: number, endRow: number): string {
  const base = lineOffset(ctx.lines, startRow);
  const full = rowsText(ctx, startRow, endRow);
  const body = bodyOf(def.node);
  const cuts: { from: number; to: number }[] = [];
  for (const member of body?.namedChildren ?? []) {
    if (!member) continue;
    const mdef = definitionOf(member, ctx.lang);
    const target = mdef ? (mdef.kind === 'class' ? bodyOf(mdef.node) : functionBody(mdef.node)) : null;
    if (target && target.startIndex >= base) cuts.push({ from: target.startIndex - base, to: target.endIndex - base });
  }
  let text = full;
  for (const c of cuts.sort((a, b) => b.from - a.from)) text = text.slice(0, c.from) + collapsedText(ctx.lang) + text.slice(c.to);
  if (countTokens(text) <= ctx.max) return text;
  const keep: string[] = [];
  for (const line of text.split('\n')) {
    if (countTokens([...keep, line].join('\n')) > ctx.max - 2) break;
    keep.push(line);
  }
  return `${keep.join('\n')}\n  ...`;
}

function functionBody(node: Node): Node | null {
  const direct = node.childForFieldName('body');
  if (direct) return direct;
  // `const f = () => {}` / `a.b = function () {}`: the body is on the value.
  for (const d of node.namedChildren) {
    const value = d?.childForFieldName('value') ?? d?.childForFieldName('right');
    const b = value?.childForFieldName('body');
    if (b) return b;
  }
  return null;
}

function lineOffset(lines: string[], row: number): number {
  let off = 0;
  for (let i = 0; i < row; i++) off += (lines[i] as string).length + 1;
  return off;
}

function firstErrorRow(node: Node): number {
  if (node.type === 'ERROR' || node.isMissing) return node.startPosition.row;
  for (const k of node.children) if (k?.hasError || k?.isMissing) return firstErrorRow(k);
  return node.startPosition.row;
}

/** Line windows of at most `max` tokens; a single longer line (minified code) is cut into pieces. */
export function lineWindows(lines: string[], s: number, e: number, max: number): { s: number; e: number; text: string }[] {
  const out: { s: number; e: number; text: string }[] = [];
  const maxChars = max * 4;
  let start = s;
  let buf: string[] = [];
  let size = 0;
  const flush = (end: number) => {
    const text = buf.join('\n');
    if (buf.length && hasWords(text)) out.push({ s: start, e: end, text });
    buf = [];
    size = 0;
  };
  for (let r = s; r <= e; r++) {
    const line = lines[r] as string;
    if (line.length > maxChars) {
      flush(r - 1);
      for (let i = 0; i < line.length; i += maxChars) {
        const piece = line.slice(i, i + maxChars);
        if (hasWords(piece)) out.push({ s: r, e: r, text: piece });
      }
      start = r + 1;
      continue;
    }
    if (buf.length && countTokens(line) + size > max) {
      flush(r - 1);
      start = r;
    }
    buf.push(line);
    size += countTokens(line) + 1;
  }
  flush(e);
  return out;
}

export function lineWindowChunks(rel: string, lang: Language | null, text: string, max: number): Chunk[] {
  const lines = text.split('\n');
  return lineWindows(lines, 0, lines.length - 1, max).map((w) => ({
    id: chunkId(lang, w.text),
    rel,
    startLine: w.s + 1,
    endLine: w.e + 1,
    text: w.text,
    kind: 'window',
  }));
}
