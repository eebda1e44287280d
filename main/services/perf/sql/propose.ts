// proposeIndexes: for each table the plan reads by a full scan, a CREATE INDEX on the columns the query filters on
// (equalities first, then one range column — the order SQLite's planner can use), else its join or ORDER BY columns;
// nothing when an existing index or key already starts with those columns.
import type { IndexProposal, QueryPlan } from '../../../../common/perf/types';
import { analyzeQuery, type ColumnUse } from './analyze';
import { normalizeParams } from './tokens';
import type { ScratchSchema } from './types';

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Column lists already indexed on a table: indexes, UNIQUE columns, the primary key (single or composite). */
function existingPrefixes(schema: Pick<ScratchSchema, 'tables' | 'indexes'>, table: string): string[][] {
  const t = schema.tables.find((x) => x.name === table);
  const lists = schema.indexes.filter((i) => i.table === table).map((i) => i.columns);
  for (const c of t?.columns ?? []) if (c.unique || c.primaryKey) lists.push([c.name]);
  if (t?.compositeKey) lists.push(t.compositeKey);
  return lists;
}

/** Whether an existing index serves `cols`: its leading columns are `cols` (the equality part in any order). */
function covered(existing: string[][], cols: string[], eqCount: number): boolean {
  return existing.some((ix) => {
    if (ix.length < cols.length) return false;
    const eq = new Set(cols.slice(0, eqCount).map((c) => c.toLowerCase()));
    const lead = ix.slice(0, eqCount).map((c) => c.toLowerCase());
    return lead.every((c) => eq.has(c)) && cols.slice(eqCount).every((c, k) => ix[eqCount + k]?.toLowerCase() === c.toLowerCase());
  });
}

export function proposeIndexes(schema: Pick<ScratchSchema, 'tables' | 'indexes'>, query: string, plan: QueryPlan): IndexProposal[] {
  const shape = analyzeQuery(normalizeParams(query).sql, schema.tables);
  const out: IndexProposal[] = [];
  const of = (list: ColumnUse[], table: string) => list.filter((u) => u.table === table).map((u) => u.column);
  for (const table of plan.fullScans) {
    if (!schema.tables.some((t) => t.name === table)) continue;
    const eq = of(shape.equalities, table);
    const range = of(shape.ranges, table).filter((c) => !eq.includes(c));
    let cols: string[];
    let eqCount: number;
    let reason: string;
    if (eq.length + range.length > 0) {
      cols = [...eq, ...range.slice(0, 1)];
      eqCount = eq.length;
      reason = `${table} is scanned in full to filter on ${cols.join(', ')}`;
    } else if (of(shape.joins, table).length > 0) {
      cols = of(shape.joins, table).slice(0, 1);
      eqCount = 1;
      reason = `${table} is scanned in full to join on ${cols[0]}`;
    } else if (of(shape.orderBy, table).length > 0) {
      cols = of(shape.orderBy, table);
      eqCount = 0;
      reason = `${table} is scanned in full and sorted by ${cols.join(', ')}`;
    } else continue; // a scan with nothing to seek on (e.g. count(*) of the whole table): an index cannot help
    const t = schema.tables.find((x) => x.name === table)!;
    if (cols.length === 1 && t.columns.find((c) => c.name === cols[0])?.primaryKey) continue;
    if (covered(existingPrefixes(schema, table), cols, eqCount)) continue;
    const name = `ix_${table}_${cols.join('_')}`.replace(/\W/g, '_');
    out.push({ table, columns: cols, ddl: `CREATE INDEX ${q(name)} ON ${q(table)} (${cols.map(q).join(', ')})`, reason });
  }
  return out;
}
