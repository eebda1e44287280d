// Runs many Python solution folders in ONE pytest process (one start-up instead of one per problem); a conftest gives
// each test module its own `solution` and support modules, and records per-test outcomes as JSON.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EvolveError } from '../../../common/errors';
import { addOutcome, type BatchJob, type BatchResult, type TestOutcome } from './batch';

const CONFTEST = String.raw`# Batch isolation: each problem folder imports its own solution.py and support modules; outcomes go to a JSON file.
import json
import os
import sys

import pytest

_ROOT = os.path.dirname(os.path.abspath(__file__))
_results = []


def _use_folder(folder, purge):
    if purge:
        for name, mod in list(sys.modules.items()):
            origin = getattr(mod, "__file__", None) or ""
            if origin.startswith(_ROOT + os.sep) and os.path.basename(origin) != "conftest.py":
                del sys.modules[name]
    sys.path[:] = [p for p in sys.path if not p.startswith(_ROOT + os.sep)]
    sys.path.insert(0, folder)


def pytest_collectstart(collector):
    if isinstance(collector, pytest.Module):
        _use_folder(str(collector.path.parent), purge=True)


def pytest_runtest_setup(item):
    _use_folder(str(item.path.parent), purge=False)


def pytest_collectreport(report):
    if report.failed:
        _results.append({"nodeid": report.nodeid, "passed": False, "message": str(report.longrepr)[-1500:]})


def pytest_runtest_logreport(report):
    if report.when == "call" or report.failed:
        entry = {"nodeid": report.nodeid, "passed": report.passed and report.when == "call"}
        if report.failed:
            entry["message"] = str(report.longrepr)[-1500:]
        _results.append(entry)


def pytest_sessionfinish(session):
    with open(os.environ["EVOLVE_EVAL_REPORT"], "w") as fh:
        json.dump(_results, fh)
`;

/** The interpreter that has pytest: EVOLVE_PYTHON, the repo's .venv, then python3 on PATH; UNAVAILABLE if none. */
export function findPytestPython(repoRoot: string): string {
  const candidates = [process.env.EVOLVE_PYTHON, path.join(repoRoot, '.venv', 'bin', 'python'), 'python3'].filter(
    (c): c is string => typeof c === 'string' && c.length > 0,
  );
  for (const py of candidates) {
    if (py.includes(path.sep) && !existsSync(py)) continue;
    const probe = spawnSync(py, ['-c', 'import pytest'], { encoding: 'utf8', timeout: 30_000 });
    if (probe.status === 0) return py;
  }
  throw new EvolveError('UNAVAILABLE', `no Python with pytest (tried ${candidates.join(', ')}): run scripts/python/setup-python.sh`);
}

/** Environment of a batch run besides EVOLVE_EVAL_REPORT (where the conftest writes its JSON report). */
export const PYTEST_BATCH_ENV = { PYTHONDONTWRITEBYTECODE: '1', PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' } as const;

/** pytest's arguments for a batch laid out under `root` (absolute, or '.' when run from inside it). */
export function pytestBatchArgs(root: string): string[] {
  return [
    '-m',
    'pytest',
    '-q',
    '-p',
    'no:cacheprovider',
    '--import-mode=importlib',
    // A folder whose test module does not import (a syntax error, a missing name) fails alone instead of
    // stopping the whole batch.
    '--continue-on-collection-errors',
    '--rootdir',
    root,
    '-c',
    path.join(root, 'pytest.ini'),
    root,
  ];
}

/** Every file of a batch, keyed by its path under the batch root: the conftest, pytest.ini and each job's folder. */
export function pytestBatchFiles(jobs: BatchJob[]): Record<string, string> {
  const files: Record<string, string> = { 'conftest.py': CONFTEST, 'pytest.ini': '[pytest]\npython_files = test_*.py\n' };
  for (const job of jobs) {
    for (const [name, content] of Object.entries(job.files)) files[path.posix.join(job.key, name)] = content;
  }
  return files;
}

/** The conftest's JSON report → outcomes per job key (nodeid: <job key>/<test file>[::<test name>]). */
export function parsePytestReport(json: string): Map<string, TestOutcome[]> {
  const rows = JSON.parse(json) as { nodeid: string; passed: boolean; message?: string }[];
  const outcomes = new Map<string, TestOutcome[]>();
  for (const row of rows) {
    const [filePath = '', name] = row.nodeid.split('::');
    const key = path.posix.dirname(filePath);
    const file = path.posix.basename(filePath);
    addOutcome(outcomes, key, { file, name: name ?? file, passed: row.passed, ...(row.message ? { message: row.message } : {}) });
  }
  return outcomes;
}

export function runPytestBatch(python: string, jobs: BatchJob[], timeoutMs = 120_000): BatchResult {
  const root = mkdtempSync(path.join(tmpdir(), 'evolve-eval-py-'));
  try {
    for (const [rel, content] of Object.entries(pytestBatchFiles(jobs))) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), content);
    }
    const report = path.join(root, 'report.json');
    const started = performance.now();
    const run = spawnSync(python, pytestBatchArgs(root), {
      cwd: root,
      encoding: 'utf8',
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...PYTEST_BATCH_ENV, EVOLVE_EVAL_REPORT: report },
    });
    const seconds = (performance.now() - started) / 1000;
    const log = `${run.stdout ?? ''}${run.stderr ?? ''}`.slice(-4000);
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
      throw new EvolveError('TIMEOUT', `pytest batch did not finish in ${timeoutMs} ms: ${log}`);
    }
    if (run.error) throw new EvolveError('UNAVAILABLE', `could not run pytest: ${run.error.message}`);
    if (run.signal) throw new EvolveError('INTERNAL', `pytest batch was killed by ${run.signal} (out of memory?): ${log}`);
    if (!existsSync(report)) throw new EvolveError('INTERNAL', `pytest wrote no report (exit ${run.status}): ${log}`);
    return { outcomes: parsePytestReport(readFileSync(report, 'utf8')), seconds, log };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
