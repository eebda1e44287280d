// The stored rounds of a generation as the review lists them: grouped by candidate, each with a one-line summary
// (tokens, seconds, check findings, tests passed) and its stored detail read back through the schema it was written
// with. A detail that does not parse (a row from an older version) still lists the round, without the detail.
import { StoredRoundDetailSchema, type StoredRoundDetail } from '../../../common/codegen/engine';
import type { CodegenRound } from '../../../common/store/codegen-requests';

export interface ListedRound {
  round: CodegenRound;
  detail: StoredRoundDetail | null;
  summary: string;
  /** The round's code is the code the generation offers (the selected candidate's kept round). */
  offered: boolean;
}

export interface CandidateRounds {
  candidate: number;
  rounds: ListedRound[];
}

function checksPart(d: StoredRoundDetail): string {
  const findings = d.checks.flatMap((c) => c.findings);
  const high = findings.filter((f) => f.severity === 'high').length;
  if (findings.length === 0) return d.checks.length ? 'checks clean' : 'not checked';
  return `${findings.length} finding(s)${high ? `, ${high} high` : ''}`;
}

function testsPart(d: StoredRoundDetail): string {
  const t = d.tests;
  if (!t) return 'tests not run';
  if (t.status === 'unavailable') return `tests unavailable${t.unavailableReason ? `: ${t.unavailableReason}` : ''}`;
  if (t.status === 'no-tests') return 'no tests';
  const passed = t.cases.filter((c) => c.passed).length;
  const killed = t.killedBy ? ` (killed: ${t.killedBy})` : '';
  return t.status === 'error' ? `tests could not run${killed}` : `tests ${passed}/${t.cases.length}${killed}`;
}

export function summarizeRound(round: CodegenRound): Omit<ListedRound, 'offered'> {
  const parsed = StoredRoundDetailSchema.safeParse(round.checks);
  const detail = parsed.success ? parsed.data : null;
  const head = `round ${round.round + 1} · ${round.completionTokens} tokens · ${(round.ms / 1000).toFixed(1)} s`;
  if (!detail) return { round, detail, summary: `${head} · details unavailable` };
  const parts = detail.error ? [head, `no usable code: ${detail.error.split('\n')[0]}`] : [head, checksPart(detail), testsPart(detail)];
  return { round, detail, summary: parts.join(' · ') };
}

/** Rounds by candidate, in candidate then round order; `offered` marks rounds whose code is the generation's. */
export function listRounds(rounds: readonly CodegenRound[], offeredCode: string | null): CandidateRounds[] {
  const byCandidate = new Map<number, ListedRound[]>();
  const sorted = [...rounds].sort((a, b) => a.candidate - b.candidate || a.round - b.round);
  for (const r of sorted) {
    const listed = { ...summarizeRound(r), offered: offeredCode !== null && offeredCode !== '' && r.code === offeredCode };
    const list = byCandidate.get(r.candidate);
    if (list) list.push(listed);
    else byCandidate.set(r.candidate, [listed]);
  }
  return [...byCandidate].map(([candidate, list]) => ({ candidate, rounds: list }));
}
