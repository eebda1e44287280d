// Selection among k candidates: CodeT's dual agreement over the model-written tests, after the ground truth.
// Order: usable (no error, compiles) → weighted visible tests passed (user 3, docstring 2: the prompt's own examples
// are ground truth, a candidate failing one is wrong whatever the model tests say) → CodeT agreement → quality score
// → lower index (candidate 0 is the greedy one). Each candidate enters with the round it keeps (keptRound): a repair
// can make code worse, and the last round is not always the best one.
import { TEST_ORIGIN_WEIGHTS } from '../score';
import type { CandidateRound, TestRun } from './types';
import { compileErrors } from './verify';

export interface SelectionEntry {
  index: number;
  /** The kept round produced usable code (no extraction/edit error) that compiles. */
  usable: boolean;
  /** The kept round's tests; null when they did not run (no code, a syntax error). */
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

/** Usable code: the round's answer was used (no extraction/edit error), has code, and has no compile error. */
export function roundUsable(round: CandidateRound): boolean {
  return !round.error && round.code !== '' && compileErrors(round.checks).length === 0;
}

/**
 * The round a candidate offers: among its rounds, usable first, then weighted visible tests passed, then model tests
 * passed, then the earlier round. Repair only ever sees the visible tests and the compiler, so a rewrite that fixes a
 * type error can fail tests the round before passed (4 of 26 TypeScript problems at k=3, N=3 ended worse on hidden
 * tests than their first round); keeping the better round costs no model call. A later round must be measurably
 * better to replace an earlier one: on a tie the repair changed nothing the checks can see, and the first answer (the
 * greedy one for candidate 0) is kept. Measured in the 2026-12-04 runs: with the later round kept on ties, greedy
 * ts-circuit-breaker and ts-json-pointer kept a last round that still had a type error and passed fewer hidden tests.
 */
export function keptRound<R extends CandidateRound>(rounds: readonly R[]): R {
  if (rounds.length === 0) throw new Error('keptRound needs at least one round');
  let best = rounds[0]!;
  for (const r of rounds.slice(1)) {
    const better =
      Number(roundUsable(r)) - Number(roundUsable(best)) ||
      visibleScore(r.tests) - visibleScore(best.tests) ||
      passedModelTests(r.tests).length - passedModelTests(best.tests).length;
    if (better > 0) best = r;
  }
  return best;
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
