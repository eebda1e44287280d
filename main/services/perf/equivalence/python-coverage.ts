// Line and branch coverage of the OLD Python function only: coverage.py's JSON report of the whole before module,
// restricted to the function body's line range (a branch belongs to the function when its source line does).
import { z } from 'zod';
import type { CoverageFigures } from './coverage-figures';
import { figure } from './coverage-figures';

const Arc = z.tuple([z.number().int(), z.number().int()]);

/** What the Python driver sends: the body's [first, last] line and coverage.py's per-file lists. */
export const PythonCoverageDataSchema = z.object({
  range: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  executedLines: z.array(z.number().int()),
  missingLines: z.array(z.number().int()),
  executedBranches: z.array(Arc),
  missingBranches: z.array(Arc),
});
export type PythonCoverageData = z.infer<typeof PythonCoverageDataSchema>;

/**
 * Lines: statements of the body run by at least one generated call. Branches: coverage.py's arcs out of a line with
 * more than one possible next line (if/else, loops entered or not, match cases, exits) whose source line is in the body.
 */
export function pythonCoverageFigures(data: PythonCoverageData): CoverageFigures {
  const [first, last] = data.range;
  const inside = (line: number): boolean => line >= first && line <= last;
  const lines = { covered: data.executedLines.filter(inside).length, missing: data.missingLines.filter(inside).length };
  const branches = {
    covered: data.executedBranches.filter(([from]) => inside(from)).length,
    missing: data.missingBranches.filter(([from]) => inside(from)).length,
  };
  return {
    lines: figure(lines.covered, lines.covered + lines.missing),
    branches: figure(branches.covered, branches.covered + branches.missing),
  };
}
