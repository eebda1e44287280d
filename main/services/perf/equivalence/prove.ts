// proveEquivalent: runs the property-based comparison of the old and new version in the sandbox (Hypothesis or
// fast-check), reduces the old function's coverage to figures, then runs the project's tests on the new version.
import { randomBytes } from 'node:crypto';
import { EvolveError } from '../../../../common/errors';
import { EquivalenceResultSchema, type CodeVersion, type EquivalenceResult } from '../../../../common/perf/types';
import { runInSandbox, sandboxSupport, type RunInSandboxInput, type SandboxResult, type SandboxSupport } from '../../codegen/sandbox';
import { runTests, type RunTestsDeps, type RunTestsInput, type TestRun } from '../../codegen/tests';
import { emittedPath, prepareNodeFiles } from '../../codegen/tests/node-runner';
import { stripSandboxPaths } from '../../codegen/tests/trim';
import { parseDriverReport, type DriverReport } from './driver-report';
import { NODE_EQ_CONFIG_PATH, NODE_EQ_DRIVER_PATH, NODE_FLOAT_TOLERANCE, nodeDriverFiles } from './node-driver';
import { PythonCoverageDataSchema, pythonCoverageFigures } from './python-coverage';
import {
  FLOAT_ABS_TOL,
  FLOAT_REL_TOL,
  PY_EQ_GENERATOR_PATH,
  PYTHON_DRIVER_ENV,
  pythonDriverArgv,
  pythonDriverFiles,
} from './python-driver';
import { DEFAULT_EQUIVALENCE_WALL_MS, DEFAULT_MAX_EXAMPLES, parseRequest, type ProveEquivalentRequest } from './request';
import { findNodeProofRunner, findPythonProofRunner, type EquivalenceRunner } from './runners';
import type { CoverageFigures } from './coverage-figures';
import { V8RangesSchema, v8CoverageFigures } from './v8-coverage';

/** Injected for tests: a different sandbox, support report, tools venv or test runner. */
export interface ProveDeps {
  runInSandbox?: (input: RunInSandboxInput) => Promise<SandboxResult>;
  support?: () => Promise<SandboxSupport>;
  toolsDir?: string;
  runTests?: (input: RunTestsInput, deps?: RunTestsDeps) => Promise<TestRun>;
}

const FLOAT_NOTE = `floats equal within rel ${FLOAT_REL_TOL} / abs ${FLOAT_ABS_TOL}`;
/** node runs ~10 threads per process and RLIMIT_NPROC counts threads (as in runTests). */
const NODE_MAX_PROCESSES = 256;
const DEFAULT_FC_SEED = 42;
const NODE_OPTIONS = '--disable-wasm-trap-handler --enable-source-maps --experimental-detect-module --disable-warning=ExperimentalWarning';

/**
 * Compares `before` and `after` on generated inputs and, when they agree, runs the project's tests on `after`.
 * Throws INVALID_ARGUMENT for a bad request (nothing runs) and CANCELLED when the signal aborts. What the code does
 * (does not load, hangs, differs) is a result: 'error' or 'different'; no sandbox or runner is 'unavailable'.
 */
