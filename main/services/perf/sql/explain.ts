// explainQuery: EXPLAIN QUERY PLAN of one query on a scratch SQLite database built from the schema's DDL, run with
// Python's sqlite3 in the sandbox; full scans are reported by table name (aliases resolved).
import { z } from 'zod';
import { EvolveError } from '../../../../common/errors';
import type { QueryPlan } from '../../../../common/perf/types';
import { analyzeQuery } from './analyze';
import { findSqlPython, runSqlScript, type SqlPython } from './python';
import { EXPLAIN_PY } from './scripts';
import { normalizeParams } from './tokens';
import type { ScratchSchema } from './types';

export const POSTGRES_NOTE = "explained on SQLite; PostgreSQL's planner may differ";

const PlanRows = z.array(z.tuple([z.number().int(), z.number().int(), z.string()]));
export const ExplainOutput = z.object({
  ddlErrors: z.array(z.object({ sql: z.string(), error: z.string() })),
  rows: PlanRows.optional(),
  error: z.string().optional(),
});

export interface ExplainOptions {
  /** The database the project runs on; PostgreSQL (or a PostgreSQL schema) adds the planner note. */
  dialect?: 'sqlite' | 'postgresql';
  signal?: AbortSignal;
  python?: SqlPython;
}

// "SCAN t", "SCAN TABLE t" (SQLite < 3.36), optionally "AS alias"; names may hold spaces. Index scans ("USING …
// INDEX", "USING INTEGER PRIMARY KEY"), virtual tables, subqueries and constant rows are not full table scans.
const SCAN = /^SCAN (?:TABLE )?(.+?)(?: AS (.+))?$/;
const NOT_A_TABLE_SCAN = / USING (?:COVERING )?INDEX | USING INTEGER PRIMARY KEY| VIRTUAL TABLE |^SCAN (?:CONSTANT ROW|SUBQUERY)/;

/** Plan rows into a QueryPlan: the tables behind each full-scan row (by alias), and the notes. */
export function toQueryPlan(
  rows: [number, number, string][],
  sql: string,
  schema: Pick<ScratchSchema, 'tables'>,
  notes: string[],
): QueryPlan {
  const shape = analyzeQuery(sql, schema.tables);
  const fullScans: string[] = [];
  for (const [, , detail] of rows) {
    const m = NOT_A_TABLE_SCAN.test(detail) ? null : SCAN.exec(detail);
    if (!m) continue;
    const shown = m[2] ?? m[1]!;
    const table = shape.tables.find((t) => t.alias === shown || t.table === shown)?.table ?? m[1]!;
    if (!fullScans.includes(table)) fullScans.push(table);
  }
  return { rows: rows.map(([id, parent, detail]) => ({ id, parent, detail })), fullScans, ...(notes.length ? { notes } : {}) };
}

/** PostgreSQL-only syntax in the query itself: $n / %s placeholders, :: casts, ILIKE. */
export function looksPostgres(sql: string): boolean {
  return /\$\d|%s|%\(\w+\)s|::\w|\bILIKE\b/i.test(sql);
}

export async function explainQuery(
  schema: Pick<ScratchSchema, 'ddl' | 'tables' | 'dialect'>,
  sql: string,
  opts: ExplainOptions = {},
): Promise<QueryPlan> {
  if (typeof sql !== 'string' || sql.trim() === '') throw new EvolveError('INVALID_ARGUMENT', 'No SQL to explain');
  if (!Array.isArray(schema?.ddl) || schema.ddl.length === 0)
    throw new EvolveError('INVALID_ARGUMENT', 'The schema has no DDL to build the scratch database from');
  const norm = normalizeParams(sql);
  const out = await runSqlScript({
    script: EXPLAIN_PY,
    input: { ddl: schema.ddl, sql: norm.sql, params: norm.params },
    output: ExplainOutput,
    wallMs: 20_000,
    signal: opts.signal,
    python: opts.python ?? findSqlPython(),
  });
  if (out.error !== undefined || !out.rows) {
    throw new EvolveError('INVALID_ARGUMENT', `SQLite cannot plan this query: ${out.error ?? 'no plan'}`, { ddlErrors: out.ddlErrors });
  }
  const notes: string[] = [];
  if (opts.dialect === 'postgresql' || schema.dialect === 'postgresql' || looksPostgres(sql)) notes.push(POSTGRES_NOTE);
  for (const e of out.ddlErrors) notes.push(`SQLite refused ${e.sql.slice(0, 60)}…: ${e.error}`);
  return toQueryPlan(out.rows, norm.sql, schema, notes);
}
