// The eval loop: for each problem one engine run (k candidates × up to N repair rounds), then three answers from that
// same run graded with the hidden tests — single shot (candidate 0, round 0), repair (candidate 0, the round it keeps)
// and repair + selection (the engine's pick) — plus every candidate's kept answer for the score/hidden-test
// correlation, its last round when it kept an earlier one (what keeping the better round changed, side by side), and
// every round of every candidate (roundGrades: the best round the run produced, against the one it offered).
import {
  GenerateResultSchema,
  type CandidateResult,
  type CandidateRound,
  type GenerateInput,
  type GenerateResult,
  type TestRun,
} from '../../../common/codegen/engine';
import { EvolveError, isEvolveError, type ErrorCode } from '../../../common/errors';
import { SOLUTION_FILE, type CodegenProblem } from '../schema';
import { retrievedInPrompt } from './context-prompt';
import { type Grader } from './grade';
import { generateInputFor } from './problem-input';
import {
  openResults,
  saveResults,
  type AnswerGrade,
  type ProblemRecord,
  type ResultsFile,
  type RoundGrade,
  type RunSettings,
} from './results';
import { summarize, type EvalSummary } from './summary';
import { roundUsable } from '../../../main/services/codegen/engine/select';
import { compileErrors } from '../../../main/services/codegen/engine/verify';
import { testCountsByOrigin } from '../../../main/services/codegen/tests/counts';

const STOPS_THE_RUN: ReadonlySet<ErrorCode> = new Set(['CANCELLED', 'INTERNAL', 'INVALID_ARGUMENT']);

export interface EvalDeps {
  /** One engine run (runGeneration with the eval's model); its result is checked against the contract schema. */
  generate(input: GenerateInput, signal?: AbortSignal): Promise<unknown>;
  grader: Grader;
  /** Progress lines (stderr). */
  log(line: string): void;
  now?: () => number;
}

export interface EvalOptions {
  problems: CodegenProblem[];
  /** The results file (JSON), rewritten after every problem. */
  out: string;
  resume: boolean;
  settings: RunSettings;
  /** Passed to the engine; settings.model is the label kept in the file. */
  modelId?: string;
  signal?: AbortSignal;
}

export interface EvalOutcome {
  results: ResultsFile;
  summary: EvalSummary;
  /** Problems run now (the others were already in the file). */
  ran: string[];
}

/** The code of the solution file in a set of answer files, else the answer's code. */
function solutionCode(p: CodegenProblem, files: { path: string; content: string }[], code: string): string {
  return files.find((f) => f.path === SOLUTION_FILE[p.lang])?.content ?? code;
}

/**
 * Before spending model time: the grader must pass the reference of one problem per language, or every answer would
 * read as failed (no pytest in the sandbox, a broken batch) and the rates would be silently wrong.
 */
async function checkGrader(problems: CodegenProblem[], grader: Grader, signal?: AbortSignal): Promise<void> {
  const langs = [...new Set(problems.map((p) => p.lang))];
  for (const lang of langs) {
    const p = problems.find((x) => x.lang === lang)!;
    const [g] = await grader.grade(p, [p.reference], signal);
    if (!g?.passed) {
      throw new EvolveError('INTERNAL', `hidden-test grading is broken: the reference of ${p.id} does not pass (${JSON.stringify(g)})`);
    }
  }
}

