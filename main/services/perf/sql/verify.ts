// verifyIndex: fills a scratch database with synthetic rows at ≥ 3 sizes and times the query without and with the
// proposed index — interleaved pairs, each timing in a fresh Python process — then judges the speed-up with the
// benchmark harness's statistics. An index the plan does not use, or whose interval is not above the bar, is not proven.
import { z } from 'zod';
import { EvolveError } from '../../../../common/errors';
import type { BenchSizeResult, IndexVerification, QueryPlan } from '../../../../common/perf/types';
import { fitSlope, median, ratioInterval, verdict } from '../bench/stats';
import { analyzeQuery } from './analyze';
import { toQueryPlan } from './explain';
import { findSqlPython, runSqlScript, type SqlPython } from './python';
import { TIMER_PY, VERIFY_PY } from './scripts';
import { normalizeParams, tokenize } from './tokens';
import { SchemaTableSchema, type ScratchSchema } from './types';

export interface VerifyOptions {
  /** Row counts per table, ascending; at least three. */
  sizes: number[];
  /** Timed pairs per size (7 by default; fewer than 6 can never reach the 95 % the verdict asks for). */
  repeats?: number;
  /** Speed-up the whole interval must clear (1.1 by default, the lab's bar). */
  threshold?: number;
  seed?: number;
  signal?: AbortSignal;
  python?: SqlPython;
  /** Called after each size with its index (0-based) and the count. */
  onProgress?: (done: number, total: number) => void;
}

export type IndexSizeResult = BenchSizeResult;

const VerifyOutput = z.union([
  z.object({ error: z.string() }),
  z.object({
    ddlErrors: z.array(z.object({ sql: z.string(), error: z.string() })),
    planBefore: z.array(z.tuple([z.number().int(), z.number().int(), z.string()])),
    planAfter: z.array(z.tuple([z.number().int(), z.number().int(), z.string()])),
    beforeSec: z.array(z.number().positive()),
    afterSec: z.array(z.number().positive()),
  }),
]);

const INDEX_DDL = /^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?("?)([A-Za-z_]\w*)\2\s+ON\s/i;

function checkRequest(schema: Pick<ScratchSchema, 'ddl' | 'tables'>, sql: string, ddl: string, opts: VerifyOptions): string {
  if (!Array.isArray(schema?.ddl) || schema.ddl.length === 0) throw new EvolveError('INVALID_ARGUMENT', 'The schema has no DDL');
  if (typeof sql !== 'string' || sql.trim() === '') throw new EvolveError('INVALID_ARGUMENT', 'No query to time');
  const m = INDEX_DDL.exec(ddl ?? '');
  if (!m || tokenize(ddl).tokens.some((t) => t.text === ';')) {
    throw new EvolveError('INVALID_ARGUMENT', 'The index must be one CREATE INDEX name ON table (…) statement');
  }
  const tables = z.array(SchemaTableSchema).safeParse(schema.tables);
  if (!tables.success) throw new EvolveError('INVALID_ARGUMENT', `The schema's tables are malformed: ${tables.error.message}`);
  const sizes = opts?.sizes;
  if (!Array.isArray(sizes) || sizes.length < 3 || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1_000_000)) {
    throw new EvolveError('INVALID_ARGUMENT', 'sizes must be at least three row counts between 1 and 1,000,000');
  }
  if (new Set(sizes).size !== sizes.length) throw new EvolveError('INVALID_ARGUMENT', 'sizes must be distinct');
  const repeats = opts.repeats ?? 7;
  if (!Number.isInteger(repeats) || repeats < 2 || repeats > 50)
    throw new EvolveError('INVALID_ARGUMENT', 'repeats must be an integer in 2..50');
  return m[3]!;
}

