// cProfile's statistics (pstats' table: exact call counts, self and cumulative time per function) → the hot table.
// cProfile's cumulative time already counts a recursive function once per outermost call.
import { z } from 'zod';
import { EvolveError } from '../../../../common/errors';
import type { HotFunction } from '../../../../common/perf/types';
import { framePath } from './paths';

/** One pstats row as the driver prints it: (file, line, name) → primitive calls cc, calls nc, self tt, total ct (s). */
export const CProfileRowSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  name: z.string(),
  cc: z.number().int().nonnegative(),
  nc: z.number().int().nonnegative(),
  tt: z.number().nonnegative(),
  ct: z.number().nonnegative(),
});
export type CProfileRow = z.infer<typeof CProfileRowSchema>;

/** Profiler plumbing that cProfile records about itself. */
const PROFILER_NOISE = /^<method 'disable' of '_lsprof\.Profiler' objects>$/;

/** Rows by self time, driver frames and the profiler's own call left out; `root` is the run's directory. */
export function cprofileHot(rows: unknown, root: string, limit = 30): HotFunction[] {
  const parsed = z.array(CProfileRowSchema).safeParse(rows);
  if (!parsed.success) throw new EvolveError('CORRUPT', 'cProfile statistics are malformed');
  const kept = parsed.data.filter((r) => !PROFILER_NOISE.test(r.name));
  const out: HotFunction[] = [];
  let allSelf = 0;
  for (const r of kept) {
    // Builtins have the file '~' and line 0; their name says what they are ('<built-in method builtins.len>').
    const path = r.file === '~' ? { file: undefined, driver: false } : framePath(r.file, root);
    if (path.driver) continue;
    allSelf += r.tt;
    const row: HotFunction = { name: r.name, selfMs: r.tt * 1000, totalMs: r.ct * 1000, selfPercent: 0, calls: r.nc };
    if (path.file !== undefined) {
      row.file = path.file;
      if (r.line > 0) row.line = r.line;
    }
    out.push(row);
  }
  for (const row of out) {
    row.selfPercent = allSelf > 0 ? Math.min(100, round((100 * row.selfMs) / (allSelf * 1000))) : 0;
    row.selfMs = round(row.selfMs);
    row.totalMs = round(row.totalMs);
  }
  out.sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs || a.name.localeCompare(b.name));
  return out.slice(0, limit);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
