// runGeneration: assemble the prompt → (model tests) → k candidates × rounds → CodeT selection → security scan →
// score → store. Candidate 0 is greedy, so its first round is the single shot and its final round the repair result.
// The model tests and the candidates run on the model's parallel lanes (batched decoding); once a candidate passes
// every user/docstring test and the scan, no further round or candidate starts (early stop).
import { auditInjectionFlags } from '../../security/audit-flags';
import type { CheckResult, CodeFile, Language } from '../../../../common/codegen/types';
import { GenerateInputSchema, type GenerateInputParsed } from '../../../../common/codegen/engine';
import { EvolveError, isEvolveError, toErrorInfo } from '../../../../common/errors';
import { diffFiles } from '../edits';
import { scoreCandidate, type QualityScore } from '../score';
import { scoreInputFromChecks } from '../score-input';
import { PROSE_TYPES } from './answer';
import { runCandidate, type CandidateRun, type EarlyStopGate } from './candidate';
import { resolveEntry } from './entry';
import { readProjectFile, projectSources, userTestsFor } from './project-files';
import { keptRound, roundUsable, selectCandidate } from './select';
import { runOnLanes, type LaneTask } from './lanes';
import { resolveStages } from './stages';
import type { CandidateResult, CandidateRound, EngineDeps, Emit, GenerateInput, GenerateResult, SuitePlan, TestSuite } from './types';
import { mergeChecks, testCounts, type StaticChecks } from './verify';
import { storeAdapter } from './store-rounds';
import { meteredModel, type UsageByStage } from './usage';

/** Sampling of candidates after the greedy one (CodeT and AlphaCode sample around 0.8). */

/**
 * Cap of the model-written tests' answer: a handful of asserts for one entry point fit in it, and a small model
 * that rambles on (the eval saw the 0.5B write tests for 38 minutes under load) costs at most this much.
 */
export const MODEL_TESTS_MAX_TOKENS = 384;
export const SAMPLE_TEMPERATURE = 0.8;

/** An answer's token cap when the request sets none: a quarter of the model's context, at most 1,024. */
export function defaultMaxAnswerTokens(contextTokens: number): number {
  return Math.min(1024, Math.floor(contextTokens / 4));
}
const EMPTY_SCAN = { ok: true, findings: [], tools: [], durationMs: 0 };

function parseInput(raw: GenerateInput): GenerateInputParsed {
  const r = GenerateInputSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new EvolveError(
    'INVALID_ARGUMENT',
    `Generate: ${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input'}`,
  );
}