export async function verifyIndex(
  schema: Pick<ScratchSchema, 'ddl' | 'tables'>,
  query: string,
  ddl: string,
  opts: VerifyOptions,
): Promise<IndexVerification> {
  const started = Date.now();
  const indexName = checkRequest(schema, query, ddl, opts);
  const sizes = [...opts.sizes].sort((a, b) => a - b);
  const repeats = opts.repeats ?? 7;
  const threshold = opts.threshold ?? 1.1;
  const norm = normalizeParams(query);
  const shape = analyzeQuery(norm.sql, schema.tables);
  if (shape.tables.length === 0) throw new EvolveError('INVALID_ARGUMENT', 'The query reads no table of the schema');
  const fill = new Set(shape.tables.map((t) => t.table));
  // Parents of the filled tables get rows too, so joins through a foreign key find their matches.
  for (const t of schema.tables) if (fill.has(t.name)) for (const c of t.columns) if (c.references) fill.add(c.references.table);
  const writes = !/^\s*(SELECT|WITH)\b/i.test(norm.sql);
  const python = opts.python ?? findSqlPython();
  const results: IndexSizeResult[] = [];
  let plans: { before: QueryPlan; after: QueryPlan } | undefined;
  for (const [k, n] of sizes.entries()) {
    if (opts.signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
    const out = await runSqlScript({
      script: VERIFY_PY,
      files: { 'timer.py': TIMER_PY },
      input: {
        ddl: schema.ddl,
        indexDdl: ddl,
        tables: schema.tables,
        fill: [...fill].filter((name) => schema.tables.some((t) => t.name === name)),
        n,
        sql: norm.sql,
        params: Array.from({ length: norm.params }, (_, i) => shape.params[i] ?? null),
        repeats,
        seed: opts.seed ?? 1,
        writes,
      },
      output: VerifyOutput,
      wallMs: 120_000,
      // A million rows of a wide table pass the sandbox's 64 MiB default for one file.
      maxFileBytes: 2 * 1024 ** 3,
      signal: opts.signal,
      python,
    });
    if ('error' in out) throw new EvolveError('INVALID_ARGUMENT', `Cannot time the index at ${n} rows: ${out.error}`);
    // The plan at the largest size is the one reported (small tables may be planned differently).
    plans = { before: toQueryPlan(out.planBefore, norm.sql, schema, []), after: toQueryPlan(out.planAfter, norm.sql, schema, []) };
    results.push({
      n,
      beforeSec: out.beforeSec,
      afterSec: out.afterSec,
      speedup: ratioInterval(out.beforeSec, out.afterSec, { seed: opts.seed }),
    });
    opts.onProgress?.(k + 1, sizes.length);
  }
  const usesIndex = plans!.after.rows.some((r) => new RegExp(`\\bINDEX ${indexName}\\b`).test(r.detail));
  const largest = results.at(-1)!;
  let v = verdict(largest.speedup, threshold);
  let reason: string | undefined;
  if (!usesIndex) {
    v = 'not-proven';
    reason = 'SQLite does not use the index for this query';
  } else if (v !== 'faster' && largest.speedup.confidence < 0.95) {
    reason = `${repeats} pairs give a ${(largest.speedup.confidence * 100).toFixed(0)} % interval; a proof needs 95 % (6 pairs or more)`;
  } else if (v !== 'faster') {
    reason = `the 95 % interval of the speed-up at ${largest.n} rows is ${largest.speedup.low.toFixed(2)}–${largest.speedup.high.toFixed(2)}×, not all above ${threshold}×`;
  }
  return {
    ddl,
    planBefore: plans!.before,
    planAfter: plans!.after,
    usesIndex,
    sizes: results,
    slope: {
      before: fitSlope(results.map((r) => ({ n: r.n, sec: median(r.beforeSec) }))),
      after: fitSlope(results.map((r) => ({ n: r.n, sec: median(r.afterSec) }))),
    },
    threshold,
    verdict: v,
    ...(reason ? { reason } : {}),
    durationMs: Date.now() - started,
  };
}