export async function runEval(opts: EvalOptions, deps: EvalDeps): Promise<EvalOutcome> {
  const now = deps.now ?? (() => performance.now());
  const results = openResults(opts.out, opts.settings, opts.resume);
  const todo = opts.problems.filter((p) => results.problems[p.id]?.status !== 'done');
  if (todo.length < opts.problems.length) deps.log(`resume: ${opts.problems.length - todo.length} problems already done in ${opts.out}`);
  if (todo.length > 0) await checkGrader(todo, deps.grader, opts.signal);
  const ran: string[] = [];
  for (const [i, p] of todo.entries()) {
    if (opts.signal?.aborted) throw new EvolveError('CANCELLED', 'eval cancelled');
    deps.log(`[${i + 1}/${todo.length}] ${p.id} (${p.lang} ${p.type}, ${p.difficulty})`);
    const record = await runProblem(p, opts, deps, now);
    results.problems[p.id] = record;
    saveResults(opts.out, results);
    ran.push(p.id);
    const a = record.answers;
    const mark = (g: AnswerGrade): string => (g.passed ? 'pass' : `fail ${g.passedTests}/${g.totalTests}`);
    deps.log(
      record.status === 'error'
        ? `  generation error ${record.error?.code}: ${record.error?.message}`
        : `  single ${mark(a.singleShot)} · repair ${mark(a.repair)} · selected ${mark(a.selected)} · ` +
            `${(record.pipelineMs / 1000).toFixed(1)} s (single shot ${(record.singleShotMs / 1000).toFixed(1)} s${splitText(record)})` +
            (record.usage
              ? ` · tokens tests ${record.usage.tests?.completionTokens ?? 0} / generate ${record.usage.generate?.completionTokens ?? 0}` +
                ` / repair ${record.usage.repair?.completionTokens ?? 0}${record.earlyStop ? ' · early stop' : ''}`
              : '') +
            (record.retrieved ? ` · retrieved ${record.retrieved.tokens} tokens (${record.retrieved.chunks} chunks)` : ''),
    );
  }
  const records = opts.problems.flatMap((p) => results.problems[p.id] ?? []);
  const summary = summarize(records);
  results.summary = summary;
  saveResults(opts.out, results);
  return { results, summary, ran };
}

