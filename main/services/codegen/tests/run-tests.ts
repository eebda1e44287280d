// runTests: writes a candidate and its test suites into one sandboxed run, runs pytest or node --test there, and maps
// the outcomes to per-case results by origin with trimmed failure text. A missing runner or sandbox is 'unavailable'.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { CodeFileSchema, LanguageSchema } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { runInSandbox, sandboxSupport, SandboxLimitsSchema, type SandboxResult } from '../sandbox';
import { findRunner, type Runner } from './environment';
import { emittedPath, nodeCaseFile, nodePlan, parseNodeOutput, prepareNodeFiles } from './node-runner';
import { parsePythonOutput, pythonCaseFile, pythonPlan, PYTEST_NO_TESTS } from './python-runner';
import type { RawOutcome, RunnerPlan } from './runner-types';
import { joinFailures, OUTPUT_CAP_BYTES, stripSandboxPaths } from './trim';
import { TestOriginSchema, type RunTestsDeps, type RunTestsInput, type TestCaseResult, type TestOrigin, type TestRun } from './types';

/** Wall-clock limit of one test run (a hang is killed here and reported as a failed run, killedBy 'wall'). */
export const DEFAULT_TEST_WALL_MS = 20_000;
/** node --test starts a process per test file, each with ~10 threads, and RLIMIT_NPROC counts threads. */
const NODE_MAX_PROCESSES = 256;

const RunTestsInputSchema = z.object({
  language: LanguageSchema,
  files: z.array(CodeFileSchema).max(500),
  suites: z.array(z.object({ origin: TestOriginSchema, files: z.array(CodeFileSchema).max(100) })).max(50),
  projectRoot: z.string().startsWith('/').optional(),
  limits: SandboxLimitsSchema.partial().optional(),
});

const isPyTest = (p: string): boolean => p.endsWith('.py') && path.posix.basename(p) !== 'conftest.py';
const isJsModule = (p: string): boolean => /\.(?:[cm]?[jt]sx?)$/.test(p) && !p.endsWith('.d.ts');

function fail(message: string): never {
  throw new EvolveError('INVALID_ARGUMENT', message);
}

/**
 * Runs the suites against the candidate. Never throws for what the code or the tests do (a syntax error, a failing
 * assertion, a hang): those are results. Throws INVALID_ARGUMENT for bad input (nothing is written) and CANCELLED
 * when the signal aborts the run. A missing runner, interpreter or sandbox is status 'unavailable', not a failure.
 */
export async function runTests(input: RunTestsInput, deps: RunTestsDeps = {}): Promise<TestRun> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const parsed = RunTestsInputSchema.safeParse(input);
  if (!parsed.success) {
    fail(`Invalid test run: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`);
  }
  const { language, files, suites, projectRoot, limits } = parsed.data;

  const origins = new Map<string, TestOrigin>();
  const all = new Map<string, string>();
  for (const f of files) {
    if (all.has(f.path)) fail(`Candidate file ${f.path} is given twice`);
    all.set(f.path, f.content);
  }
  for (const s of suites) {
    for (const f of s.files) {
      if (origins.has(f.path) || (all.has(f.path) && all.get(f.path) !== f.content)) {
        fail(`Test file ${f.path} collides with another file of the run`);
      }
      origins.set(f.path, s.origin);
      all.set(f.path, f.content);
    }
  }
  for (const p of all.keys()) if (p.startsWith('.evolve-run/')) fail(`${p}: .evolve-run/ is reserved for the test runner`);
  const testPaths = [...origins.keys()];
  if (testPaths.length === 0) return { status: 'no-tests', runner: 'none', cases: [], output: '', durationMs: elapsed() };

  const lookup = await findRunner(language, projectRoot, deps.toolsDir);
  if (!lookup.ok) return unavailable(lookup.runner, lookup.reason, elapsed());
  const runner = lookup.runner;
  const support = await (deps.support ?? sandboxSupport)();
  if (!support.available) return unavailable(runner.label, `No sandbox to run tests in: ${support.reasons.join(' ')}`, elapsed());

  const nonce = `@@evolve-${randomBytes(9).toString('hex')}@@`;
  const planned = planRun(runner, all, origins, nonce);
  if ('notRunnable' in planned) return { ...planned.notRunnable, durationMs: elapsed() };
  const { plan, sandboxFiles, parse, preErrors } = planned;
  const wallMs = limits?.wallMs ?? DEFAULT_TEST_WALL_MS;
  let result: SandboxResult;
  try {
    result = await (deps.runInSandbox ?? runInSandbox)({
      files: { ...sandboxFiles, ...plan.files },
      argv: plan.argv,
      env: plan.env,
      readOnlyPaths: plan.readOnlyPaths,
      limits: { ...(runner.kind === 'node' ? { maxProcesses: NODE_MAX_PROCESSES } : {}), ...limits, wallMs },
      signal: input.signal,
    });
  } catch (e) {
    if (e instanceof EvolveError && e.code === 'UNAVAILABLE') return unavailable(runner.label, e.message, elapsed());
    throw e;
  }
  if (result.killedBy === 'cancel') throw new EvolveError('CANCELLED', 'Test run cancelled');

  const raw = parse(result.stdout.text);
  raw.loadErrors.unshift(...preErrors);
  const label = raw.version && runner.kind === 'python' ? runner.label.replace(/^pytest \S+/, `pytest ${raw.version}`) : runner.label;
  if (raw.missingRunner) return unavailable(label, `${runner.label}: ${raw.missingRunner}`, elapsed());
  if (!raw.started && !result.killedBy) {
    const said = stripSandboxPaths(`${result.stderr.text}${result.stdout.text}`).trim().slice(-600);
    return unavailable(
      label,
      `The test runner did not start in the sandbox (exit ${result.exitCode ?? result.signal}): ${said}`,
      elapsed(),
    );
  }
  return toTestRun(
    raw,
    result,
    {
      label,
      origins,
      testFiles: planned.testFiles,
      candidatePaths: [...all.keys()].filter((p) => !origins.has(p)),
      wallMs,
      caseFile: runner.kind === 'python' ? pythonCaseFile : nodeCaseFile,
    },
    elapsed(),
  );
}

