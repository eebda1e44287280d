// The eval's figures from the per-problem records: pass@1 of single shot / repair / repair + selection, seconds per
// problem and per single shot, and how well the quality score ranks candidates against their hidden-test results.
import { PROBLEM_LANGUAGES, type ProblemLanguage } from '../schema';
import { passFraction } from './grade';
import { type ProblemRecord } from './results';
import { mean, median, spearman } from './stats';

export interface Rate {
  passed: number;
  total: number;
  /** passed / total, 0..1 (0 when total is 0). */
  rate: number;
}

export interface ThreeRates {
  singleShot: Rate;
  repair: Rate;
  selected: Rate;
}

export interface EvalSummary {
  /** Problems with a record in this selection; a generation error counts as failed for all three answers. */
  problems: number;
  errors: number;
  passAt1: ThreeRates;
  byLanguage: Partial<Record<ProblemLanguage, ThreeRates>>;
  seconds: {
    /** Whole pipeline per problem (k candidates, repairs, checks, tests, scan). */
    perProblem: { mean: number | null; median: number | null };
    /** Candidate 0 round 0 per problem: one generation with its checks and visible tests. */
    singleShot: { mean: number | null; median: number | null };
    /** mean pipeline ÷ mean single shot (goal ≤ 4). */
    pipelineOverSingleShot: number | null;
  };
  /** Spearman rho between each candidate's quality score and its hidden-test pass fraction. */
  scoreVsHidden: {
    /** All candidates of all problems as one sample. */
    pooled: number | null;
    pairs: number;
    /** Mean of the per-problem rho over the problems where it is defined (scores and results both vary). */
    withinProblemMean: number | null;
    problemsRanked: number;
  };
}

function rate(records: ProblemRecord[], pick: (r: ProblemRecord) => boolean): Rate {
  const passed = records.filter(pick).length;
  return { passed, total: records.length, rate: records.length === 0 ? 0 : passed / records.length };
}

function threeRates(records: ProblemRecord[]): ThreeRates {
  return {
    singleShot: rate(records, (r) => r.answers.singleShot.passed),
    repair: rate(records, (r) => r.answers.repair.passed),
    selected: rate(records, (r) => r.answers.selected.passed),
  };
}

export function summarize(records: ProblemRecord[]): EvalSummary {
  const done = records.filter((r) => r.status === 'done');
  const byLanguage: EvalSummary['byLanguage'] = {};
  for (const lang of PROBLEM_LANGUAGES) {
    const of = records.filter((r) => r.lang === lang);
    if (of.length > 0) byLanguage[lang] = threeRates(of);
  }
  const pipeline = done.map((r) => r.pipelineMs / 1000);
  const single = done.map((r) => r.singleShotMs / 1000);
  const meanPipeline = mean(pipeline);
  const meanSingle = mean(single);
  const scores: number[] = [];
  const fractions: number[] = [];
  const perProblem: number[] = [];
  for (const r of done) {
    const s = r.candidates.map((c) => c.score);
    const f = r.candidates.map((c) => passFraction(c.hidden));
    scores.push(...s);
    fractions.push(...f);
    const rho = spearman(s, f);
    if (rho !== null) perProblem.push(rho);
  }
  return {
    problems: records.length,
    errors: records.length - done.length,
    passAt1: threeRates(records),
    byLanguage,
    seconds: {
      perProblem: { mean: meanPipeline, median: median(pipeline) },
      singleShot: { mean: meanSingle, median: median(single) },
      pipelineOverSingleShot: meanPipeline !== null && meanSingle ? meanPipeline / meanSingle : null,
    },
    scoreVsHidden: {
      pooled: spearman(scores, fractions),
      pairs: scores.length,
      withinProblemMean: mean(perProblem),
      problemsRanked: perProblem.length,
    },
  };
}

const pct = (r: Rate): string => `${r.passed}/${r.total} = ${(100 * r.rate).toFixed(1)} %`;
const num = (v: number | null, digits = 1): string => (v === null ? 'n/a' : v.toFixed(digits));

/** The printed report (stdout). */
export function formatSummary(s: EvalSummary, settings: { model: string; samples: number; maxRounds: number }): string {
  const lines = [
    `codegen eval — model ${settings.model}, k=${settings.samples}, N=${settings.maxRounds}: ${s.problems} problems` +
      (s.errors > 0 ? ` (${s.errors} generation errors, counted as failed)` : ''),
    `pass@1  single shot        ${pct(s.passAt1.singleShot)}`,
    `pass@1  repair             ${pct(s.passAt1.repair)}`,
    `pass@1  repair + selection ${pct(s.passAt1.selected)}`,
  ];
  for (const [lang, r] of Object.entries(s.byLanguage)) {
    lines.push(`  ${lang.padEnd(10)} single ${pct(r.singleShot)} · repair ${pct(r.repair)} · +selection ${pct(r.selected)}`);
  }
  lines.push(
    `seconds per problem (whole pipeline): mean ${num(s.seconds.perProblem.mean)}, median ${num(s.seconds.perProblem.median)}`,
    `seconds per checked function (single shot): mean ${num(s.seconds.singleShot.mean)}, median ${num(s.seconds.singleShot.median)}` +
      ` — pipeline ÷ single shot ${num(s.seconds.pipelineOverSingleShot, 2)}×`,
    `score vs hidden tests (Spearman): pooled ${num(s.scoreVsHidden.pooled, 3)} over ${s.scoreVsHidden.pairs} candidates, ` +
      `within-problem mean ${num(s.scoreVsHidden.withinProblemMean, 3)} over ${s.scoreVsHidden.problemsRanked} problems`,
  );
  return lines.join('\n');
}
