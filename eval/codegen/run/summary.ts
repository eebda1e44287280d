// The eval's figures from the per-problem records: pass@1 of single shot / repair / repair + selection, seconds per
// problem and per single shot, and how well the quality score ranks candidates against their hidden-test results.
import { PROBLEM_LANGUAGES, type ProblemLanguage } from '../schema';
import { passFraction } from './grade';
import { contextLabel, speculationLabel, type ContextSetting, type ProblemRecord, type SpeculationSetting } from './results';
import type { StageUsage } from '../../../common/codegen/engine';
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
  /**
   * Model cost per stage summed over the problems that report it (model-written tests, first answers, repairs): calls,
   * completion tokens, prompt tokens sent and prompt tokens evaluated (the rest came from the KV cache). Load-independent.
   */
  usage: { problems: number; stages: Partial<Record<UsageStageName, StageUsage>> };
  /** Problems that stopped early (a candidate passed the visible tests and the scan), and rounds ended per stop rule. */
  stops: { earlyStopProblems: number; rounds: Record<string, number> };
  /** --context runs: mean tokens per problem that retrieval put into the prompt (chunks, repo map), over `problems`. */
  retrieved?: { problems: number; meanTokens: number | null; meanRepoMapTokens: number | null; meanChunks: number | null };
  /**
   * Candidates that kept a round before their last (no later round was measurably better: engine keptRound): hidden
   * tests passed by the kept rounds and by the last rounds they replaced, and in how many the kept one did better /
   * worse. Absent before any run recorded `kept`.
   */
  keptEarlier?: { candidates: number; of: number; hiddenKept: number; hiddenLast: number; better: number; worse: number };
  /**
   * Every round of every candidate graded (records since 2026-12-05): the best round the run produced against the
   * answer it selected. The gap is what a better keep/select order could gain without another model call.
   */
  everyRound?: {
    problems: number;
    rounds: number;
    /** Problems where some round passes every hidden test / where the selected answer does. */
    bestPasses: number;
    selectedPasses: number;
    /** Hidden tests passed, summed over problems: by each problem's best round, the selected answer, the single shot. */
    bestHidden: number;
    selectedHidden: number;
    singleShotHidden: number;
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

export const USAGE_STAGES = ['tests', 'generate', 'repair'] as const;
export type UsageStageName = (typeof USAGE_STAGES)[number];

function usageTotals(records: ProblemRecord[]): EvalSummary['usage'] {
  const stages: EvalSummary['usage']['stages'] = {};
  const withUsage = records.filter((r) => r.usage);
  for (const r of withUsage) {
    for (const stage of USAGE_STAGES) {
      const u = r.usage?.[stage];
      if (!u) continue;
      const t = (stages[stage] ??= { calls: 0, completionTokens: 0, promptTokens: 0, evaluatedPromptTokens: 0 });
      t.calls += u.calls;
      t.completionTokens += u.completionTokens;
      t.promptTokens += u.promptTokens;
      t.evaluatedPromptTokens += u.evaluatedPromptTokens;
    }
  }
  return { problems: withUsage.length, stages };
}

function stopTotals(records: ProblemRecord[]): EvalSummary['stops'] {
  const rounds: Record<string, number> = {};
  for (const r of records) for (const [k, n] of Object.entries(r.stops ?? {})) rounds[k] = (rounds[k] ?? 0) + n;
  return { earlyStopProblems: records.filter((r) => r.earlyStop).length, rounds };
}

function retrievedTotals(records: ProblemRecord[]): Pick<EvalSummary, 'retrieved'> {
  const r = records.flatMap((x) => x.retrieved ?? []);
  if (r.length === 0) return {};
  return {
    retrieved: {
      problems: r.length,
      meanTokens: mean(r.map((x) => x.tokens)),
      meanRepoMapTokens: mean(r.map((x) => x.repoMapTokens)),
      meanChunks: mean(r.map((x) => x.chunks)),
    },
  };
}

function keptEarlierTotals(records: ProblemRecord[]): Pick<EvalSummary, 'keptEarlier'> {
  const recorded = records.flatMap((r) => r.candidates).filter((c) => c.kept !== undefined);
  if (recorded.length === 0) return {};
  const earlier = recorded.filter((c) => c.lastHidden);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    keptEarlier: {
      candidates: earlier.length,
      of: recorded.filter((c) => c.rounds > 1).length,
      hiddenKept: sum(earlier.map((c) => c.hidden.passedTests)),
      hiddenLast: sum(earlier.map((c) => c.lastHidden!.passedTests)),
      better: earlier.filter((c) => c.hidden.passedTests > c.lastHidden!.passedTests).length,
      worse: earlier.filter((c) => c.hidden.passedTests < c.lastHidden!.passedTests).length,
    },
  };
}