interface Planned {
  plan: RunnerPlan;
  sandboxFiles: Record<string, string>;
  parse: (stdout: string) => RawOutcome;
  /** Test files left out of the run because they cannot load (their own syntax errors). */
  preErrors: RawOutcome['loadErrors'];
  /** The test files the runner was given, by the paths the model wrote. */
  testFiles: string[];
}

function planRun(
  runner: Runner,
  all: Map<string, string>,
  origins: Map<string, TestOrigin>,
  nonce: string,
): Planned | { notRunnable: Omit<TestRun, 'durationMs'> } {
  const testPaths = [...origins.keys()];
  const candidatePaths = [...all.keys()].filter((p) => !origins.has(p));
  const nothingToRun = { notRunnable: { status: 'no-tests' as const, runner: runner.label, cases: [], output: '' } };
  if (runner.kind === 'python') {
    // Without file arguments pytest would collect the whole directory: never run it with none.
    const pyTests = testPaths.filter(isPyTest);
    if (pyTests.length === 0) return nothingToRun;
    return {
      plan: pythonPlan(runner, pyTests, nonce),
      sandboxFiles: Object.fromEntries(all),
      parse: (stdout) => parsePythonOutput(stdout, nonce),
      preErrors: [],
      testFiles: pyTests,
    };
  }
  const prepared = prepareNodeFiles([...all].map(([p, content]) => ({ path: p, content })));
  const broken = [...prepared.syntaxErrors].filter(([p]) => !testPaths.includes(p));
  if (broken.length > 0) {
    // The candidate does not parse: every test file fails to load, like pytest's collection error. Not run at all.
    const text = broken.map(([, e]) => e).join('\n');
    return {
      notRunnable: {
        status: 'error',
        runner: runner.label,
        cases: testPaths.filter(isJsModule).map((p) => ({ id: p, origin: origins.get(p) ?? 'user', passed: false, message: text })),
        output: joinFailures([{ id: broken.map(([p]) => p).join(', '), text }]),
      },
    };
  }
  const runnable = testPaths.filter((p) => isJsModule(p) && !prepared.syntaxErrors.has(p));
  const preErrors = [...prepared.syntaxErrors].map(([file, message]) => ({ file, message }));
  if (runnable.length === 0) {
    // Same as pytest: `node --test` without files would search the directory for tests of its own choosing.
    if (preErrors.length === 0) return nothingToRun;
    const { cases, invalid } = splitLoadErrors(preErrors, (f) => origins.get(f) ?? 'user', candidatePaths);
    return {
      notRunnable: {
        status: cases.length > 0 ? 'error' : 'no-tests',
        runner: runner.label,
        cases,
        output: joinFailures(cases.map((c) => ({ id: c.id, text: c.message ?? 'failed' }))),
        ...(invalid.length > 0 ? { invalidTests: invalid } : {}),
      },
    };
  }
  return {
    plan: nodePlan(runner, runnable.map(emittedPath).sort(), nonce),
    sandboxFiles: prepared.files,
    parse: (stdout) => parseNodeOutput(stdout, nonce, prepared.renames),
    preErrors,
    testFiles: runnable,
  };
}

