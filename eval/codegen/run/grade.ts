// Grades model answers with a problem's HIDDEN tests, inside the codegen sandbox (answers are model output, so they
// never run unsandboxed): all distinct answers of one problem share one pytest / `node --test` batch run; a batch that
// hangs or dies is re-run one answer at a time so only the guilty answer fails.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { EvolveError } from '../../../common/errors';
import { runInSandbox, type SandboxLimits, type SandboxResult } from '../../../main/services/codegen/sandbox';
import { SOLUTION_FILE, type CodegenProblem } from '../schema';
import { type BatchJob, type TestOutcome } from '../verify/batch';
import { NODE_BATCH_ENTRY, NODE_BATCH_REPORTER, nodeBatchFiles, parseNodeReport } from '../verify/node-batch';
import { findPytestPython, parsePytestReport, PYTEST_BATCH_ENV, pytestBatchArgs, pytestBatchFiles } from '../verify/pytest-batch';
import { type AnswerGrade } from './results';

/** The hidden test file of a job (the names verify.ts uses; TypeScript is transpiled to .js before it runs). */
const HIDDEN_FILE = { python: 'test_hidden.py', typescript: 'hidden.test.ts' } as const;
const REPORT_MARK = '@@EVOLVE-EVAL-REPORT@@';
// pytest in-process, then the conftest's JSON report after a marker on stdout (the sandbox dir is gone afterwards).
const PYTEST_WRAPPER = `import sys, pytest
code = pytest.main(sys.argv[1:])
sys.stdout.write("\\n${REPORT_MARK}\\n")
with open("report.json") as fh:
    sys.stdout.write(fh.read())
sys.exit(int(code))
`;
/** Kept per failure in the results file: enough to see why, small enough for 62 problems × k answers. */
const MESSAGE_CAP = 300;
const FAILURES_KEPT = 5;

export interface GraderOptions {
  repoRoot: string;
  /** Sandbox limits of one batch run; wall time grows with the number of answers in the batch. */
  limits?: Partial<SandboxLimits>;
}

export interface Grader {
  /** The interpreter that runs pytest, e.g. '/work/main/.venv/bin/python'. */
  python: string | undefined;
  /** One grade per code, in order (identical codes are run once). */
  grade(problem: CodegenProblem, codes: string[], signal?: AbortSignal): Promise<AnswerGrade[]>;
}

interface SandboxPython {
  exe: string;
  /** sys.prefix and sys.base_prefix: mounted read-only so the venv and its base interpreter resolve in the sandbox. */
  mounts: string[];
}

function sandboxPython(repoRoot: string): SandboxPython {
  const exe = findPytestPython(repoRoot);
  const r = spawnSync(exe, ['-c', 'import sys; print(sys.prefix); print(sys.base_prefix)'], { encoding: 'utf8', timeout: 30_000 });
  const mounts = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('/'));
  if (r.status !== 0 || mounts.length === 0) throw new EvolveError('UNAVAILABLE', `${exe} did not report its prefix: ${r.stderr}`);
  return { exe, mounts: [...new Set(mounts)] };
}

/** A grader for the languages of `problems` (Python is looked up only when a Python problem is graded). */
export function createGrader(opts: GraderOptions): Grader {
  let python: SandboxPython | undefined;
  const grader: Grader = {
    python: undefined,
    async grade(problem, codes, signal) {
      if (problem.lang === 'python' && !python) {
        python = sandboxPython(opts.repoRoot);
        grader.python = python.exe;
      }
      const distinct = [...new Set(codes)];
      const keyOf = (code: string): string => `a-${createHash('sha256').update(code).digest('hex').slice(0, 12)}`;
      const jobs = distinct.map((code) => jobFor(problem, keyOf(code), code));
      const graded = new Map<string, AnswerGrade>();
      const batch = await runBatch(problem, jobs, python, opts.limits, signal);
      if (batch.ok) {
        for (const job of jobs) graded.set(job.key, gradeOf(batch.outcomes.get(job.key) ?? [], problem));
      } else {
        // One answer hung, flooded or killed the runner: grade each alone so the others keep their result.
        for (const job of jobs) {
          const alone = jobs.length === 1 ? batch : await runBatch(problem, [job], python, opts.limits, signal);
          graded.set(job.key, alone.ok ? gradeOf(alone.outcomes.get(job.key) ?? [], problem) : failedRun(alone.why));
        }
      }
      return codes.map((code) => graded.get(keyOf(code)) ?? failedRun('not graded'));
    },
  };
  return grader;
}

