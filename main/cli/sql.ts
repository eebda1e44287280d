// `evolve sql --project DIR [--verify] [--rows a,b,c] [--trust] [--json]`: the performance lab's SQL part from a
// terminal (issue 15.5) through the same PerfService as the Performance tab: the project's queries with their plans on
// a scratch SQLite and the proposed indexes; --verify benchmarks each proposal. The report on stdout.
import { parseArgs } from 'node:util';
import type { SqlQueriesResult } from '../../common/contracts/perf';
import { EvolveError } from '../../common/errors';
import type { IndexVerification } from '../../common/perf/types';
import { openServices, projectFor } from './projects';

export const SQL_USAGE =
  'Usage: evolve sql --project DIR [--verify] [--rows 2000,8000,32000] [--trust] [--json]\n' +
  '  --verify   benchmark each proposed index (synthetic rows, without/with the index, ≥ 3 table sizes)\n' +
  '  --trust    trust the project first (recorded and audited): plans and timings run in the sandbox only once trusted';

function rowsArg(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const xs = v.split(',').map((x) => Number(x.trim()));
  if (xs.length < 3 || xs.some((x) => !Number.isInteger(x) || x < 1 || x > 1_000_000)) {
    throw new EvolveError('INVALID_ARGUMENT', `--rows needs at least three row counts between 1 and 1,000,000, got ${v}`);
  }
  return xs;
}

export interface SqlVerified {
  sql: string;
  ddl: string;
  result?: IndexVerification;
  error?: string;
}

/** The human-readable report: each query with its plan and proposals, each proposal's verification when made. */
export function sqlReportText(r: SqlQueriesResult, verified: readonly SqlVerified[] = []): string {
  if (r.queries.length === 0) return 'No SQL query found.\n';
  const lines: string[] = [];
  for (const q of r.queries) {
    lines.push(`${q.file}:${q.line} (${q.origin})`, `  ${q.sql}`);
    if (q.error) lines.push(`  not planned: ${q.error}`);
    for (const row of q.plan?.rows ?? []) lines.push(`  plan: ${row.detail}`);
    for (const n of q.plan?.notes ?? []) lines.push(`  note: ${n}`);
    for (const p of q.proposals) {
      lines.push(`  proposal: ${p.ddl}`, `    ${p.reason}`);
      const v = verified.find((x) => x.sql === q.sql && x.ddl === p.ddl);
      if (v?.error) lines.push(`    verification failed: ${v.error}`);
      if (v?.result) {
        lines.push(
          `    verdict: ${v.result.verdict} (${v.result.usesIndex ? 'the plan uses the index' : 'the plan does not use the index'})`,
        );
        for (const s of v.result.sizes)
          lines.push(
            `    ${String(s.n).padStart(8)} rows: speed-up ${s.speedup.median.toFixed(2)}× (${s.speedup.low.toFixed(2)}–${s.speedup.high.toFixed(2)}×, ${Math.round(s.speedup.confidence * 100)} %)`,
          );
        if (v.result.reason) lines.push(`    ${v.result.reason}`);
      }
    }
  }
  if (r.truncated) lines.push('Only the first queries were planned.');
  return `${lines.join('\n')}\n`;
}

export async function sqlCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      project: { type: 'string' },
      verify: { type: 'boolean', default: false },
      rows: { type: 'string' },
      trust: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0 || !values.project) throw new EvolveError('INVALID_ARGUMENT', SQL_USAGE);
  const sizes = rowsArg(values.rows);
  const s = await openServices();
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const project = await projectFor(s, values.project, true);
    if (values.trust) await s.workspace.setTrust(project.id, true);
    const found = await s.perf.sqlQueries({ projectId: project.id }, ac.signal);
    const verified: SqlVerified[] = [];
    if (values.verify) {
      for (const q of found.queries)
        for (const p of q.proposals) {
          process.stderr.write(`verifying ${p.ddl}…\n`);
          try {
            const result = await s.perf.verifyIndex(
              { projectId: project.id, sql: q.sql, ddl: p.ddl, ...(sizes ? { sizes } : {}) },
              ac.signal,
            );
            verified.push({ sql: q.sql, ddl: p.ddl, result });
          } catch (e) {
            // One index SQLite refuses does not stop the others; a cancel or a missing sandbox stops all.
            if (!(e instanceof EvolveError) || e.code !== 'INVALID_ARGUMENT') throw e;
            verified.push({ sql: q.sql, ddl: p.ddl, error: e.message });
          }
        }
    }
    if (values.json) process.stdout.write(`${JSON.stringify({ ...found, verified }, null, 2)}\n`);
    else process.stdout.write(sqlReportText(found, verified));
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await s.dispose();
  }
}
