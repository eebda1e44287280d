// The covered / total / percent figure both coverage sources (coverage.py, V8 block coverage) are reduced to.
import type { z } from 'zod';
import type { CoverageFigureSchema } from '../../../../common/perf/types';

export type CoverageFigure = z.infer<typeof CoverageFigureSchema>;
export interface CoverageFigures {
  branches: CoverageFigure;
  lines: CoverageFigure;
}

/** A function with nothing to cover (no branch) counts as fully covered, as coverage.py and istanbul report it. */
export function figure(covered: number, total: number): CoverageFigure {
  return { covered, total, percent: total === 0 ? 100 : Math.round((covered / total) * 1000) / 10 };
}