const escapeRe = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Load errors → failed cases, except a model-written test file whose error does not mention any candidate file: that
 * is the test's own fault (its syntax), so it is set aside as invalid instead of failing every candidate alike.
 */
function splitLoadErrors(
  errors: RawOutcome['loadErrors'],
  originOf: (file: string) => TestOrigin,
  candidatePaths: string[],
): { cases: TestCaseResult[]; invalid: { file: string; message: string }[] } {
  const mentions = candidatePaths.map((p) => new RegExp(`(?:^|[\\s'"(/])${escapeRe(p)}(?=[:'")\\s,]|$)`, 'm'));
  const cases: TestCaseResult[] = [];
  const invalid: { file: string; message: string }[] = [];
  for (const e of errors) {
    const origin = originOf(e.file);
    if (origin === 'model' && !mentions.some((re) => re.test(e.message))) invalid.push({ file: e.file, message: e.message });
    else cases.push({ id: e.file, origin, passed: false, message: e.message });
  }
  return { cases, invalid };
}

function unavailable(runner: string, reason: string, durationMs: number): TestRun {
  return { status: 'unavailable', runner, cases: [], output: '', unavailableReason: reason, durationMs };
}

function toTestRun(
  raw: RawOutcome,
  result: SandboxResult,
  o: {
    label: string;
    origins: Map<string, TestOrigin>;
    testFiles: string[];
    candidatePaths: string[];
    wallMs: number;
    caseFile: (id: string) => string;
  },
  durationMs: number,
): TestRun {
  // A file outside the suites (a conftest.py, a support module failing at import) is charged to the most trusted origin.
  const fallback: TestOrigin = (['user', 'docstring', 'model'] as const).find((k) => [...o.origins.values()].includes(k)) ?? 'user';
  const originOf = (file: string): TestOrigin => o.origins.get(file) ?? fallback;
  const { cases, invalid } = splitLoadErrors(raw.loadErrors, originOf, o.candidatePaths);
  for (const [id, r] of raw.results) {
    cases.push({ id, origin: originOf(o.caseFile(id)), passed: r.passed, ...(r.message ? { message: r.message } : {}) });
  }
  const killed = result.killedBy;
  if (killed) {
    const stopped =
      killed === 'wall'
        ? `the run was stopped after ${Math.round(o.wallMs / 1000)} s (an endless loop, or a wait that never returns?)`
        : `the run was killed (limit: ${killed})`;
    if (raw.hangExact && raw.lastStarted && !raw.results.has(raw.lastStarted)) {
      cases.push({
        id: raw.lastStarted,
        origin: originOf(o.caseFile(raw.lastStarted)),
        passed: false,
        message: `did not finish: ${stopped}`,
      });
    } else if (!raw.hangExact && raw.filesDone) {
      // node --test relays results per file; which test of an unfinished file hangs is not known, only the last that finished.
      for (const file of o.testFiles.filter((f) => !raw.filesDone?.has(f))) {
        const after = raw.lastByFile?.get(file);
        const where = after ? ` (after "${after}", the last test that finished)` : '';
        cases.push({ id: file, origin: originOf(file), passed: false, message: `a test in this file did not finish${where}: ${stopped}` });
      }
    }
  }
  const failures = cases.filter((c) => !c.passed).map((c) => ({ id: c.id, text: c.message ?? 'failed' }));
  let output = joinFailures(failures);
  let status: TestRun['status'];
  if (killed) {
    status = 'failed';
    if (failures.length === 0) output = `The test run was killed (limit: ${killed}) before any test finished.\n`;
  } else if (cases.length === 0 && invalid.length === 0) {
    // No case and no load error: nothing collected (pytest exit 5, empty files) or the runner failed on its own.
    const nothing = raw.exitCode === PYTEST_NO_TESTS || (raw.exitCode === undefined && result.exitCode === 0);
    status = nothing ? 'no-tests' : 'error';
    if (!nothing) {
      const said = `${result.stdout.text}\n${result.stderr.text}`.split('\n').filter((l) => !l.includes('@@evolve-'));
      output = stripSandboxPaths(said.join('\n')).trim().slice(-OUTPUT_CAP_BYTES);
    }
  } else if (raw.results.size === 0) {
    status = cases.length > 0 ? 'error' : 'no-tests';
  } else {
    status = failures.length > 0 ? 'failed' : 'passed';
  }
  return {
    status,
    runner: o.label,
    cases,
    output,
    ...(killed ? { killedBy: killed } : {}),
    ...(invalid.length > 0 ? { invalidTests: invalid } : {}),
    durationMs,
  };
}
