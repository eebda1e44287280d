// Definitions and references of identifiers in one file, from tree-sitter tag queries (Aider's tags).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Query, type Tree } from 'web-tree-sitter';
import { loadLanguage } from './grammars';
import { languageForPath } from './languages';
import { TAG_QUERIES } from './tag-queries';
import type { FileTags, Language, Tag, TagKind } from './types';
import { parseSource } from './chunker';

const requireFrom = createRequire(__filename);
const queries = new Map<Language, Promise<Query>>();

/** The tag query source for `lang` (C: the package's own tags.scm plus our reference patterns). */
export function tagQuerySource(lang: Language): string {
  if (lang !== 'c') return TAG_QUERIES[lang];
  const scm = path.join(path.dirname(requireFrom.resolve('tree-sitter-c/package.json')), 'queries', 'tags.scm');
  return `${readFileSync(scm, 'utf8')}\n${TAG_QUERIES.cRefs}`;
}

function queryFor(lang: Language): Promise<Query> {
  let q = queries.get(lang);
  if (!q) {
    q = loadLanguage(lang).then((language) => new Query(language, tagQuerySource(lang)));
    q.catch(() => queries.delete(lang));
    queries.set(lang, q);
  }
  return q;
}

const KIND_BY_CAPTURE: Record<string, TagKind> = {
  'definition.function': 'function',
  'definition.method': 'method',
  'definition.class': 'class',
  'definition.interface': 'interface',
  'definition.type': 'type',
  'definition.module': 'module',
  'definition.constant': 'constant',
  'definition.macro': 'macro',
  'reference.call': 'call',
};

/** Tags of a parsed tree: one per (name, line, kind), references that are a definition's own name dropped. */
export async function tagsFromTree(rel: string, lang: Language, tree: Tree): Promise<FileTags> {
  const query = await queryFor(lang);
  const defs: Tag[] = [];
  const refs: Tag[] = [];
  const seen = new Set<string>();
  const defAt = new Set<string>();
  for (const match of query.matches(tree.rootNode)) {
    const nameNode = match.captures.find((c) => c.name === 'name')?.node;
    const role = match.captures.find((c) => c.name !== 'name')?.name;
    if (!nameNode || !role) continue;
    const name = nameNode.text;
    if (!name || name.length > 200) continue;
    const line = nameNode.startPosition.row + 1;
    const isDef = role.startsWith('definition.');
    const kind: TagKind = KIND_BY_CAPTURE[role] ?? (isDef ? 'type' : 'reference');
    const key = `${isDef ? 'd' : 'r'}\0${name}\0${line}\0${kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (isDef ? defs : refs).push({ name, rel, line, kind });
    if (isDef) defAt.add(`${name}\0${line}`);
  }
  return { defs, refs: refs.filter((r) => !defAt.has(`${r.name}\0${r.line}`)) };
}

/** Tags of one file; files without a grammar or that fail to parse have none (they still have chunks). */
export async function extractTags(rel: string, text: string): Promise<FileTags> {
  const lang = languageForPath(rel);
  if (!lang) return { defs: [], refs: [] };
  const parsed = await parseSource(lang, text);
  if ('error' in parsed) return { defs: [], refs: [] };
  try {
    return await tagsFromTree(rel, lang, parsed.tree);
  } finally {
    parsed.tree.delete();
  }
}
