// One candidate's rounds: generate → extract / apply edits → static checks → tests in the sandbox → repair while
// compile errors or failing user/docstring tests remain, up to maxRounds — unless the code did not change, it failed
// exactly as before, or another candidate already passed (stop-rules.ts). Every round is reported and stored.
import type { CodeFile, Language } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import type { GenerationType } from '../../../../common/store/codegen-requests';
import { filesFromAnswer, mergeFiles, PROSE_TYPES } from './answer';
import type { CandidateRound, EngineModel, Emit, PromptLike, Stages, SuitePlan, TestSuite, TestEntry } from './types';
import { passesVisibleTests, repeatStop } from './stop-rules';
import { compileErrors, failingNonModel, mergeTestRuns, repairFeedback, staticChecks, syntaxErrors, type StaticChecks } from './verify';

export interface CandidateContext {
  index: number;
  type: GenerationType;
  language: Language;
  prompt: string;
  entry: TestEntry;
  /** Support files (and, for edits, the files before the edit). */
  base: CodeFile[];
  /** Edits: the files the edit may change, as they stand. */
  targets: Record<string, string>;
  /** The visible suites, and the model-written one on demand. */
  suites: SuitePlan;
  maxRounds: number;
  /** The model lane this candidate generates on (its own KV sequence). */
  lane?: number;
  temperature: number;
  seed?: number;
  maxAnswerTokens: number;
  projectRoot?: string;
  tsconfig?: string;
  signal?: AbortSignal;
}

export interface CandidateTimings {
  generateMs: number;
  checkMs: number;
  testMs: number;
}

export interface CandidateRun {
  rounds: CandidateRound[];
  /** Static checks of the final round (level and note for the result's `checked`). */
  finalChecks: StaticChecks | null;
  promptTokens: number[];
}

export interface CandidateIo {
  model: EngineModel;
  stages: Stages;
  emit: Emit;
  /** Stores a finished round (the engine's store adapter); awaited so rounds are durable in order. */
  onRound: (round: CandidateRound, promptTokens: number) => Promise<void>;
  timings: CandidateTimings;
  now: () => number;
  /** Early stop across candidates: whether to start no further round, and the report of a round that passed. */
  gate?: EarlyStopGate;
}

export interface EarlyStopGate {
  stopped(): boolean;
  /** Called with a round that passed every user/docstring test; may scan it and stop the generation. */
  passed(candidate: number, round: CandidateRound): Promise<void>;
}

/**
 * A test request's answer is itself a suite, run as the request's own ('user') tests on the code under test: tests that
 * fail on the real code are wrong, and go back to the model like any failing test.
 */
function answerSuite(files: readonly CodeFile[], entryFile: string): TestSuite {
  return { origin: 'user', files: files.filter((f) => f.path === entryFile) };
}

const NO_TESTS_FEEDBACK =
  'Your answer defines no test the runner can find. Reply with the complete test file only, its tests as top-level test functions.';

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new EvolveError('CANCELLED', 'Generation cancelled');
}

