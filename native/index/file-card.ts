// File cards: the only texts the index embeds — per file a summary (path, header comment, defined names as words)
// and, when the file documents its definitions, a doc card (their first doc sentences; card-docs.ts). Embedding
// every chunk of the 5,000-file bench tree measured 5.46 M word pieces (45–90 minutes of MiniLM on two CPU cores);
// its ~8.3k cards take ~220 s of embedding CPU. Vector search therefore ranks files, BM25 ranks chunks, and
// retrieval fuses both per file (main/services/projects/retrieval.ts).
import { createHash } from 'node:crypto';
import type { Node, Tree } from 'web-tree-sitter';
import { definitionDocs, descriptionStrings, signature } from './card-docs';
import { commentText } from './comment-text';
import type { Chunk, FileTags, Language } from './types';

/** Card text cap in characters (~130 MiniLM word pieces); the embedder truncates at 256 anyway. */
export const FILE_CARD_MAX_CHARS = 480;
const DOC_MAX_CHARS = 240;
const MAX_NAMES = 16;
export const FILE_CARD_KIND = 'file';

/** `parseHTTPHeader_value` → `parse http header value`: MiniLM reads words, not camelCase identifiers. */
export function identifierWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_$\-.]+/g, ' ')
    .trim()
    .toLowerCase();
}

const LICENSE = /copyright|licen[sc]e|spdx|all rights reserved|@preserve/i;

// Tool directives say nothing about what a file does (eslint-disable, istanbul ignore, @ts-check, jshint…).
const DIRECTIVE = /^(eslint[- ]|istanbul |prettier-ignore|@ts-|jshint|jscs:|global |-\*-)/i;

/** The first few non-licence top-level comments (and a Python module docstring), as plain text. */
function headerDoc(tree: Tree, lang: Language, defLines: Set<number>): string {
  const parts: string[] = [];
  let seen = 0;
  for (const node of tree.rootNode.namedChildren as (Node | null)[]) {
    if (!node || seen >= 12) break;
    seen++;
    let raw: string | null = null;
    // A comment right above a declaration documents that declaration (card-docs.ts takes it), not the file.
    const next = node.nextNamedSibling;
    const attached = next && next.startPosition.row === node.endPosition.row + 1 && defLines.has(next.startPosition.row + 1);
    if (/comment/.test(node.type) && !attached) raw = node.text;
    else if (lang === 'python' && node.type === 'expression_statement' && node.firstNamedChild?.type === 'string') raw = node.text;
    if (raw === null || LICENSE.test(raw) || DIRECTIVE.test(raw.replace(/^\s*(\/\*+|\/\/+|#)\s*/, ''))) continue;
    const t = commentText(raw);
    // Section labels between separator rules (`// Helpers`, `// Public Interface`) describe nothing.
    if (t && (raw.startsWith('/*') || lang === 'python' || t.split(' ').length > 3)) parts.push(t);
    if (parts.join(' ').length >= DOC_MAX_CHARS) break;
  }
  return parts.join(' ').slice(0, DOC_MAX_CHARS);
}

const PREAMBLE = /^\s*(['"]use strict['"];?|import\b.*|(const|let|var)\s+[\w${}\s,:]+=\s*require\(.*|#!.*|from\s+\S+\s+import\b.*)\s*$/;

const firstWords = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !PREAMBLE.test(l))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, DOC_MAX_CHARS);

const cardChunk = (rel: string, lang: Language | null, text: string, lines: number): Chunk => ({
  id: createHash('sha256')
    .update(`card\0${lang ?? 'text'}\0${text}`)
    .digest('hex'),
  rel,
  startLine: 1,
  endLine: Math.max(1, lines),
  text: text.slice(0, FILE_CARD_MAX_CHARS),
  kind: FILE_CARD_KIND,
});

/**
 * The cards of one file: always a summary (path, header comment, names — or signatures when nothing is
 * documented), plus a doc card (path, the definitions' doc sentences, `description:` strings) when the file
 * documents its definitions. Two short vectors rather than one long one: mean pooling dilutes a file's
 * summary with helper notes (a question about max-len's URL exception lost 0.06 cosine when both shared a card).
 */
export function fileCards(rel: string, lang: Language | null, text: string, tags: FileTags, tree?: Tree): Chunk[] {
  const lines = text.split('\n');
  const header = tree && lang ? headerDoc(tree, lang, new Set(tags.defs.map((d) => d.line))) : '';
  const docs = tree && lang ? definitionDocs(tree, lang, tags.defs, FILE_CARD_MAX_CHARS - rel.length - 1) : [];
  if (lang && lang !== 'python') docs.push(...descriptionStrings(text));
  const names: string[] = [];
  for (const d of tags.defs) {
    let w = identifierWords(d.name);
    // Nothing documented: a signature says more than a bare name (`max satisfying (versions, range, options)`).
    if (!header && docs.length === 0 && tags.defs.length <= 2) w += ` ${signature(lines, d) ?? ''}`;
    w = w.trim();
    if (w && !names.includes(w)) names.push(w);
    if (names.length >= MAX_NAMES) break;
  }
  let about = header;
  // Nothing describes the file (no docs, < 3 names): its first words do — a one-function module's code, a
  // config's keys, prose — after the imports and directives, which say nothing about it.
  if (!about && docs.length === 0 && names.length < 3) about = firstWords(text);
  const cards = [cardChunk(rel, lang, [rel, about, names.join(', ')].filter(Boolean).join('\n'), lines.length)];
  if (docs.length > 0) cards.push(cardChunk(rel, lang, `${rel}\n${docs.join(' ')}`, lines.length));
  return cards;
}
