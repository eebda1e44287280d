// Translates Prisma Client calls that are statically visible — <client>.<model>.findMany / findFirst / findUnique(…OrThrow)
// / count / deleteMany / updateMany with a literal `where` (equals, not, in, lt/lte/gt/gte, contains/startsWith/
// endsWith, AND/OR), `orderBy` and `take` — into the SQL they run, with `?` placeholders. Relation filters, `include`
// and computed `where` objects make the call unrecognised.
import type { Node } from 'web-tree-sitter';
import type { PrismaModel } from './schema-prisma';
import type { SchemaTable } from './types';

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const RANGE: Record<string, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };
const LIKE = new Set(['contains', 'startsWith', 'endsWith']);
const OPS = new Set([
  'findMany',
  'findFirst',
  'findUnique',
  'findFirstOrThrow',
  'findUniqueOrThrow',
  'count',
  'deleteMany',
  'updateMany',
  'delete',
  'update',
]);

class Unrecognised extends Error {}

const keyOf = (pair: Node): string => (pair.childForFieldName('key')?.text ?? '').replace(/^['"]|['"]$/g, '');
const pairs = (obj: Node): Node[] => obj.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');

function columnOf(model: PrismaModel, field: string): string {
  const col = model.fields.get(field);
  if (!col) throw new Unrecognised(); // a relation or unknown field
  return q(col);
}

function fieldFilter(model: PrismaModel, field: string, value: Node): string[] {
  const col = columnOf(model, field);
  if (value.type === 'null') return [`${col} IS NULL`];
  if (value.type !== 'object') return [`${col} = ?`];
  return pairs(value)
    .map((p) => {
      if (p.type !== 'pair') throw new Unrecognised();
      const op = keyOf(p);
      const v = p.childForFieldName('value');
      if (op === 'equals') return v?.type === 'null' ? `${col} IS NULL` : `${col} = ?`;
      if (op === 'not') return v?.type === 'null' ? `${col} IS NOT NULL` : `${col} <> ?`;
      if (op === 'in') return `${col} IN (?)`;
      if (op === 'notIn') return `${col} NOT IN (?)`;
      if (RANGE[op]) return `${col} ${RANGE[op]} ?`;
      if (LIKE.has(op)) return `${col} LIKE ?`;
      if (op === 'mode') return '';
      throw new Unrecognised();
    })
    .filter(Boolean);
}

function where(model: PrismaModel, obj: Node): string[] {
  if (obj.type !== 'object') throw new Unrecognised();
  const out: string[] = [];
  for (const p of pairs(obj)) {
    if (p.type === 'shorthand_property_identifier') {
      out.push(`${columnOf(model, p.text)} = ?`);
      continue;
    }
    if (p.type !== 'pair') throw new Unrecognised(); // a spread: not static
    const key = keyOf(p);
    const value = p.childForFieldName('value')!;
    if (key === 'AND' || key === 'OR') {
      const items = value.type === 'array' ? value.namedChildren.filter((n): n is Node => n !== null) : [value];
      const parts = items
        .map((i) => where(model, i).join(' AND '))
        .filter(Boolean)
        .map((s) => `(${s})`);
      if (parts.length) out.push(parts.length === 1 ? parts[0]! : `(${parts.join(` ${key} `)})`);
    } else out.push(...fieldFilter(model, key, value));
  }
  return out;
}

function orderBy(model: PrismaModel, value: Node): string[] {
  const objects = value.type === 'array' ? value.namedChildren.filter((n): n is Node => n !== null) : [value];
  return objects.flatMap((o) => {
    if (o.type !== 'object') throw new Unrecognised();
    return pairs(o).map((p) => {
      const dir = p.childForFieldName('value')?.text.replace(/['"]/g, '').toUpperCase();
      if (p.type !== 'pair' || (dir !== 'ASC' && dir !== 'DESC')) throw new Unrecognised();
      return `${columnOf(model, keyOf(p))} ${dir}`;
    });
  });
}

/** `<client>.<model>.<op>(args)` → SQL, or undefined when the model, op or arguments are not recognised. */
export function translatePrisma(call: Node, models: PrismaModel[], tables: readonly SchemaTable[]): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'member_expression') return undefined;
  const op = fn.childForFieldName('property')?.text ?? '';
  const accessor = fn.childForFieldName('object');
  if (!OPS.has(op) || accessor?.type !== 'member_expression') return undefined;
  const name = accessor.childForFieldName('property')?.text ?? '';
  const model = models.find((m) => m.model.charAt(0).toLowerCase() + m.model.slice(1) === name);
  if (!model) return undefined;
  const arg = call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  if (arg.length > 1 || (arg[0] && arg[0].type !== 'object')) return undefined;
  let conds: string[] = [];
  let order: string[] = [];
  let limit = op.startsWith('findFirst') || op.startsWith('findUnique') ? ' LIMIT 1' : '';
  try {
    for (const p of arg[0] ? pairs(arg[0]) : []) {
      if (p.type !== 'pair') throw new Unrecognised();
      const key = keyOf(p);
      const value = p.childForFieldName('value')!;
      if (key === 'where') conds = where(model, value);
      else if (key === 'orderBy') order = orderBy(model, value);
      else if (key === 'take') limit = ' LIMIT ?';
      else if (key === 'skip') limit += ' OFFSET ?';
      else if (!['select', 'data', 'distinct'].includes(key)) throw new Unrecognised(); // include: joins
    }
  } catch (e) {
    if (e instanceof Unrecognised) return undefined;
    throw e;
  }
  const table = q(model.table);
  const filter = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  if (op === 'count') return `SELECT count(*) FROM ${table}${filter}`;
  if (op.startsWith('delete')) return `DELETE FROM ${table}${filter}`;
  if (op.startsWith('update')) {
    const data =
      arg[0] &&
      pairs(arg[0])
        .find((p) => p.type === 'pair' && keyOf(p) === 'data')
        ?.childForFieldName('value');
    const sets =
      data?.type === 'object'
        ? pairs(data)
            .map((p) => (p.type === 'pair' ? keyOf(p) : p.text))
            .filter((f) => model.fields.has(f))
        : [];
    if (sets.length === 0) return undefined;
    return `UPDATE ${table} SET ${sets.map((f) => `${columnOf(model, f)} = ?`).join(', ')}${filter}`;
  }
  const cols = tables.find((t) => t.name === model.table)?.columns.map((c) => q(c.name));
  return `SELECT ${cols?.length ? cols.join(', ') : '*'} FROM ${table}${filter}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}${limit}`;
}
