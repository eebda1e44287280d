// Translates SQLAlchemy query chains that are statically visible — session.query(Model) / select(Model) with
// filter_by, filter/where on Model.column comparisons (and_, or_, in_, like, is_), order_by, limit, first, count,
// and session.get(Model, id) — into the SQL they run, with `?` placeholders. Anything else in a chain (joins,
// options, subqueries, column expressions) makes the chain unrecognised rather than half-translated.
import type { Node } from 'web-tree-sitter';
import type { SqlAlchemyModel } from './schema-sqlalchemy';
import type { SchemaTable } from './types';

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const OPS: Record<string, string> = { '==': '=', '!=': '<>', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
// Methods that only say how rows come back: they change nothing in the SQL.
const PASSIVE = new Set([
  'all',
  'one',
  'one_or_none',
  'scalars',
  'scalar',
  'scalar_one',
  'scalar_one_or_none',
  'unique',
  'execution_options',
]);

const argsOf = (call: Node): Node[] => call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
class Unrecognised extends Error {}

interface Ctx {
  model: SqlAlchemyModel;
  models: SqlAlchemyModel[];
}

/** `Model.attr` → the quoted column. */
function column(node: Node | null, ctx: Ctx): string {
  if (node?.type !== 'attribute') throw new Unrecognised();
  const owner = node.childForFieldName('object')?.text;
  const attr = node.childForFieldName('attribute')?.text ?? '';
  const model = ctx.models.find((m) => m.className === owner);
  if (model !== ctx.model) throw new Unrecognised(); // another model: a join we do not translate
  const col = model.attributes.get(attr);
  if (!col) throw new Unrecognised();
  return q(col);
}

function predicate(node: Node, ctx: Ctx): string {
  if (node.type === 'comparison_operator') {
    const [left, right] = node.namedChildren;
    const op = node.children.find((c) => c !== null && OPS[c.type] !== undefined)?.type;
    if (!left || !right || !op) throw new Unrecognised();
    if (right.type === 'none') return `${column(left, ctx)} IS ${op === '==' ? '' : 'NOT '}NULL`;
    return `${column(left, ctx)} ${OPS[op]} ?`;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const args = argsOf(node);
    if (fn?.type === 'identifier' && (fn.text === 'and_' || fn.text === 'or_')) {
      const parts = args.map((a) => predicate(a, ctx));
      return parts.length === 1 ? parts[0]! : `(${parts.join(fn.text === 'and_' ? ' AND ' : ' OR ')})`;
    }
    if (fn?.type === 'attribute') {
      const method = fn.childForFieldName('attribute')?.text;
      const col = column(fn.childForFieldName('object'), ctx);
      if (method === 'in_') return `${col} IN (?)`;
      if (method === 'like' || method === 'ilike' || method === 'startswith' || method === 'contains') return `${col} LIKE ?`;
      if (method === 'is_') return `${col} IS ?`;
      if (method === 'between') return `${col} BETWEEN ? AND ?`;
    }
  }
  throw new Unrecognised();
}

function orderTerm(node: Node, ctx: Ctx): string {
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
    const target = fn?.type === 'attribute' ? fn.childForFieldName('object') : argsOf(node)[0];
    if (name === 'desc' || name === 'asc') return `${column(target ?? null, ctx)} ${name.toUpperCase()}`;
  }
  return column(node, ctx);
}

/** The chain of `.method(args)` calls applied to `start`, innermost first. */
function chainFrom(start: Node): { method: string; call: Node }[] {
  const out: { method: string; call: Node }[] = [];
  let cur = start;
  for (;;) {
    const attr = cur.parent;
    const call = attr?.parent;
    if (attr?.type !== 'attribute' || attr.childForFieldName('object')?.id !== cur.id || call?.type !== 'call') return out;
    out.push({ method: attr.childForFieldName('attribute')?.text ?? '', call });
    cur = call;
  }
}

function selectList(ctx: Ctx, tables: readonly SchemaTable[]): string {
  const cols = tables.find((t) => t.name === ctx.model.table)?.columns.map((c) => q(c.name));
  return cols && cols.length > 0 ? cols.join(', ') : '*';
}

/** SQL of a chain rooted at `root` (the `query(Model)` or `select(Model)` call), or undefined when not recognised. */
export function translateSqlAlchemy(
  root: Node,
  model: SqlAlchemyModel,
  models: SqlAlchemyModel[],
  tables: readonly SchemaTable[],
): string | undefined {
  const ctx: Ctx = { model, models };
  const where: string[] = [];
  const order: string[] = [];
  let limit = '';
  let count = false;
  try {
    for (const { method, call } of chainFrom(root)) {
      const args = argsOf(call);
      if (method === 'filter_by') {
        for (const a of args) {
          const attr = a.type === 'keyword_argument' ? a.childForFieldName('name')?.text : undefined;
          const col = attr && model.attributes.get(attr);
          if (!col) throw new Unrecognised();
          where.push(`${q(col)} = ?`);
        }
      } else if (method === 'filter' || method === 'where') where.push(...args.map((a) => predicate(a, ctx)));
      else if (method === 'order_by') order.push(...args.map((a) => orderTerm(a, ctx)));
      else if (method === 'limit') limit = ' LIMIT ?';
      else if (method === 'first') limit = ' LIMIT 1';
      else if (method === 'count') count = true;
      else if (!PASSIVE.has(method)) throw new Unrecognised();
    }
  } catch (e) {
    if (e instanceof Unrecognised) return undefined;
    throw e;
  }
  const list = count ? 'count(*)' : selectList(ctx, tables);
  return `SELECT ${list} FROM ${q(model.table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}${limit}`;
}

/** `session.get(Model, id)`: a primary-key lookup. */
export function translateGet(model: SqlAlchemyModel, tables: readonly SchemaTable[]): string | undefined {
  const t = tables.find((x) => x.name === model.table);
  const pk = t?.columns.find((c) => c.primaryKey);
  if (!t || !pk) return undefined;
  return `SELECT ${selectList({ model, models: [model] }, tables)} FROM ${q(model.table)} WHERE ${q(pk.name)} = ?`;
}
