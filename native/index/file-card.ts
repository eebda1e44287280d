// A "file card": one short text per file (its path, its header comment and the names it defines, split into
// words) that is the only thing the index embeds. Embedding every chunk of a 5,000-file tree measured 5.46 M
// word pieces — 45–90 minutes of MiniLM on two CPU cores — while the cards of the same tree are ~0.6 M. Vector
// search therefore ranks files; BM25 ranks chunks; retrieval fuses both per file (main/services/projects/retrieval.ts).
import { createHash } from 'node:crypto';
import type { Node, Tree } from 'web-tree-sitter';
import type { Chunk, FileTags, Language } from './types';

/** Card text cap in characters (~130 MiniLM word pieces for code); the embedder truncates at 256 anyway. */
export const FILE_CARD_MAX_CHARS = 480;
const DOC_MAX_CHARS = 240;
const MAX_NAMES = 24;
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

/**
 * Comment text as prose: markers, separator rules and JSDoc tag lines (@author, @param {T} x…) dropped — only
 * the description words of @fileoverview and the like are kept — whitespace collapsed.
 */
export function commentText(raw: string): string {
  return raw
    .replace(/^\s*(\/\*+!?|\/\/+!?|#+!?|"""|''')/gm, ' ')
    .replace(/(\*+\/|"""|''')\s*$/gm, ' ')
    .replace(/^\s*\*+/gm, ' ')
    .replace(/@(fileoverview|file|module|overview|description|summary)\b/gi, ' ')
    .replace(/@\w+.*$/gm, ' ')
    .replace(/[-=*_~#]{4,}/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first few non-licence top-level comments (and a Python module docstring), as plain text. */
function headerDoc(tree: Tree, lang: Language): string {
  const parts: string[] = [];
  let seen = 0;
  for (const node of tree.rootNode.namedChildren as (Node | null)[]) {
    if (!node || seen >= 12) break;
    seen++;
    let raw: string | null = null;
    if (/comment/.test(node.type)) raw = node.text;
    else if (lang === 'python' && node.type === 'expression_statement' && node.firstNamedChild?.type === 'string') raw = node.text;
    if (raw === null || LICENSE.test(raw) || DIRECTIVE.test(raw.replace(/^\s*(\/\*+|\/\/+|#)\s*/, ''))) continue;
    const t = commentText(raw);
    if (t) parts.push(t);
    if (parts.join(' ').length >= DOC_MAX_CHARS) break;
  }
  return parts.join(' ').slice(0, DOC_MAX_CHARS);
}

/** The card of one file; without a header comment and with few names, the first words of the file stand in. */
export function fileCard(rel: string, lang: Language | null, text: string, tags: FileTags, tree?: Tree): Chunk {
  const names: string[] = [];
  for (const d of tags.defs) {
    const w = identifierWords(d.name);
    if (w && !names.includes(w)) names.push(w);
    if (names.length >= MAX_NAMES) break;
  }
  let doc = tree && lang ? headerDoc(tree, lang) : '';
  // Nothing describes the file (no header, < 3 names): its first words do (imports, a config's keys, prose).
  if (!doc && names.length < 3) doc = text.replace(/\s+/g, ' ').trim().slice(0, DOC_MAX_CHARS);
  const card = [rel, doc, names.join(', ')].filter(Boolean).join('\n').slice(0, FILE_CARD_MAX_CHARS);
  return {
    id: createHash('sha256')
      .update(`card\0${lang ?? 'text'}\0${card}`)
      .digest('hex'),
    rel,
    startLine: 1,
    endLine: Math.max(1, text.split('\n').length),
    text: card,
    kind: FILE_CARD_KIND,
  };
}