export async function proveEquivalent(
  request: ProveEquivalentRequest,
  options: { signal?: AbortSignal } = {},
  deps: ProveDeps = {},
): Promise<EquivalenceResult> {
  const started = performance.now();
  const req = parseRequest(request);
  const tool = req.before.language === 'python' ? 'hypothesis' : 'fast-check';
  const done = (r: Omit<EquivalenceResult, 'tool' | 'durationMs'>): EquivalenceResult =>
    EquivalenceResultSchema.parse({ ...r, tool, durationMs: Math.round(performance.now() - started) });
  const cancelled = (): never => {
    throw new EvolveError('CANCELLED', 'Equivalence proof cancelled');
  };
  if (options.signal?.aborted) cancelled();

  const support = await (deps.support ?? sandboxSupport)();
  if (!support.available) return done({ status: 'unavailable', examples: 0, message: `No sandbox: ${support.reasons.join(' ')}` });
  const lookup = tool === 'hypothesis' ? findPythonProofRunner(req.projectRoot, deps.toolsDir) : await findNodeProofRunner(req.projectRoot);
  if (!lookup.ok) return done({ status: 'unavailable', examples: 0, message: lookup.reason });

  const nonce = `@@evolve-eq-${randomBytes(9).toString('hex')}@@`;
  const planned = lookup.found.kind === 'python' ? planPython(req, lookup.found, nonce) : planNode(req, lookup.found, nonce);
  if ('notLoadable' in planned) return done({ status: 'error', examples: 0, message: planned.notLoadable });
  const wallMs = req.wallMs ?? DEFAULT_EQUIVALENCE_WALL_MS;
  let result: SandboxResult;
  try {
    result = await (deps.runInSandbox ?? runInSandbox)({
      ...planned.spec,
      limits: { wallMs, ...(lookup.found.kind === 'node' ? { maxProcesses: NODE_MAX_PROCESSES } : {}) },
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof EvolveError && e.code === 'UNAVAILABLE') return done({ status: 'unavailable', examples: 0, message: e.message });
    throw e;
  }
  if (result.killedBy === 'cancel') cancelled();

  const report = parseDriverReport(result.stdout.text, nonce);
  if (!report) return done({ status: 'error', examples: 0, message: whyNoReport(result, wallMs) });
  const coverage = planned.coverage(report);
  // Say how floats were compared whenever a comparison ran.
  const compared = report.status === 'equivalent' || report.status === 'different';
  const message = [report.message, compared ? FLOAT_NOTE : undefined].filter(Boolean).join('; ');
  const property: Omit<EquivalenceResult, 'tool' | 'durationMs'> = {
    status: report.status,
    examples: report.examples,
    ...(report.counterexample ? { counterexample: report.counterexample } : {}),
    ...(coverage ? { coverage } : {}),
    ...(message ? { message } : {}),
  };
  if (report.status !== 'equivalent' || !req.projectTests) return done(property);

  const run = await (deps.runTests ?? runTests)(
    {
      language: req.after.language,
      files: Object.entries(req.after.files).map(([path, content]) => ({ path, content })),
      suites: [{ origin: 'user', files: req.projectTests.files }],
      projectRoot: req.projectRoot,
      signal: options.signal,
    },
    { ...(deps.toolsDir ? { toolsDir: deps.toolsDir } : {}), ...(deps.support ? { support: deps.support } : {}) },
  );
  return done(withProjectTests(property, run));
}

/** Folds the project's test run on the new version into the property verdict. */
export function withProjectTests(
  property: Omit<EquivalenceResult, 'tool' | 'durationMs'>,
  run: TestRun,
): Omit<EquivalenceResult, 'tool' | 'durationMs'> {
  const note = (m: string): string => [property.message, m].filter(Boolean).join('; ');
  switch (run.status) {
    case 'passed':
      return { ...property, message: note(`project tests passed on the new version (${run.cases.length}, ${run.runner})`) };
    case 'no-tests':
      return { ...property, message: note('the project tests given hold no test') };
    case 'unavailable':
      // The comparison held but the tests could not run: not a proof, and not a failure either.
      return { ...property, status: 'unavailable', message: note(`project tests could not run: ${run.unavailableReason ?? run.runner}`) };
    case 'failed': {
      const failing = run.cases.filter((c) => !c.passed);
      const named = failing.map((c) => c.id).join(', ') || `the run (${run.killedBy ?? 'failed'})`;
      const first = failing[0]?.message ?? run.output;
      return {
        ...property,
        status: 'different',
        message: note(`project test failed on the new version: ${named}${first ? `\n${first.slice(0, 1500)}` : ''}`),
      };
    }
    case 'error':
      return {
        ...property,
        status: 'error',
        message: note(`project tests could not load with the new version: ${run.output.slice(0, 1500)}`),
      };
  }
}

/** Why a run printed no report: the wall or memory limit, a crash (the tail of what it said). */
export function whyNoReport(result: SandboxResult, wallMs: number): string {
  if (result.killedBy === 'wall') {
    return `The comparison did not finish within ${Math.round(wallMs / 1000)} s: a version hangs or is too slow on the generated inputs`;
  }
  if (result.killedBy === 'memory') return 'The comparison ran out of memory (a version allocates without bound?)';
  if (result.killedBy === 'cpu') return 'The comparison passed its CPU-time limit';
  if (result.killedBy === 'output') return 'The code printed more than the output limit';
  const said = stripSandboxPaths(`${result.stderr.text}\n${result.stdout.text}`).trim().slice(-800);
  return `The comparison stopped without a verdict (exit ${result.exitCode ?? result.signal}): ${said}`;
}

interface Planned {
  spec: Omit<RunInSandboxInput, 'limits' | 'signal'>;
  coverage: (report: DriverReport) => CoverageFigures | undefined;
}

const versionFiles = (side: 'before' | 'after', v: CodeVersion): [string, string][] =>
  Object.entries(v.files).map(([p, c]) => [`${side}/${p}`, c]);

function planPython(req: ProveEquivalentRequest, found: Extract<EquivalenceRunner, { kind: 'python' }>, nonce: string): Planned {
  const config = {
    module: req.before.module,
    function: req.before.function,
    generator: PY_EQ_GENERATOR_PATH,
    nMax: Math.min(...req.inputs.sizes),
    maxExamples: req.maxExamples ?? DEFAULT_MAX_EXAMPLES,
    typeHints: req.typeHintInputs ?? true,
    relTol: FLOAT_REL_TOL,
    absTol: FLOAT_ABS_TOL,
    extraSitePackages: found.extraSitePackages,
  };
  return {
    spec: {
      files: {
        ...Object.fromEntries([...versionFiles('before', req.before), ...versionFiles('after', req.after)]),
        ...pythonDriverFiles(config, req.inputs.source),
      },
      argv: pythonDriverArgv(found.runner),
      stdin: `${nonce}\n`,
      env: { ...PYTHON_DRIVER_ENV },
      readOnlyPaths: found.runner.readOnlyPaths,
    },
    coverage: (report) => {
      const data = PythonCoverageDataSchema.safeParse(report.coverage);
      return data.success ? pythonCoverageFigures(data.data) : undefined;
    },
  };
}

function planNode(
  req: ProveEquivalentRequest,
  found: Extract<EquivalenceRunner, { kind: 'node' }>,
  nonce: string,
): Planned | { notLoadable: string } {
  const genPath = `.evolve-eq/input-gen.${req.before.language === 'typescript' ? 'ts' : 'js'}`;
  const prepared = prepareNodeFiles(
    [...versionFiles('before', req.before), ...versionFiles('after', req.after), [genPath, req.inputs.source] as [string, string]].map(
      ([path, content]) => ({ path, content }),
    ),
  );
  for (const [who, prefix] of [
    ['before version', 'before/'],
    ['after version', 'after/'],
    ['input generator', '.evolve-eq/'],
  ] as const) {
    const errors = [...prepared.syntaxErrors].filter(([p]) => p.startsWith(prefix)).map(([, e]) => e);
    if (errors.length > 0) return { notLoadable: `The ${who} does not load: ${errors.join('\n').slice(0, 2000)}` };
  }
  const beforeModule = `before/${emittedPath(req.before.module)}`;
  const config = {
    fastCheck: found.fastCheckEntry,
    before: beforeModule,
    after: `after/${emittedPath(req.after.module)}`,
    generator: emittedPath(genPath),
    function: req.before.function,
    nMax: Math.min(...req.inputs.sizes),
    maxExamples: req.maxExamples ?? DEFAULT_MAX_EXAMPLES,
    seed: req.seed ?? DEFAULT_FC_SEED,
    ...NODE_FLOAT_TOLERANCE,
  };
  const run = [found.runner.node, NODE_EQ_DRIVER_PATH, NODE_EQ_CONFIG_PATH];
  const nm = found.runner.nodeModules;
  // As in the codegen test runner: a link in the run's root lets the code's bare imports resolve from the project.
  const argv = nm ? ['/bin/sh', '-c', 'ln -s "$0" node_modules && exec "$@"', nm, ...run] : run;
  const code = prepared.files[beforeModule] ?? '';
  return {
    spec: {
      files: { ...prepared.files, ...nodeDriverFiles(config) },
      argv,
      env: { NODE_OPTIONS, NO_COLOR: '1' },
      stdin: `${nonce}\n`,
      readOnlyPaths: [...found.runner.readOnlyPaths, ...found.mounts],
    },
    coverage: (report) => {
      const raw = report.coverage && typeof report.coverage === 'object' ? (report.coverage as { ranges?: unknown }) : {};
      const ranges = V8RangesSchema.safeParse(raw.ranges);
      return ranges.success ? v8CoverageFigures(code, beforeModule, req.before.function, ranges.data) : undefined;
    },
  };
}