async function runProblem(p: CodegenProblem, opts: EvalOptions, deps: EvalDeps, now: () => number): Promise<ProblemRecord> {
  const base = { id: p.id, lang: p.lang, type: p.type, difficulty: p.difficulty };
  const input = generateInputFor(p, { ...opts.settings, ...(opts.modelId ? { modelId: opts.modelId } : {}) });
  const started = now();
  let result: GenerateResult;
  try {
    const raw = await deps.generate(input, opts.signal);
    const parsed = GenerateResultSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((x) => `${x.path.join('.')}: ${x.message}`);
      throw new EvolveError('INTERNAL', `engine result breaks the codegen contract for ${p.id}: ${issues.join('; ')}`);
    }
    result = parsed.data;
  } catch (err) {
    // A typed failure of this one problem (no model answer, a timeout) is recorded and the run goes on; a crash, a
    // contract break (the engine refusing the eval's input, or a result off the schema) or a cancel stops it.
    if (!isEvolveError(err) || STOPS_THE_RUN.has(err.code)) throw err;
    const failed: AnswerGrade = { passed: false, passedTests: 0, totalTests: 0, failures: [], error: `generation failed: ${err.code}` };
    return {
      ...base,
      status: 'error',
      error: { code: err.code, message: err.message.slice(0, 2000) },
      pipelineMs: now() - started,
      singleShotMs: 0,
      answers: { singleShot: failed, repair: failed, selected: failed },
      candidates: [],
      gradeMs: 0,
      finishedAt: new Date().toISOString(),
    };
  }
  const pipelineMs = now() - started;
  const first = result.candidates[0];
  if (!first) throw new EvolveError('INTERNAL', `engine returned no candidate for ${p.id}`);
  const shot = first.rounds[0]!;
  const codes = [
    solutionCode(p, shot.files, shot.code),
    solutionCode(p, first.final.files, first.final.code),
    solutionCode(p, result.files, result.code),
    ...result.candidates.map((c) => solutionCode(p, c.final.files, c.final.code)),
  ];
  // Every round is graded too (identical codes run once in the grader's batch; a round without code fails): its
  // hidden result next to the signals the engine had, so keep and selection orders can be compared in this run.
  const everyRound = result.candidates.flatMap((c) => c.rounds.map((r) => ({ c, r })));
  const roundCodes = everyRound.map(({ r }) => solutionCode(p, r.files, r.code));
  const gradeStart = now();
  const grades = await deps.grader.grade(p, [...codes, ...roundCodes], opts.signal);
  const [singleShot, repair, selected, ...rest] = grades as [AnswerGrade, AnswerGrade, AnswerGrade, ...AnswerGrade[]];
  const perCandidate = rest.slice(0, result.candidates.length);
  const roundHidden = new Map(everyRound.map(({ c, r }, i) => [`${c.index}:${r.round}`, rest[result.candidates.length + i]!]));
  const lastHidden = (c: CandidateResult): AnswerGrade | undefined =>
    c.final.round !== c.rounds.at(-1)!.round ? roundHidden.get(`${c.index}:${c.rounds.at(-1)!.round}`) : undefined;
  return {
    ...base,
    status: 'done',
    pipelineMs,
    singleShotMs: shot.ms,
    ...(shot.generateMs !== undefined
      ? {
          singleShotSplit: {
            generateMs: shot.generateMs,
            checkMs: shot.checks.reduce((sum, c) => sum + c.durationMs, 0),
            testMs: shot.tests?.durationMs ?? 0,
          },
        }
      : {}),
    checked: result.checked,
    selected: result.selected,
    answers: { singleShot, repair, selected },
    code: { singleShot: codes[0]!, repair: codes[1]!, selected: codes[2]! },
    candidates: result.candidates.map((c, i) => ({
      index: c.index,
      score: c.score.score,
      rounds: c.rounds.length,
      hidden: perCandidate[i]!,
      kept: c.final.round,
      ...(lastHidden(c) ? { lastHidden: lastHidden(c)! } : {}),
      ...(c.agreement !== undefined ? { agreement: c.agreement } : {}),
      ...candidateTests(c.final.tests),
      roundGrades: c.rounds.map((r) => roundGrade(r, roundHidden.get(`${c.index}:${r.round}`)!)),
    })),
    gradeMs: now() - gradeStart,
    finishedAt: new Date().toISOString(),
    ...(result.usage ? { usage: result.usage } : {}),
    ...(result.parallel ? { parallel: result.parallel } : {}),
    ...(result.earlyStop ? { earlyStop: result.earlyStop } : {}),
    stops: stopCounts(result),
    // With --context: the retrieved tokens the engine's budget split says went into the prompt (0 = nothing found).
    ...(opts.settings.context ? { retrieved: retrievedInPrompt(result.budget) } : {}),
  };
}

/** How many rounds ended their candidate's repair loop on each stop rule. */
function stopCounts(result: GenerateResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of result.candidates) for (const r of c.rounds) if (r.stop) out[r.stop] = (out[r.stop] ?? 0) + 1;
  return out;
}

/** " = generate 4.1 + checks 2.0 + tests 1.3" for the progress line, or nothing for a record without the split. */
function splitText(record: ProblemRecord): string {
  const s = record.singleShotSplit;
  if (!s) return '';
  const sec = (ms: number) => (ms / 1000).toFixed(1);
  return ` = generate ${sec(s.generateMs)} + checks ${sec(s.checkMs)} + tests ${sec(s.testMs)}`;
}

/** A round's hidden grade (failure texts left out: the three answers keep theirs) and the engine's signals for it. */
function roundGrade(r: CandidateRound, hidden: AnswerGrade): RoundGrade {
  const counts = r.tests ? testCountsByOrigin(r.tests) : undefined;
  return {
    round: r.round,
    usable: roundUsable(r),
    compileErrors: compileErrors(r.checks).length,
    hidden: { passed: hidden.passed, passedTests: hidden.passedTests, totalTests: hidden.totalTests },
    ...(counts ? { tests: counts } : {}),
  };
}

/** The kept round's test counts by origin, when its tests ran. */
function candidateTests(run: TestRun | null): { tests?: NonNullable<ProblemRecord['candidates'][number]['tests']> } {
  const counts = run ? testCountsByOrigin(run) : undefined;
  return counts ? { tests: counts } : {};
}
