// Selection among k candidates: CodeT's dual agreement over the model-written tests, after the ground truth.
// Order: usable (no error, compiles) → weighted visible tests passed (user 3, docstring 2: the prompt's own examples
// are ground truth, a candidate failing one is wrong whatever the model tests say) → CodeT agreement → quality score
// → lower index (candidate 0 is the greedy one).
import { TEST_ORIGIN_WEIGHTS } from '../score';
import type { TestRun } from './types';

export interface SelectionEntry {
  index: number;
  /** The final round produced usable code (no extraction/edit error) that compiles. */
  usable: boolean;
  /** The final round's tests; null when they did not run (no code, a syntax error). */
  tests: TestRun | null;
  score: number;
}

export interface Selection {
  selected: number;
  /** Agreement per candidate index (CodeT: |group| × model tests the group passes). */
  agreement: Map<number, number>;
  reason: string;
}

function visibleScore(t: TestRun | null): number {
  if (!t) return 0;
  return t.cases.reduce((s, c) => s + (c.passed && c.origin !== 'model' ? TEST_ORIGIN_WEIGHTS[c.origin] : 0), 0);
}

/** Model tests a candidate passes, as a canonical key (its "consensus set" in CodeT). */
function passedModelTests(t: TestRun | null): string[] {
  if (!t || t.status === 'unavailable') return [];
  return t.cases
    .filter((c) => c.origin === 'model' && c.passed)
    .map((c) => c.id)
    .sort();
}

/**
 * CodeT dual agreement: candidates that pass exactly the same model tests form a group; each member's agreement is
 * |group| × |tests the group passes|. A group that passes no model test scores 0. Every candidate whose tests ran
 * counts, a type-erroring one too: its behaviour is evidence, and it still ranks after every compiling one.
 */
export function dualAgreement(entries: readonly SelectionEntry[]): Map<number, number> {
  const groups = new Map<string, number[]>();
  const sizeOf = new Map<string, number>();
  for (const e of entries.filter((x) => x.tests !== null)) {
    const passed = passedModelTests(e.tests);
    const key = passed.join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), e.index]);
    sizeOf.set(key, passed.length);
  }
  const out = new Map<number, number>();
  for (const e of entries) out.set(e.index, 0);
  for (const [key, members] of groups) for (const i of members) out.set(i, members.length * (sizeOf.get(key) ?? 0));
  return out;
}

export function selectCandidate(entries: readonly SelectionEntry[]): Selection {
  if (entries.length === 0) throw new Error('selectCandidate needs at least one candidate');
  const agreement = dualAgreement(entries);
  const ranked = [...entries].sort(
    (a, b) =>
      Number(b.usable) - Number(a.usable) ||
      visibleScore(b.tests) - visibleScore(a.tests) ||
      (agreement.get(b.index) ?? 0) - (agreement.get(a.index) ?? 0) ||
      b.score - a.score ||
      a.index - b.index,
  );
  const best = ranked[0]!;
  const why: string[] = [];
  if (entries.length === 1) why.push('single candidate');
  else {
    if (!best.usable) why.push('no candidate produced compiling code');
    why.push(
      `visible tests ${visibleScore(best.tests)} (weighted)`,
      `agreement ${agreement.get(best.index) ?? 0}`,
      `score before the scan ${best.score}`,
    );
  }
  return { selected: best.index, agreement, reason: why.join(', ') };
}
