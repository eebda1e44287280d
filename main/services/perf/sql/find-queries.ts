// findQueries: SQL a project runs, found statically with tree-sitter — string literals (Python, TS/JS, template
// literals with `${…}` / f-strings with `{…}` read as placeholders) that parse as a statement start, SQLAlchemy
// chains and Prisma Client calls translated to SQL. The project's code is never run.
import type { Node, Tree } from 'web-tree-sitter';
import { EvolveError } from '../../../../common/errors';
import type { SqlQuery } from '../../../../common/perf/types';
import { parserFor } from '../../../../native/index/grammars';
import type { Language } from '../../../../native/index/types';
import { translatePrisma } from './orm-prisma';
import { translateGet, translateSqlAlchemy } from './orm-sqlalchemy';
import { parsePrismaSchema, resolvePrismaReferences, type PrismaPart } from './schema-prisma';
import { parseSqlAlchemyModels, type SqlAlchemyPart } from './schema-sqlalchemy';
import { looksLikeSql } from './tokens';

const LANG_BY_EXT: Record<string, Language> = {
  py: 'python',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
};
/** Files larger than this are generated or vendored: not read. */
const MAX_FILE_CHARS = 1_000_000;

const line = (n: Node): number => n.startPosition.row + 1;
const tidy = (sql: string): string => sql.replace(/\s+/g, ' ').trim().replace(/;$/, '');

/** Text of a Python string (f-string fields as `?`), or of a concatenation of them; undefined for bytes literals. */
function pythonText(node: Node): string | undefined {
  if (node.type === 'concatenated_string') {
    const parts = node.namedChildren.map((c) => (c ? pythonText(c) : undefined));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (/^[rRuUfF]*[bB]/.test(node.text)) return undefined;
  return node.children
    .map((c) => (c?.type === 'string_content' ? c.text : c?.type === 'interpolation' ? '?' : c?.type === 'escape_sequence' ? c.text : ''))
    .join('');
}

/** Text of a JS/TS string or template literal (`${…}` as `?`). */
function scriptText(node: Node): string {
  const inner = node.text.slice(1, -1);
  if (node.type === 'string') return inner;
  let out = '';
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'string_fragment' || c.type === 'escape_sequence') out += c.text;
    else if (c.type === 'template_substitution') out += '?';
  }
  return out;
}

function stringQueries(file: string, lang: Language, tree: Tree, out: SqlQuery[]): void {
  const kinds = lang === 'python' ? ['concatenated_string', 'string'] : ['string', 'template_string'];
  for (const node of tree.rootNode.descendantsOfType(kinds)) {
    if (!node || (lang === 'python' && node.type === 'string' && node.parent?.type === 'concatenated_string')) continue;
    const text = lang === 'python' ? pythonText(node) : scriptText(node);
    if (text !== undefined && looksLikeSql(text)) out.push({ file, line: line(node), sql: tidy(text), origin: 'string' });
  }
}

function sqlalchemyQueries(file: string, tree: Tree, orm: SqlAlchemyPart, out: SqlQuery[]): void {
  for (const call of tree.rootNode.descendantsOfType('call')) {
    const fn = call?.childForFieldName('function');
    if (!call || !fn) continue;
    const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.text;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    const model = orm.models.find((m) => m.className === args[0]?.text);
    if (!model) continue;
    let sql: string | undefined;
    if ((name === 'query' && fn.type === 'attribute') || name === 'select') sql = translateSqlAlchemy(call, model, orm.models, orm.tables);
    else if (name === 'get' && fn.type === 'attribute' && args.length === 2) sql = translateGet(model, orm.tables);
    if (sql) out.push({ file, line: line(call), sql, origin: 'sqlalchemy' });
  }
}

function prismaQueries(file: string, tree: Tree, prisma: PrismaPart, out: SqlQuery[]): void {
  for (const call of tree.rootNode.descendantsOfType('call_expression')) {
    const sql = call ? translatePrisma(call, prisma.models, prisma.tables) : undefined;
    if (call && sql) out.push({ file, line: line(call), sql, origin: 'prisma' });
  }
}

/** Every query found in `files` (relative path → text), in file order then line order. */
export async function findQueries(files: Record<string, string>): Promise<SqlQuery[]> {
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw new EvolveError('INVALID_ARGUMENT', 'files must map relative paths to text');
  }
  const paths = Object.keys(files).sort();
  const orm: SqlAlchemyPart = { tables: [], indexes: [], models: [], skipped: [] };
  await parseSqlAlchemyModels(Object.fromEntries(paths.filter((p) => p.endsWith('.py')).map((p) => [p, files[p]!])), orm);
  const prisma: PrismaPart = { tables: [], indexes: [], models: [], skipped: [], postgres: false };
  for (const p of paths) if (p.endsWith('.prisma')) parsePrismaSchema(p, files[p]!, prisma);
  resolvePrismaReferences(prisma);

  const out: SqlQuery[] = [];
  for (const file of paths) {
    const lang = LANG_BY_EXT[file.split('.').pop() ?? ''];
    const text = files[file];
    if (!lang || typeof text !== 'string' || text.length > MAX_FILE_CHARS) continue;
    const tree = (await parserFor(lang)).parse(text);
    if (!tree) continue;
    try {
      const found: SqlQuery[] = [];
      stringQueries(file, lang, tree, found);
      if (lang === 'python' && orm.models.length > 0) sqlalchemyQueries(file, tree, orm, found);
      if (lang !== 'python' && prisma.models.length > 0) prismaQueries(file, tree, prisma, found);
      out.push(...found.sort((a, b) => a.line - b.line));
    } finally {
      tree.delete();
    }
  }
  return out;
}
