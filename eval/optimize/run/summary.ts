// The optimisation eval's figures from the per-problem records: how many problems got a verified (offered) speed-up,
// the geometric mean of those speed-ups (each the median ratio at the largest size), and why the other suggestions
// were rejected — by the tests / equivalence check (behaviour), by the benchmark (speed), or unusable.
import { formatInterval, formatRatio } from '../../../common/perf/offer';
import type { RatioInterval } from '../../../common/perf/types';
import type { ProblemRecord, RunSettings, SuggestionRecord } from './results';

export type SuggestionCause = SuggestionRecord['decision']['cause'];

export interface ProblemLine {
  id: string;
  /** proven / rejected / unavailable of the problem's offered suggestion, else of its first; 'error' when the run failed. */
  outcome: string;
  /** The causes of every suggestion, in order ('error' when the run failed). */
  causes: string[];
  /** The offered suggestion's interval at the largest size, else the first benchmarked one's (null when none was timed). */
  speedup: RatioInterval | null;
  /** Branch coverage of the old function by the equivalence inputs (first suggestion that reports it), in %. */
  branchCoverage: number | null;
  seconds: number;
}

export interface OptimizeSummary {
  problems: number;
  /** Problems whose lab run failed with a typed error (no decision). */
  errors: number;
  /** Problems with an offered suggestion: tests + equivalence held and the whole 95 % interval was above the bar. */
  verified: number;
  /** Geometric mean of the verified speed-ups (median ratios at the largest size); null when none was verified. */
  geomeanSpeedup: number | null;
  suggestions: number;
  /** Suggestions by their decision's cause. */
  causes: Record<SuggestionCause, number>;
  /** Malformed + unavailable: nothing could be proved (no usable code, a proof that could not run). */
  unusable: number;
  totalSeconds: number;
  perProblem: ProblemLine[];
}

/** exp(mean(ln x)); null for an empty list. RangeError for a value ≤ 0 (a ratio is always positive). */
export function geometricMean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let sum = 0;
  for (const x of xs) {
    if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`geometric mean of a non-positive or non-finite value: ${x}`);
    sum += Math.log(x);
  }
  return Math.exp(sum / xs.length);
}

export function countCauses(records: readonly ProblemRecord[]): Record<SuggestionCause, number> {
  const causes: Record<SuggestionCause, number> = { proven: 0, behaviour: 0, speed: 0, unavailable: 0, malformed: 0 };
  for (const r of records) for (const s of r.suggestions) causes[s.decision.cause] += 1;
  return causes;
}

function lineOf(r: ProblemRecord): ProblemLine {
  const offered = r.offered !== null ? r.suggestions.find((s) => s.index === r.offered) : undefined;
  const shown = offered ?? r.suggestions[0];
  const timed = offered ?? r.suggestions.find((s) => s.bench);
  const covered = r.suggestions.find((s) => s.equivalence?.coverage)?.equivalence?.coverage;
  return {
    id: r.id,
    outcome: r.status === 'error' ? 'error' : (shown?.decision.outcome ?? 'none'),
    causes: r.status === 'error' ? ['error'] : r.suggestions.map((s) => s.decision.cause),
    speedup: timed?.bench?.speedup ?? null,
    branchCoverage: covered ? covered.branches.percent : null,
    seconds: r.ms / 1000,
  };
}

export function summarize(records: readonly ProblemRecord[]): OptimizeSummary {
  const verifiedRatios = records.flatMap((r) => {
    if (r.status !== 'done' || r.offered === null) return [];
    const s = r.suggestions.find((x) => x.index === r.offered);
    return s?.bench ? [s.bench.speedup.median] : [];
  });
  const causes = countCauses(records);
  return {
    problems: records.length,
    errors: records.filter((r) => r.status === 'error').length,
    verified: verifiedRatios.length,
    geomeanSpeedup: geometricMean(verifiedRatios),
    suggestions: records.reduce((n, r) => n + r.suggestions.length, 0),
    causes,
    unusable: causes.malformed + causes.unavailable,
    totalSeconds: records.reduce((t, r) => t + r.ms / 1000, 0),
    perProblem: records.map(lineOf),
  };
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The text printed on stdout at the end of a run. */
export function formatSummary(s: OptimizeSummary, settings: RunSettings, wallSeconds?: number): string {
  const lines = [
    `eval:optimize — model ${settings.model}, ${settings.proposals} proposal(s) per problem` +
      (settings.sizes ? `, sizes ${settings.sizes.join('/')}` : ', sizes from meta.json'),
    '',
    `${pad('problem', 26)}${pad('outcome', 12)}${pad('causes', 22)}${pad('speed-up (95 % interval)', 28)}${pad('branch cov.', 13)}seconds`,
  ];
  for (const p of s.perProblem) {
    const speed = p.speedup ? `${formatRatio(p.speedup.median)}× (${formatInterval(p.speedup)})` : '—';
    const cov = p.branchCoverage !== null ? `${p.branchCoverage.toFixed(0)} %` : '—';
    lines.push(
      `${pad(p.id, 26)}${pad(p.outcome, 12)}${pad(p.causes.join(','), 22)}${pad(speed, 28)}${pad(cov, 13)}${p.seconds.toFixed(0)}`,
    );
  }
  const geo = s.geomeanSpeedup !== null ? `${formatRatio(s.geomeanSpeedup)}×` : 'n/a (none verified)';
  lines.push(
    '',
    `problems run: ${s.problems}${s.errors > 0 ? ` (${s.errors} ended in an error, no decision)` : ''}`,
    `verified speed-ups (offered: tests + equivalence hold, whole 95 % interval > 1.1×): ${s.verified}/${s.problems}`,
    `geometric mean of verified speed-ups (median ratio at the largest size): ${geo}`,
    `suggestions: ${s.suggestions} — proven ${s.causes.proven}, rejected by tests/equivalence ${s.causes.behaviour}, ` +
      `rejected by the benchmark ${s.causes.speed}, unusable ${s.unusable} (malformed ${s.causes.malformed}, unavailable ${s.causes.unavailable})`,
    `time: ${s.totalSeconds.toFixed(0)} s in the lab runs${wallSeconds !== undefined ? `, ${wallSeconds.toFixed(0)} s wall for this invocation` : ''}`,
  );
  return lines.join('\n');
}