export async function runGeneration(raw: GenerateInput, deps: EngineDeps, emit: Emit, signal?: AbortSignal): Promise<GenerateResult> {
  const input = parseInput(raw); // INVALID_ARGUMENT before anything runs
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const stages = resolveStages(deps.stages);
  const project = input.projectId ? await (deps.project ?? missingProjects)(input.projectId) : undefined;
  const usage: UsageByStage = {};
  const model = meteredModel(await deps.model(input.modelId, signal), usage);
  const prose = PROSE_TYPES.has(input.type);

  // Files: the project's sources (so imports and the user's tests resolve) or the caller's support files.
  const sources: CodeFile[] = project ? await projectSources(project.root, input.language) : [];
  const given = input.files ?? [];
  const targetText = input.targetFile
    ? project
      ? await readProjectFile(project.root, input.targetFile)
      : given.find((f) => f.path === input.targetFile)?.content
    : undefined;
  if (input.type === 'edit' && input.targetFile && targetText === undefined) {
    throw new EvolveError('NOT_FOUND', `The file to edit does not exist: ${input.targetFile}`);
  }
  const targets: Record<string, string> = {};
  if (input.type === 'edit') {
    if (input.targetFile) targets[input.targetFile] = targetText!;
    for (const f of given) if (!project || !input.targetFile) targets[f.path] ??= f.content;
    if (Object.keys(targets).length === 0) throw new EvolveError('INVALID_ARGUMENT', 'An edit needs a target file or files');
  }
  const entry = resolveEntry(input);
  const userTests = userTestsFor([...sources, ...given], input.targetFile ?? entry.file);
  const userTestPaths = new Set(userTests.map((t) => t.path));
  const base = uniqueByPath([...sources, ...given].filter((f) => !userTestPaths.has(f.path)));

  const contextTokens = model.contextTokens;
  const maxAnswerTokens = input.maxAnswerTokens ?? defaultMaxAnswerTokens(contextTokens);
  const [target, ...more] = Object.entries(targets).map(([p, content]) => ({ path: p, content }));
  const assembleInput = {
    type: input.type,
    language: input.language,
    prompt: input.prompt,
    ...(project ? { project } : {}),
    ...(target
      ? { target: { ...target, ...(input.selection ? { selection: input.selection } : {}) } }
      : input.targetFile && targetText !== undefined
        ? { target: { path: input.targetFile, content: targetText, ...(input.selection ? { selection: input.selection } : {}) } }
        : {}),
    ...(more.length ? { moreTargets: more } : {}),
    entry,
    ...(model.paramsB !== undefined ? { modelParamsB: model.paramsB } : {}),
    contextTokens,
    reservedForAnswer: maxAnswerTokens,
    ...(model.contextBudgetTokens !== undefined ? { maxContextTokens: model.contextBudgetTokens } : {}),
  };
  const prompt = await stages.assemblePrompt(assembleInput, {
    countTokens: (t) => model.countTokens(t),
    ...(deps.retrieve ? { retrieve: deps.retrieve } : {}),
    ...(deps.experience ? { experience: deps.experience } : {}),
  });
  emit({ kind: 'context', budget: prompt.budget });
  // A refactor or document request on a target file gets an edit-format prompt (SEARCH/REPLACE or whole file):
  // its answer is then applied to that file like an edit's, never read as a fresh piece of code.
  const editing = input.type === 'edit' || (prompt.editFormat !== undefined && input.targetFile !== undefined && targetText !== undefined);
  if (editing && input.type !== 'edit' && input.targetFile && targetText !== undefined) targets[input.targetFile] = targetText;

  const store = storeAdapter(deps.store);
  const generationId = await store.create({
    projectId: project?.id ?? null,
    request: input.prompt,
    type: input.type,
    lang: input.language,
    model: model.id,
  });
  const timings = { generateMs: 0, checkMs: 0, testMs: 0 };
  try {
    // Flagged project data in the prompt is on record before the model reads it (inside try: a failure finishes the row).
    await auditInjectionFlags(deps.audit, 'codegen', prompt.injectionFlags ?? [], {
      ...(project ? { projectId: project.id } : {}),
      ...(generationId ? { generationId } : {}),
    });
    // Tests: the user's, the docstring's examples, the caller's, and (k > 1) one model-written suite for all.
    const suites: TestSuite[] = [];
    // Test runners exist for Python (pytest) and TS/JS (node --test); other languages get the compile check only.
    const testable = input.language === 'python' || input.language === 'typescript' || input.language === 'javascript';
    if (!prose && testable) {
      if (userTests.length) suites.push({ origin: 'user', files: userTests });
      // A test request's examples belong to the code under test; the answer's own tests are run instead (candidate.ts).
      const doc = input.type === 'test' ? null : stages.docstringTests(input.language, input.prompt, entry);
      if (doc) suites.push(doc);
      for (const s of input.extraSuites ?? []) suites.push({ origin: 'docstring', files: s.files });
    }
    // Model-written tests (k > 1): one suite for all candidates, written once (memoised) on the lane of whoever asks
    // first. With visible (user/docstring) tests they are lazy: a candidate asks only when its round did not end the
    // generation, so an early stop on the visible tests costs no test-writing call (the CI eval slice spent 225 tokens
    // on tests before a greedy candidate that passed its docstring example: 36.8 s vs 11.2 s single shot). Without
    // visible tests nothing can stop early, so they are written at once on a lane of their own beside the candidates.
    let modelTests = 0;
    const writeTests = !prose && testable && input.type !== 'edit' && input.type !== 'test' && input.samples > 1;
    let modelSuite: Promise<TestSuite | null> | undefined;
    const writeModelTests = async (lane: number | undefined, laneSignal: AbortSignal | undefined): Promise<TestSuite | null> => {
      emit({ kind: 'round', candidate: 0, round: 0, phase: 'tests' });
      const t0 = now();
      const answer = await model.complete(stages.testWritingPrompt(assembleInput).messages, {
        maxTokens: Math.min(maxAnswerTokens, MODEL_TESTS_MAX_TOKENS),
        // Stopped once MODEL_TEST_CASES cases are written: later ones would be dropped (and are mostly wrong).
        stopWhen: (text) => stages.modelTestsEnd(input.language, text, entry),
        temperature: 0,
        ...(input.seed !== undefined ? { seed: input.seed } : {}),
        ...(laneSignal ? { signal: laneSignal } : {}),
        ...(lane !== undefined ? { lane } : {}),
        stage: 'tests',
      });
      timings.generateMs += now() - t0;
      const suite = stages.parseModelTests(input.language, answer.text, entry);
      if (suite) modelTests = suite.files.length;
      return suite;
    };
    const suitePlan: SuitePlan = {
      known: suites,
      model: (lane, laneSignal) => (writeTests ? (modelSuite ??= writeModelTests(lane, laneSignal)) : Promise.resolve(null)),
    };
    const eagerTests = writeTests && suites.length === 0;
    const testsTask: LaneTask<undefined> = {
      run: async (lane, laneSignal) => {
        await suitePlan.model(lane, laneSignal);
        return undefined;
      },
    };

    // Early stop: a round that passes every user/docstring test is scanned; clean, it ends the generation.
    let earlyStop: { candidate: number; round: number } | undefined;
    const scans = new Map<string, CheckResult>();
    const gate: EarlyStopGate = {
      stopped: () => earlyStop !== undefined,
      passed: async (candidate, round) => {
        if (earlyStop) return;
        const files = changedFiles(round, base, targets, prose);
        if (files.length === 0) return;
        const scan = await scanOnce(scans, files, input.language, (f) => stages.scanSecurity(f, input.language, signal ? { signal } : {}));
        if (!scan.findings.some((f) => f.severity === 'high')) earlyStop ??= { candidate, round: round.round };
      },
    };
    const candidateTask = (i: number): LaneTask<CandidateRun> => ({
      // Candidate 0 always runs: its first round is the single shot.
      skip: () => i > 0 && earlyStop !== undefined,
      run: (lane, laneSignal) =>
        runCandidate(
          prompt,
          {
            index: i,
            type: editing ? 'edit' : input.type,
            language: input.language,
            prompt: input.prompt,
            entry,
            base,
            targets,
            suites: suitePlan,
            maxRounds: prose ? 0 : input.maxRounds,
            temperature: i === 0 ? 0 : SAMPLE_TEMPERATURE,
            ...(input.seed !== undefined || i > 0 ? { seed: (input.seed ?? 0) + i * 1000 } : {}),
            maxAnswerTokens,
            lane,
            ...(project ? { projectRoot: project.root } : {}),
            ...(project && input.language === 'typescript' ? { tsconfig: `${project.root}/tsconfig.json` } : {}),
            signal: laneSignal,
          },
          { model, stages, emit, timings, now, gate, onRound: (round, promptTokens) => store.addRound(i, round, promptTokens) },
        ),
    });
    const tasks: LaneTask<CandidateRun | undefined>[] = [
      ...(eagerTests ? [testsTask] : []),
      ...Array.from({ length: input.samples }, (_, i) => candidateTask(i)),
    ];
    const parallel = Math.max(1, Math.min(model.parallel ?? 1, tasks.length));
    const runs: CandidateRun[] = (await runOnLanes(tasks, parallel, signal)).filter((r): r is CandidateRun => r !== undefined);

    // Each candidate's kept round (not always its last: a repair can make code worse), its score without the scan
    // (which runs once on the selected code), and CodeT selection among the kept rounds.
    const kept = runs.map((r) => keptRound(r.rounds));
    const scores: QualityScore[] = [];
    for (let i = 0; i < runs.length; i++) {
      const final = kept[i]!;
      const complexity = final.code && !prose ? await stages.measureComplexity(final.code, input.language) : undefined;
      scores.push(prose ? { score: 0, breakdown: [] } : scoreFinal(final, input.language, complexity));
      emit({ kind: 'score', candidate: i, score: scores[i]! });
    }
    const selection = selectCandidate(
      kept.map((final, i) => ({ index: i, usable: roundUsable(final), tests: final.tests, score: scores[i]!.score })),
    );
    const chosen = runs[selection.selected]!;
    const final = kept[selection.selected]!;

    // Files the generation changes, their diffs, the scan and the final score.
    const changed = changedFiles(final, base, targets, prose);
    const before: Record<string, string> = {};
    for (const f of changed) {
      const old =
        targets[f.path] ?? (project ? await readProjectFile(project.root, f.path) : given.find((g) => g.path === f.path)?.content);
      if (old !== undefined) before[f.path] = old;
    }
    const diffs = prose ? [] : diffFiles(before, Object.fromEntries(changed.map((f) => [f.path, f.content])));
    const scan =
      !prose && changed.length > 0
        ? await scanOnce(scans, changed, input.language, (f) => stages.scanSecurity(f, input.language, signal ? { signal } : {}))
        : EMPTY_SCAN;
    emit({ kind: 'scan', result: scan });
    const complexity = final.code && !prose ? await stages.measureComplexity(final.code, input.language) : undefined;
    const score = prose ? { score: 0, breakdown: [] } : scoreFinal(final, input.language, complexity, scan);
    emit({ kind: 'score', candidate: selection.selected, score });
    // The ranking compared scores without the scan (it runs on the chosen code only); the reason also names the score
    // that is stored and shown, so the two numbers are never mistaken for one another.
    const last = chosen.rounds.at(-1)!;
    const earlier = final !== last ? `; kept round ${final.round}, not its last (round ${last.round} ranked lower)` : '';
    const reason = prose ? selection.reason : `${selection.reason}${earlier}; final score ${score.score} with the security scan`;
    emit({ kind: 'selected', candidate: selection.selected, reason: earlyStop ? `${reason}; early stop` : reason });

    const level = checkedLevel(chosen.finalChecks, prose, input.language);
    const candidates: CandidateResult[] = runs.map((r, i) => ({
      index: i,
      rounds: r.rounds,
      final: kept[i]!,
      score: i === selection.selected ? score : scores[i]!,
      agreement: selection.agreement.get(i) ?? 0,
    }));
    const error = final.error ? `No usable code after ${chosen.rounds.length} round(s): ${final.error}` : undefined;
    await store.finish({
      status: error ? 'failed' : 'done',
      code: final.code || null,
      diff: diffs,
      score: score.breakdown.length ? score.score : null,
      breakdown: score.breakdown.length ? score.breakdown : null,
      findings: [...final.checks.flatMap((c) => c.findings), ...scan.findings],
      error: error ?? null,
    });
    return {
      generationId,
      selected: selection.selected,
      code: final.code,
      files: changed,
      diffs,
      candidates,
      tests: final.tests,
      scan,
      score,
      budget: prompt.budget,
      checked: level.level,
      ...(level.note ? { checkedNote: level.note } : {}),
      modelTests,
      ...(error ? { error } : {}),
      timings: { totalMs: now() - started, ...timings },
      usage,
      parallel,
      ...(earlyStop ? { earlyStop } : {}),
      ...(prompt.injectionFlags?.length ? { injectionFlags: prompt.injectionFlags } : {}),
    };
  } catch (e) {
    const info = toErrorInfo(e);
    const cancelled = signal?.aborted || (isEvolveError(e) && e.code === 'CANCELLED');
    await store.finish({ status: cancelled ? 'cancelled' : 'failed', error: info.message.slice(0, 4000) }).catch(() => undefined);
    throw e;
  }
}

