// The SQL part of the performance lab on a project folder (issue 15.5): the files the SQL modules read (sources for
// queries and ORM models, .sql and schema.prisma for the schema), every query found planned on the scratch SQLite with
// the indexes proposed for its full scans, and one proposed index benchmarked. The analysis itself lives in ../sql.
import type { SqlQueriesResult, SqlQueryReport } from '../../../../common/contracts/perf';
import { EvolveError } from '../../../../common/errors';
import type { IndexVerification } from '../../../../common/perf/types';
import { cappedProjectFiles, projectSources } from '../../codegen/engine/project-files';
import { explainQuery, findQueries, proposeIndexes, scratchSchema, verifyIndex, type SchemaWithModels } from '../sql';

/** Queries planned in one call: each plan is a sandboxed Python process, so a huge project is listed, not all planned. */
export const SQL_PLAN_LIMIT = 100;
/** Table sizes of a verification when the caller names none: three, far enough apart for a scan's slope to show. */
export const SQL_DEFAULT_SIZES: readonly number[] = [2000, 8000, 32000];

const SCHEMA_FILE = /\.(?:sql|prisma)$/;

/** Every file the SQL modules read, relative path → text (Python, JS/TS sources, .sql, .prisma). */
export async function sqlProjectFiles(root: string): Promise<Record<string, string>> {
  const [py, ts, schema] = await Promise.all([
    projectSources(root, 'python'),
    projectSources(root, 'typescript'),
    cappedProjectFiles(root, (name) => SCHEMA_FILE.test(name)),
  ]);
  const files: Record<string, string> = Object.fromEntries(schema.map((f) => [f.path, f.content]));
  for (const f of [...py, ...ts]) if (!f.path.endsWith('.json')) files[f.path] = f.content;
  return files;
}

/** The schema, or the message that says why there is none (no .sql, models or schema.prisma): queries still list. */
async function schemaOf(files: Record<string, string>): Promise<SchemaWithModels | string> {
  try {
    return await scratchSchema(files);
  } catch (e) {
    if (e instanceof EvolveError && e.code === 'INVALID_ARGUMENT') return e.message;
    throw e;
  }
}

export async function projectSqlQueries(root: string, signal?: AbortSignal): Promise<SqlQueriesResult> {
  const files = await sqlProjectFiles(root);
  const found = await findQueries(files);
  if (found.length === 0) return { queries: [], truncated: false };
  const schema = await schemaOf(files);
  const queries: SqlQueryReport[] = [];
  for (const [i, q] of found.entries()) {
    if (signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
    if (typeof schema === 'string') queries.push({ ...q, proposals: [], error: schema });
    else if (i >= SQL_PLAN_LIMIT) queries.push({ ...q, proposals: [], error: `not planned: more than ${SQL_PLAN_LIMIT} queries` });
    else {
      // One query SQLite cannot plan (a table the schema lacks, dialect syntax) is reported on its row, not for all.
      try {
        const plan = await explainQuery(schema, q.sql, signal ? { signal } : {});
        queries.push({ ...q, plan, proposals: proposeIndexes(schema, q.sql, plan) });
      } catch (e) {
        // Anything else (no sandbox, cancel) concerns every query: one typed error for the call.
        if (!(e instanceof EvolveError) || e.code !== 'INVALID_ARGUMENT') throw e;
        queries.push({ ...q, proposals: [], error: e.message });
      }
    }
  }
  return { queries, truncated: found.length > SQL_PLAN_LIMIT };
}

export async function verifyProjectIndex(
  root: string,
  req: { sql: string; ddl: string; sizes?: number[] },
  signal?: AbortSignal,
): Promise<IndexVerification> {
  const schema = await schemaOf(await sqlProjectFiles(root));
  if (typeof schema === 'string') throw new EvolveError('INVALID_ARGUMENT', schema);
  return verifyIndex(schema, req.sql, req.ddl, { sizes: req.sizes ?? [...SQL_DEFAULT_SIZES], ...(signal ? { signal } : {}) });
}
