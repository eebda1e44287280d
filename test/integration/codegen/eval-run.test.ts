// The codegen eval runner on recorded answers (each problem's reference = a passing answer, naive.ts stubs = failing
// ones) with real hidden-test grading in the sandbox: three answers graded from one engine result, a hanging answer
// fails alone, results saved per problem and resumed, a generation error recorded, a contract break stops the run,
// and the hidden tests never reach the engine's input.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateInput, type GenerateResult } from '../../../common/codegen/engine';
import { EvolveError } from '../../../common/errors';
import { loadProblems } from '../../../eval/codegen/load';
import { createGrader } from '../../../eval/codegen/run/grade';
import { examplesInPromptSuite } from '../../../eval/codegen/run/problem-input';
import { ResultsFileSchema, type RunSettings } from '../../../eval/codegen/run/results';
import { runEval, type EvalDeps } from '../../../eval/codegen/run/runner';
import { formatSummary } from '../../../eval/codegen/run/summary';
import { SOLUTION_FILE, type CodegenProblem } from '../../../eval/codegen/schema';
import { naiveVariants } from '../../../eval/codegen/verify/naive';
import { sandboxSupport } from '../../../main/services/codegen/sandbox';

const REPO = path.resolve(import.meta.dirname, '../../..');
const support = await sandboxSupport();
const all = loadProblems();
const byId = (id: string): CodegenProblem => all.find((p) => p.id === id)!;
const PY = byId('py-chunk-list');
const TS = byId('ts-kebab-case');
const SETTINGS: RunSettings = { model: 'recorded', samples: 2, maxRounds: 1, seed: 1 };

const stub = (p: CodegenProblem): string => naiveVariants(p)[0]!.solution;

/** An engine result built from recorded answer codes, valid under the codegen contract. */
function recorded(
  p: CodegenProblem,
  c: { shot: string; final: string; other: string; selected: 0 | 1; scores: [number, number] },
): GenerateResult {
  const round = (n: number, code: string) => ({
    round: n,
    code,
    files: [{ path: SOLUTION_FILE[p.lang], content: code }],
    checks: [],
    tests: null,
    tokens: 40,
    ms: 1000 * (n + 1),
    generateMs: 700 * (n + 1),
  });
  const score = (s: number) => ({ score: s, breakdown: [] });
  // As in the engine, `final` is one of the candidate's rounds (here its last), not a copy.
  const candidates = [
    { index: 0, rounds: [round(0, c.shot), round(1, c.final)], score: score(c.scores[0]) },
    { index: 1, rounds: [round(0, c.other)], score: score(c.scores[1]) },
  ].map((x) => ({ ...x, final: x.rounds.at(-1)! }));
  const picked = candidates[c.selected]!.final;
  return {
    generationId: null,
    selected: c.selected,
    code: picked.code,
    files: picked.files,
    diffs: [],
    candidates,
    tests: null,
    scan: { ok: true, findings: [], tools: [], durationMs: 0 },
    score: score(c.scores[c.selected]),
    budget: { contextTokens: 4096, reservedForAnswer: 1024, used: 300, parts: [] },
    checked: 'full',
    timings: { totalMs: 4000, generateMs: 3000, checkMs: 500, testMs: 500 },
  };
}