function jobFor(p: CodegenProblem, key: string, code: string): BatchJob {
  return { key, files: { ...p.files, [SOLUTION_FILE[p.lang]]: code, [HIDDEN_FILE[p.lang]]: p.hiddenTests } };
}

type BatchOutcome = { ok: true; outcomes: Map<string, TestOutcome[]> } | { ok: false; why: string };

async function runBatch(
  p: CodegenProblem,
  jobs: BatchJob[],
  python: SandboxPython | undefined,
  limits: Partial<SandboxLimits> | undefined,
  signal: AbortSignal | undefined,
): Promise<BatchOutcome> {
  const sandboxLimits: Partial<SandboxLimits> = {
    wallMs: 30_000 + 15_000 * jobs.length,
    cpuSeconds: 30 + 15 * jobs.length,
    maxOutputBytes: 16 * 1024 ** 2,
    ...limits,
  };
  let run: SandboxResult;
  if (p.lang === 'python') {
    if (!python) throw new EvolveError('INTERNAL', 'no Python located for a Python problem');
    run = await runInSandbox({
      files: pytestBatchFiles(jobs),
      argv: [python.exe, '-c', PYTEST_WRAPPER, ...pytestBatchArgs('.').slice(2)],
      env: { ...PYTEST_BATCH_ENV, EVOLVE_EVAL_REPORT: 'report.json' },
      readOnlyPaths: python.mounts,
      limits: sandboxLimits,
      signal,
    });
  } else {
    run = await runInSandbox({
      files: nodeBatchFiles(jobs),
      argv: [
        process.execPath,
        '--test',
        // An awaited promise that never settles fails its test instead of holding the whole batch until the wall.
        '--test-timeout=20000',
        `--test-reporter=./${NODE_BATCH_REPORTER}`,
        '--test-reporter-destination=stdout',
        NODE_BATCH_ENTRY,
      ],
      limits: sandboxLimits,
      signal,
    });
  }
  if (run.killedBy === 'cancel') throw new EvolveError('CANCELLED', 'grading cancelled');
  if (run.killedBy) return { ok: false, why: `the test run was killed (${run.killedBy} limit) after ${Math.round(run.durationMs)} ms` };
  try {
    if (p.lang === 'python') {
      const at = run.stdout.text.lastIndexOf(`\n${REPORT_MARK}\n`);
      if (at < 0) return { ok: false, why: `pytest wrote no report (exit ${run.exitCode}): ${tail(run)}` };
      return { ok: true, outcomes: parsePytestReport(run.stdout.text.slice(at + REPORT_MARK.length + 2)) };
    }
    const outcomes = parseNodeReport(run.stdout.text);
    if (outcomes.size === 0) return { ok: false, why: `node --test reported no test (exit ${run.exitCode}): ${tail(run)}` };
    return { ok: true, outcomes };
  } catch (err) {
    return { ok: false, why: `unreadable test report: ${(err as Error).message}` };
  }
}

function tail(run: SandboxResult): string {
  return `${run.stdout.text}${run.stderr.text}`.slice(-600);
}

function gradeOf(outcomes: TestOutcome[], p: CodegenProblem): AnswerGrade {
  const hidden = outcomes.filter((o) => o.file === HIDDEN_FILE[p.lang].replace(/\.ts$/, '.js'));
  const failed = hidden.filter((o) => !o.passed);
  return {
    passed: hidden.length > 0 && failed.length === 0,
    passedTests: hidden.length - failed.length,
    totalTests: hidden.length,
    failures: failed.slice(0, FAILURES_KEPT).map((o) => `${o.name}: ${(o.message ?? '').slice(-MESSAGE_CAP)}`),
    ...(hidden.length === 0 ? { error: 'no hidden test ran' } : {}),
  };
}

function failedRun(why: string): AnswerGrade {
  return { passed: false, passedTests: 0, totalTests: 0, failures: [], error: why.slice(0, 1000) };
}

/** Fraction of hidden tests an answer passed (0 when none ran): what the quality score is correlated with. */
export function passFraction(g: AnswerGrade): number {
  return g.totalTests === 0 ? 0 : g.passedTests / g.totalTests;
}
