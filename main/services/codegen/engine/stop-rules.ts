// When a repair loop stops early: a round whose code did not change or that failed exactly as the round before (one
// more round of the same feedback buys nothing but tokens), and when a candidate is good enough to stop everything.
import type { CandidateRound, TestRun } from './types';
import { compileErrors } from './verify';

export type RepeatStop = 'unchanged' | 'same-failure';

const firstLine = (s: string | undefined): string =>
  (s ?? '')
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim() ?? '';

/**
 * What a failing round failed on, as a comparable key: the compile errors (file, line, rule, first message line), the
 * failing user/docstring test ids with their first message line, a killed run, a runner error, or the round's error
 * (no code, an edit that did not apply). Model tests are left out: they do not trigger repairs.
 */
export function failureSignature(round: CandidateRound): string {
  const parts: string[] = [];
  if (round.error) parts.push(`error:${firstLine(round.error)}`);
  for (const f of compileErrors(round.checks)) parts.push(`compile:${f.file}:${f.line}:${f.ruleId}:${firstLine(f.message)}`);
  const t = round.tests;
  if (t) {
    if (t.killedBy) parts.push(`killed:${t.killedBy}`);
    if (t.status === 'error') parts.push(`runner:${firstLine(t.output)}`);
    for (const c of t.cases) if (!c.passed && c.origin !== 'model') parts.push(`test:${c.id}:${firstLine(c.message)}`);
  }
  return parts.sort().join('\n');
}

/** The code a round produced, all files (an edit may change several); '' when the round produced none. */
function codeKey(round: CandidateRound): string {
  if (round.error) return '';
  return round.files.length ? round.files.map((f) => `${f.path}\u0000${f.content}`).join('\u0001') : round.code;
}

/**
 * Whether the repair loop should stop after `current` although it still fails: the code is the same as the round
 * before, or it fails on the same things. Only a repair round (with a previous one) can repeat.
 */
export function repeatStop(previous: CandidateRound | undefined, current: CandidateRound): RepeatStop | undefined {
  if (!previous) return undefined;
  const code = codeKey(current);
  if (code !== '' && code === codeKey(previous)) return 'unchanged';
  const sig = failureSignature(current);
  if (sig !== '' && sig === failureSignature(previous)) return 'same-failure';
  return undefined;
}

/**
 * The round passes every user and docstring test there is (at least one): ground truth from the request, so with a
 * clean scan the generation can stop. Model tests do not count (they may be wrong); a killed or broken run never passes.
 */
export function passesVisibleTests(round: CandidateRound): boolean {
  if (round.error || compileErrors(round.checks).length > 0) return false;
  return visiblePass(round.tests);
}

function visiblePass(t: TestRun | null): boolean {
  if (!t || t.killedBy || t.status === 'error' || t.status === 'unavailable' || t.status === 'no-tests') return false;
  const visible = t.cases.filter((c) => c.origin !== 'model');
  return visible.length > 0 && visible.every((c) => c.passed);
}
