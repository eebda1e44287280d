// What a query filters, joins and sorts on, per table (from its tokens): the columns an index could serve, and which
// column each `?` is compared with (so synthetic parameters hit real rows). Subqueries are read as one flat query;
// `? = col` (placeholder first) is not matched to its column.
import { tokenize, type Token } from './tokens';
import type { SchemaTable } from './types';

export interface ColumnUse {
  table: string;
  column: string;
}

export interface QueryShape {
  /** Tables read, with the alias the plan shows (the table name when there is none). */
  tables: { table: string; alias: string }[];
  equalities: ColumnUse[];
  ranges: ColumnUse[];
  joins: ColumnUse[];
  orderBy: ColumnUse[];
  /** For each `?` in order, the column it is compared with, or null. */
  params: (ColumnUse | null)[];
}

const KEYWORDS = new Set(
  'SELECT FROM WHERE AND OR NOT ON JOIN INNER LEFT RIGHT FULL OUTER CROSS NATURAL GROUP ORDER BY HAVING LIMIT OFFSET AS IN IS NULL LIKE BETWEEN EXISTS UNION ALL DISTINCT CASE WHEN THEN ELSE END ASC DESC INSERT INTO VALUES UPDATE SET DELETE WITH RECURSIVE RETURNING USING COLLATE ESCAPE GLOB CAST'.split(
    ' ',
  ),
);
const EQ = new Set(['=', '==', 'IN', 'IS']);
const RANGE = new Set(['<', '>', '<=', '>=', 'BETWEEN']);
const TABLE_INTRO = new Set(['FROM', 'JOIN', 'UPDATE', 'INTO']);

const isIdent = (t: Token | undefined): t is Token =>
  t !== undefined && (t.kind === 'name' || (t.kind === 'word' && !KEYWORDS.has(t.upper)));

export function analyzeQuery(sql: string, schema: readonly SchemaTable[]): QueryShape {
  const { tokens } = tokenize(sql);
  const shape: QueryShape = { tables: [], equalities: [], ranges: [], joins: [], orderBy: [], params: [] };
  const byName = (n: string) => schema.find((t) => t.name.toLowerCase() === n.toLowerCase());
  // Pass 1: tables and aliases (FROM a x, b AS y / JOIN c z / UPDATE d / DELETE FROM e).
  for (let i = 0; i < tokens.length; i++) {
    if (!TABLE_INTRO.has(tokens[i]!.upper)) continue;
    let j = i + 1;
    for (;;) {
      const name = tokens[j];
      if (!isIdent(name) || !byName(name.text)) break;
      let alias = name.text;
      let k = j + 1;
      if (tokens[k]?.upper === 'AS') k++;
      if (isIdent(tokens[k])) alias = tokens[k++]!.text;
      shape.tables.push({ table: byName(name.text)!.name, alias });
      if (tokens[i]!.upper !== 'FROM' || tokens[k]?.text !== ',') break;
      j = k + 1;
    }
  }
  const resolve = (qualifier: string | undefined, column: string): ColumnUse | null => {
    const candidates = qualifier
      ? shape.tables.filter((t) => t.alias.toLowerCase() === qualifier.toLowerCase())
      : shape.tables.filter((t) => byName(t.table)?.columns.some((c) => c.name.toLowerCase() === column.toLowerCase()));
    const t = candidates[0];
    const col = t && byName(t.table)?.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
    return col ? { table: t.table, column: col.name } : null;
  };
  /** A column reference at i (`c` or `q.c`): its use and the index after it. */
  const colAt = (i: number): { use: ColumnUse | null; next: number } | undefined => {
    if (!isIdent(tokens[i])) return undefined;
    if (tokens[i + 1]?.text === '.' && isIdent(tokens[i + 2])) return { use: resolve(tokens[i]!.text, tokens[i + 2]!.text), next: i + 3 };
    if (tokens[i + 1]?.text === '(') return undefined; // a function call
    return { use: resolve(undefined, tokens[i]!.text), next: i + 1 };
  };
  // Pass 2: predicates in WHERE / ON / HAVING, sort keys in ORDER BY, and the column each ? meets.
  let section: 'filter' | 'order' | 'other' = 'other';
  let lastCol: ColumnUse | null = null;
  const push = (list: ColumnUse[], u: ColumnUse | null) => {
    if (u && !list.some((x) => x.table === u.table && x.column === u.column)) list.push(u);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'param') {
      shape.params.push(lastCol);
      continue;
    }
    if (['LIMIT', 'OFFSET', 'VALUES', 'SELECT', 'FROM'].includes(t.upper)) lastCol = null; // a ? here is no column's
    if (['WHERE', 'ON', 'HAVING'].includes(t.upper)) section = 'filter';
    else if (t.upper === 'ORDER' && tokens[i + 1]?.upper === 'BY') section = 'order';
    else if (['GROUP', 'LIMIT', 'SELECT', 'FROM', 'JOIN', 'SET', 'VALUES', 'RETURNING', 'UNION'].includes(t.upper)) section = 'other';
    const ref = colAt(i);
    if (!ref) continue;
    lastCol = ref.use;
    if (section === 'order') push(shape.orderBy, ref.use);
    if (section !== 'filter') {
      i = ref.next - 1;
      continue;
    }
    let k = ref.next;
    if (tokens[k]?.upper === 'NOT') k++;
    const op = tokens[k]?.upper ?? '';
    const other = colAt(k + 1);
    if (EQ.has(op) && other?.use && op !== 'IN') {
      push(shape.joins, ref.use);
      push(shape.joins, other.use);
    } else if (EQ.has(op)) push(shape.equalities, ref.use);
    else if (RANGE.has(op)) push(shape.ranges, ref.use);
    i = ref.next - 1;
  }
  return shape;
}