function everyRoundTotals(records: ProblemRecord[]): Pick<EvalSummary, 'everyRound'> {
  const graded = records.filter((r) => r.candidates.length > 0 && r.candidates.every((c) => c.roundGrades?.length));
  if (graded.length === 0) return {};
  const rounds = (r: ProblemRecord) => r.candidates.flatMap((c) => c.roundGrades ?? []);
  const best = (r: ProblemRecord) => Math.max(...rounds(r).map((g) => g.hidden.passedTests));
  const sum = (f: (r: ProblemRecord) => number) => graded.reduce((a, r) => a + f(r), 0);
  return {
    everyRound: {
      problems: graded.length,
      rounds: sum((r) => rounds(r).length),
      bestPasses: graded.filter((r) => rounds(r).some((g) => g.hidden.passed)).length,
      selectedPasses: graded.filter((r) => r.answers.selected.passed).length,
      bestHidden: sum(best),
      selectedHidden: sum((r) => r.answers.selected.passedTests),
      singleShotHidden: sum((r) => r.answers.singleShot.passedTests),
    },
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
    usage: usageTotals(done),
    stops: stopTotals(done),
    ...retrievedTotals(done),
    ...keptEarlierTotals(done),
    ...everyRoundTotals(done),
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
export function formatSummary(
  s: EvalSummary,
  settings: { model: string; samples: number; maxRounds: number; context?: ContextSetting; speculation?: SpeculationSetting },
): string {
  const lines = [
    `codegen eval — model ${settings.model}, k=${settings.samples}, N=${settings.maxRounds}: ${s.problems} problems` +
      (s.errors > 0 ? ` (${s.errors} generation errors, counted as failed)` : ''),
    // Always named, so a figure is never read as the other kind: the time goals are about runs without context.
    `context: ${contextLabel(settings.context)} · speculation: ${speculationLabel(settings.speculation)}`,
    ...(s.retrieved
      ? [
          `retrieved into the prompt: mean ${num(s.retrieved.meanTokens, 0)} tokens (${num(s.retrieved.meanChunks)} chunks) + ` +
            `repo map ${num(s.retrieved.meanRepoMapTokens, 0)} tokens, over ${s.retrieved.problems} problems`,
        ]
      : []),
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
    ...usageLines(s),
    ...(s.keptEarlier
      ? [
          `rounds kept before the last: ${s.keptEarlier.candidates} of ${s.keptEarlier.of} repaired candidates; hidden tests passed ` +
            `kept ${s.keptEarlier.hiddenKept} vs last ${s.keptEarlier.hiddenLast} (better in ${s.keptEarlier.better}, worse in ${s.keptEarlier.worse})`,
        ]
      : []),
    ...(s.everyRound
      ? [
          `every round graded (${s.everyRound.problems} problems, ${s.everyRound.rounds} rounds): the best round passes every hidden ` +
            `test in ${s.everyRound.bestPasses}, the selected answer in ${s.everyRound.selectedPasses}; hidden tests passed by the ` +
            `best round ${s.everyRound.bestHidden}, selected ${s.everyRound.selectedHidden}, single shot ${s.everyRound.singleShotHidden}`,
        ]
      : []),
    `score vs hidden tests (Spearman): pooled ${num(s.scoreVsHidden.pooled, 3)} over ${s.scoreVsHidden.pairs} candidates, ` +
      `within-problem mean ${num(s.scoreVsHidden.withinProblemMean, 3)} over ${s.scoreVsHidden.problemsRanked} problems`,
  );
  return lines.join('\n');
}

/** Tokens per stage (sum over problems, and per problem), then the stop rules that fired. */
function usageLines(s: EvalSummary): string[] {
  const n = s.usage.problems;
  if (n === 0) return [];
  const lines = [`model cost per stage over ${n} problems (completion tokens, calls, prompt tokens evaluated/sent):`];
  for (const stage of USAGE_STAGES) {
    const u = s.usage.stages[stage];
    if (!u) continue;
    lines.push(
      `  ${stage.padEnd(8)} ${u.completionTokens} tokens (${(u.completionTokens / n).toFixed(0)}/problem) in ${u.calls} calls, ` +
        `prompt ${u.evaluatedPromptTokens}/${u.promptTokens}`,
    );
  }
  const rules = Object.entries(s.stops.rounds).map(([k, v]) => `${k} ${v}`);
  lines.push(
    `early stop in ${s.stops.earlyStopProblems}/${n} problems; repair loops ended by rule: ${rules.length ? rules.join(', ') : 'none'}`,
  );
  return lines;
}