describe.skipIf(!support.available)('codegen eval runner (recorded answers, real sandboxed grading)', () => {
  let dir: string;
  const grader = createGrader({ repoRoot: REPO });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'evolve-eval-run-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('grades passing and failing answers of both languages with the hidden tests, in the sandbox', async () => {
    for (const p of [PY, TS]) {
      const [ref, bad, same] = await grader.grade(p, [p.reference, stub(p), p.reference]);
      expect(ref, p.id).toMatchObject({ passed: true, failures: [] });
      expect(ref!.totalTests, p.id).toBeGreaterThan(0);
      expect(bad!.passed, p.id).toBe(false);
      expect(bad!.failures.length, p.id).toBeGreaterThan(0);
      expect(same, p.id).toEqual(ref);
    }
  });

  it('fails a hanging answer alone (its batch is re-run one answer at a time)', async () => {
    const short = createGrader({ repoRoot: REPO, limits: { wallMs: 4000 } });
    const hang = `def ${PY.entryPoint}(*args, **kwargs):\n    while True:\n        pass\n`;
    const [ref, hung] = await short.grade(PY, [PY.reference, hang]);
    expect(ref!.passed).toBe(true);
    expect(hung).toMatchObject({ passed: false, totalTests: 0 });
    expect(hung!.error).toMatch(/killed \((wall|cpu) limit\)/);
  }, 60_000);

  it('grades three answers from one run, saves per problem, resumes without re-running, and summarizes', async () => {
    const out = path.join(dir, 'run.json');
    const inputs: GenerateInput[] = [];
    const answers: Record<string, GenerateResult> = {
      // single shot fails, repair fixes it, selection keeps the repaired candidate 0
      [PY.id]: recorded(PY, { shot: stub(PY), final: PY.reference, other: stub(PY), selected: 0, scores: [90, 20] }),
      // single shot and repair fail, selection picks the passing candidate 1 (scores rank it higher)
      [TS.id]: recorded(TS, { shot: stub(TS), final: stub(TS), other: TS.reference, selected: 1, scores: [10, 80] }),
    };
    // Candidate 1's own tests: its example passed, one of two model-written cases failed.
    const c = (id: string, origin: 'docstring' | 'model', passed: boolean) => ({ id, origin, passed });
    answers[PY.id]!.candidates[1]!.rounds[0]!.tests = {
      status: 'failed',
      runner: 'pytest',
      cases: [c('e1', 'docstring', true), c('m1', 'model', true), c('m2', 'model', false)],
      output: '',
      durationMs: 1,
    };
    const deps: EvalDeps = {
      grader,
      log: () => undefined,
      generate: (input) => {
        inputs.push(input);
        const p = all.find((x) => input.prompt.startsWith(x.prompt.trimEnd()))!;
        return Promise.resolve(answers[p.id]);
      },
    };
    const first = await runEval({ problems: [PY, TS], out, resume: false, settings: SETTINGS }, deps);
    expect(first.ran).toEqual([PY.id, TS.id]);
    expect(first.summary.passAt1.singleShot).toMatchObject({ passed: 0, total: 2 });
    expect(first.summary.passAt1.repair).toMatchObject({ passed: 1, total: 2 });
    expect(first.summary.passAt1.selected).toMatchObject({ passed: 2, total: 2 });
    expect(first.summary.byLanguage.python?.repair.passed).toBe(1);
    expect(first.summary.byLanguage.typescript?.selected.passed).toBe(1);
    // Higher score ↔ more hidden tests passed in both problems. Pooled: scores 10 < 20 < 80 < 90 against pass fractions
    // 0 < 0.2 (the stub passes 1 of 5 hidden tests) < 1 = 1; the tie gives ranks 3.5, 3.5, so rho = 4.5 / √22.5.
    expect(first.summary.scoreVsHidden).toMatchObject({ pairs: 4, withinProblemMean: 1, problemsRanked: 2 });
    expect(first.summary.scoreVsHidden.pooled).toBeCloseTo(4.5 / Math.sqrt(22.5), 6);
    expect(first.results.problems[PY.id]!.candidates[1]!.hidden).toMatchObject({ passedTests: 1, totalTests: 5 });
    // Next to the hidden grade, each candidate's own tests by origin (how far the model's tests agree with the hidden).
    expect(first.results.problems[PY.id]!.candidates[1]!.tests).toEqual({
      docstring: { passed: 1, total: 1 },
      model: { passed: 1, total: 2 },
    });
    expect(first.results.problems[PY.id]!.candidates[0]!.tests).toBeUndefined();
    // Every round graded, beside the engine's own signals for it: candidate 0's stub round, then its repaired one.
    const stubPy = first.results.problems[PY.id]!.answers.singleShot;
    const refPy = first.results.problems[PY.id]!.answers.repair;
    expect(first.results.problems[PY.id]!.candidates.map((c) => c.roundGrades)).toEqual([
      [
        { round: 0, usable: true, compileErrors: 0, hidden: { passed: false, passedTests: stubPy.passedTests, totalTests: 5 } },
        { round: 1, usable: true, compileErrors: 0, hidden: { passed: true, passedTests: 5, totalTests: 5 } },
      ],
      [
        {
          round: 0,
          usable: true,
          compileErrors: 0,
          hidden: { passed: false, passedTests: 1, totalTests: 5 },
          tests: { docstring: { passed: 1, total: 1 }, model: { passed: 1, total: 2 } },
        },
      ],
    ]);
    const ts = first.results.problems[TS.id]!.answers;
    expect(first.summary.everyRound).toEqual({
      problems: 2,
      rounds: 6,
      bestPasses: 2,
      selectedPasses: 2,
      bestHidden: refPy.passedTests + ts.selected.passedTests,
      selectedHidden: refPy.passedTests + ts.selected.passedTests,
      singleShotHidden: stubPy.passedTests + ts.singleShot.passedTests,
    });
    expect(first.summary.seconds.singleShot.mean).toBe(1);
    // The graded code of each answer is kept for reading failures; the single shot's time is split by stage.
    expect(first.results.problems[TS.id]!.code).toEqual({ singleShot: stub(TS), repair: stub(TS), selected: TS.reference });
    expect(first.results.problems[PY.id]!.singleShotSplit).toEqual({ generateMs: 700, checkMs: 0, testMs: 0 });

    // What the engine was asked: the rendered prompt, the entry and the examples — never a hidden test or the reference.
    for (const input of inputs) {
      const p = all.find((x) => input.prompt.startsWith(x.prompt.trimEnd()))!;
      expect(input).toMatchObject({ samples: 2, maxRounds: 1, entry: { file: SOLUTION_FILE[p.lang], exports: p.exports } });
      // The examples reach the candidates once: through the engine's own suite from the prompt (never a second copy).
      expect(input.extraSuites).toBeUndefined();
      expect(examplesInPromptSuite(p, input.prompt)).toBe(true);
      const sent = JSON.stringify(input);
      const hiddenChecks = p.hiddenTests
        .split('\n')
        .filter((l) => l.trim().length >= 16 && !/^\s*(import|from) /.test(l) && /assert|raises|throws|rejects|equal/i.test(l));
      expect(hiddenChecks.length).toBeGreaterThan(0);
      for (const line of hiddenChecks) expect(sent).not.toContain(JSON.stringify(line.trim()).slice(1, -1));
      expect(sent).not.toContain(JSON.stringify(p.reference.trim()).slice(1, -1));
    }

    const saved = ResultsFileSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    expect(Object.keys(saved.problems).sort()).toEqual([PY.id, TS.id]);
    expect(saved.problems[PY.id]!.candidates.map((c) => c.hidden.passed)).toEqual([true, false]);

    // Resume: nothing is generated again, the same figures come back.
    const calls = inputs.length;
    const again = await runEval({ problems: [PY, TS], out, resume: true, settings: SETTINGS }, deps);
    expect(inputs.length).toBe(calls);
    expect(again.ran).toEqual([]);
    expect(again.summary).toEqual(first.summary);

    // An existing file is not overwritten without --resume, nor continued with other settings.
    await expect(runEval({ problems: [PY], out, resume: false, settings: SETTINGS }, deps)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(runEval({ problems: [PY], out, resume: true, settings: { ...SETTINGS, samples: 3 } }, deps)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/samples 2 → 3/),
    });
  }, 120_000);

  it('grades a candidate that kept an earlier round on that round, and its last round beside it', async () => {
    // Candidate 0's repair (round 1) broke a passing answer; the engine kept round 0, which is the repair answer.
    const result = recorded(PY, { shot: PY.reference, final: stub(PY), other: stub(PY), selected: 0, scores: [90, 20] });
    const c0 = result.candidates[0]!;
    c0.final = c0.rounds[0]!;
    result.code = PY.reference;
    result.files = c0.final.files;
    const deps: EvalDeps = { grader, log: () => undefined, generate: () => Promise.resolve(result) };
    const r = await runEval({ problems: [PY], out: path.join(dir, 'kept.json'), resume: false, settings: SETTINGS }, deps);
    const rec = r.results.problems[PY.id]!;
    expect(rec.answers.repair.passed).toBe(true);
    expect(rec.code?.repair).toBe(PY.reference);
    expect(rec.candidates[0]).toMatchObject({ kept: 0, hidden: { passed: true }, lastHidden: { passed: false } });
    expect(rec.candidates[1]!.kept).toBe(0);
    expect(rec.candidates[1]!.lastHidden).toBeUndefined();
    const total = rec.candidates[0]!.hidden.passedTests;
    expect(r.summary.keptEarlier).toEqual({
      candidates: 1,
      of: 1,
      hiddenKept: total,
      hiddenLast: rec.candidates[0]!.lastHidden!.passedTests,
      better: 1,
      worse: 0,
    });
  }, 120_000);

  it('counts the best round of the run against the selected answer when selection missed it', async () => {
    // Candidate 0's first round passes; its repair breaks it and the engine (here) keeps the last; candidate 1 fails.
    const result = recorded(TS, { shot: TS.reference, final: stub(TS), other: stub(TS), selected: 1, scores: [50, 60] });
    // The repair round also has two type errors: not usable, and counted for tie-break studies.
    const typeError = { tool: 'tsc', ruleId: 'TS2322', severity: 'high' as const, file: 'solution.ts', line: 1, message: 'x' };
    result.candidates[0]!.rounds[1]!.checks = [
      { name: 'typescript', ok: false, findings: [typeError, { ...typeError, line: 2 }], tools: [], durationMs: 1 },
    ];
    const deps: EvalDeps = { grader, log: () => undefined, generate: () => Promise.resolve(result) };
    const r = await runEval({ problems: [TS], out: path.join(dir, 'every-round.json'), resume: false, settings: SETTINGS }, deps);
    const a = r.results.problems[TS.id]!.answers;
    expect(a).toMatchObject({ singleShot: { passed: true }, selected: { passed: false } });
    expect(r.results.problems[TS.id]!.candidates[0]!.roundGrades?.map((g) => [g.usable, g.compileErrors, g.hidden.passed])).toEqual([
      [true, 0, true],
      [false, 2, false],
    ]);
    expect(r.summary.everyRound).toEqual({
      problems: 1,
      rounds: 3,
      bestPasses: 1,
      selectedPasses: 0,
      bestHidden: a.singleShot.passedTests,
      selectedHidden: a.selected.passedTests,
      singleShotHidden: a.singleShot.passedTests,
    });
    expect(formatSummary(r.summary, SETTINGS)).toContain(
      `every round graded (1 problems, 3 rounds): the best round passes every hidden test in 1, the selected answer in 0; ` +
        `hidden tests passed by the best round ${a.singleShot.passedTests}, selected ${a.selected.passedTests}`,
    );
  }, 120_000);

  it('records a typed generation error as a failed problem and goes on; a contract break stops the run', async () => {
    const out = path.join(dir, 'errors.json');
    const deps: EvalDeps = {
      grader,
      log: () => undefined,
      generate: (input) =>
        input.language === 'python'
          ? Promise.reject(new EvolveError('UNAVAILABLE', 'no model loaded'))
          : Promise.resolve(recorded(TS, { shot: TS.reference, final: TS.reference, other: TS.reference, selected: 0, scores: [50, 50] })),
    };
    const r = await runEval({ problems: [PY, TS], out, resume: false, settings: SETTINGS }, deps);
    expect(r.results.problems[PY.id]).toMatchObject({ status: 'error', error: { code: 'UNAVAILABLE', message: 'no model loaded' } });
    expect(r.summary).toMatchObject({ problems: 2, errors: 1, passAt1: { singleShot: { passed: 1, total: 2 } } });
    // Scores all equal: no rank correlation to report rather than a made-up one.
    expect(r.summary.scoreVsHidden.pooled).toBeNull();

    const broken: EvalDeps = {
      ...deps,
      generate: () =>
        Promise.resolve({ ...recorded(TS, { shot: '', final: '', other: '', selected: 0, scores: [1, 1] }), candidates: 'x' }),
    };
    await expect(
      runEval({ problems: [TS], out: path.join(dir, 'broken.json'), resume: false, settings: SETTINGS }, broken),
    ).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/breaks the codegen contract.*candidates/),
    });
  }, 120_000);
});