export async function runCandidate(first: PromptLike, ctx: CandidateContext, io: CandidateIo): Promise<CandidateRun> {
  const rounds: CandidateRound[] = [];
  const promptTokens: number[] = [];
  let prompt = first;
  let working = { ...ctx.targets };
  let finalChecks: StaticChecks | null = null;
  for (let r = 0; r <= ctx.maxRounds; r++) {
    throwIfAborted(ctx.signal);
    io.emit({ kind: 'round', candidate: ctx.index, round: r, phase: r === 0 ? 'generate' : 'repair' });
    const t0 = io.now();
    const completion = await io.model.complete(prompt.messages, {
      maxTokens: ctx.maxAnswerTokens,
      temperature: ctx.temperature,
      ...(ctx.seed !== undefined ? { seed: ctx.seed + r } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onToken: (text) => io.emit({ kind: 'tokens', candidate: ctx.index, round: r, text }),
      ...(ctx.lane !== undefined ? { lane: ctx.lane } : {}),
      stage: r === 0 ? 'generate' : 'repair',
      // One code block is the whole answer unless the format is edit blocks or several whole files.
      ...(prompt.editFormat === undefined && !PROSE_TYPES.has(ctx.type) ? { stopAfterCodeBlock: true } : {}),
    });
    throwIfAborted(ctx.signal);
    const genMs = io.now() - t0;
    io.timings.generateMs += genMs;
    promptTokens.push(completion.promptTokens ?? prompt.budget.used);

    const got = filesFromAnswer(completion.text, {
      type: ctx.type,
      language: ctx.language,
      prompt: ctx.prompt,
      entry: ctx.entry,
      working,
      ...(prompt.editFormat ? { editFormat: prompt.editFormat } : {}),
    });
    const round: CandidateRound = {
      round: r,
      code: '',
      files: [],
      checks: [],
      tests: null,
      tokens: completion.tokens,
      ms: genMs,
      generateMs: genMs,
    };
    let feedback: string | undefined;
    /** Waiting for the generation's shared model-written suite: a pipeline cost (usage.tests), not this round's. */
    let suiteWaitMs = 0;
    /** The early-stop gate already saw this round (after its visible tests). */
    let gateAsked = false;
    if (!got.ok) {
      round.error = got.error;
      feedback = got.feedback;
      // Edit blocks that matched stay applied; the model resends only the failed ones.
      if (got.changed) working = { ...working, ...got.changed };
      round.files = mergeFiles(ctx.base, ctx.type === 'edit' ? working : {});
    } else if (PROSE_TYPES.has(ctx.type)) {
      round.code = got.code;
    } else {
      if (ctx.type === 'edit') working = { ...working, ...got.changed };
      const changed = ctx.type === 'edit' ? working : got.changed;
      round.code = got.code;
      round.files = mergeFiles(ctx.base, changed);
      const changedPaths = new Set(Object.keys(changed));
      const c0 = io.now();
      finalChecks = await staticChecks(io.stages, ctx.language, round.files, changedPaths, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.tsconfig ? { tsconfig: ctx.tsconfig } : {}),
      });
      io.timings.checkMs += io.now() - c0;
      round.checks = finalChecks.checks;
      for (const c of round.checks) io.emit({ kind: 'check', candidate: ctx.index, round: r, result: c });
      // Code with a syntax error is not run: the compiler's errors are the only feedback. Code with type errors only
      // runs (types are erased), so its tests rank it among the candidates and go back with the errors; it still
      // neither compiles for the score nor stops the generation early (passesVisibleTests).
      if (syntaxErrors(round.checks).length === 0) {
        const runSuites = async (suites: TestSuite[]) => {
          throwIfAborted(ctx.signal);
          const t1 = io.now();
          const run = await io.stages.runTests({
            language: ctx.language,
            files: round.files,
            suites,
            ...(ctx.projectRoot ? { projectRoot: ctx.projectRoot } : {}),
            ...(ctx.signal ? { signal: ctx.signal } : {}),
          });
          io.timings.testMs += io.now() - t1;
          return run;
        };
        // Visible tests first: a round that passes them with a clean scan ends the generation, and then the
        // model-written suite is never needed (nor written: see SuitePlan).
        const known = ctx.type === 'test' ? [...ctx.suites.known, answerSuite(round.files, ctx.entry.file)] : ctx.suites.known;
        if (known.length > 0) {
          round.tests = await runSuites(known);
          if (passesVisibleTests(round) && io.gate) {
            await io.gate.passed(ctx.index, round);
            gateAsked = true;
          }
        }
        if (!io.gate?.stopped()) {
          const w0 = io.now();
          const model = await ctx.suites.model(ctx.lane, ctx.signal);
          suiteWaitMs = io.now() - w0;
          if (model) {
            const run = await runSuites([model]);
            round.tests = round.tests ? mergeTestRuns(round.tests, run) : run;
          }
        }
        if (round.tests) io.emit({ kind: 'tests', candidate: ctx.index, round: r, result: round.tests });
      }
      if (compileErrors(round.checks).length > 0 || failingNonModel(round.tests))
        feedback = repairFeedback(round.checks, round.tests, round.files);
      else if (ctx.type === 'test' && round.tests?.status === 'no-tests') feedback = NO_TESTS_FEEDBACK;
    }
    round.ms = io.now() - t0 - suiteWaitMs;
    const wantsRepair = feedback !== undefined && r < ctx.maxRounds;
    // Another round of the same feedback would only spend tokens; a passed candidate elsewhere makes it moot.
    const stop = wantsRepair ? (repeatStop(rounds.at(-1), round) ?? (io.gate?.stopped() ? 'early-stop' : undefined)) : undefined;
    if (stop) round.stop = stop;
    const repair = wantsRepair && !stop;
    if (repair) round.feedback = feedback;
    rounds.push(round);
    await io.onRound(round, promptTokens[promptTokens.length - 1] ?? 0);
    if (!gateAsked && passesVisibleTests(round)) await io.gate?.passed(ctx.index, round);
    if (!repair) break;
    const current = ctx.type === 'edit' ? Object.entries(working).map(([p, content]) => ({ path: p, content })) : undefined;
    prompt = io.stages.repairPrompt(prompt, completion.text, feedback!, current);
  }
  return { rounds, finalChecks, promptTokens };
}
