// A test run's results as the quality score's input: passed/total per origin (user, docstring, model).
import type { ScoreInput } from '../score';
import type { TestRun } from './types';

/**
 * Counts per origin for scoreCandidate. A run that is 'unavailable' or 'no-tests' measured nothing (undefined, so the
 * tests signal is left out of the score); 'error' (nothing could load) counts its cases as failed.
 */
export function testCountsByOrigin(run: TestRun): ScoreInput['tests'] {
  if (run.status === 'unavailable' || run.status === 'no-tests' || run.cases.length === 0) return undefined;
  const out: NonNullable<ScoreInput['tests']> = {};
  for (const c of run.cases) {
    const n = (out[c.origin] ??= { passed: 0, total: 0 });
    n.total += 1;
    if (c.passed) n.passed += 1;
  }
  return out;
}