async function missingProjects(): Promise<never> {
  throw new EvolveError('UNAVAILABLE', 'Projects are not available here');
}

/** The scan of a set of files, run once: the early-stop check and the final scan often see the same code. */
async function scanOnce(
  cache: Map<string, CheckResult>,
  files: CodeFile[],
  language: Language,
  scan: (files: CodeFile[]) => Promise<CheckResult>,
): Promise<CheckResult> {
  const key = `${language}\u0000${files.map((f) => `${f.path}\u0000${f.content}`).join('\u0001')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const r = await scan(files);
  cache.set(key, r);
  return r;
}

function uniqueByPath(files: CodeFile[]): CodeFile[] {
  const byPath = new Map<string, CodeFile>();
  for (const f of files) byPath.set(f.path, f);
  return [...byPath.values()];
}

function scoreFinal(
  final: CandidateRound,
  language: GenerateInputParsed['language'],
  complexity: Awaited<ReturnType<ReturnType<typeof resolveStages>['measureComplexity']>>,
  scan?: CheckResult,
): QualityScore {
  if (final.error || final.code === '') return scoreCandidate({ language, code: final.code, compiles: false });
  return scoreCandidate(
    scoreInputFromChecks({
      language,
      code: final.code,
      staticCheck: mergeChecks(final.checks),
      tests: testCounts(final.tests),
      ...(scan ? { security: scan } : {}),
      ...(complexity ? { complexity } : {}),
    }),
  );
}

function changedFiles(final: CandidateRound, base: CodeFile[], targets: Record<string, string>, prose: boolean): CodeFile[] {
  if (prose) return [];
  const baseText = new Map(base.map((f) => [f.path, f.content]));
  return final.files.filter((f) => (f.path in targets ? targets[f.path] !== f.content : baseText.get(f.path) !== f.content));
}

function checkedLevel(checks: StaticChecks | null, prose: boolean, language: string): { level: GenerateResult['checked']; note?: string } {
  if (prose) return { level: 'unchecked', note: 'a prose answer is not checked' };
  if (!checks) return { level: 'unchecked', note: `no ${language} code was checked` };
  return { level: checks.level, ...(checks.note ? { note: checks.note } : {}) };
}
