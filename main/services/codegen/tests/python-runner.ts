// pytest inside the sandbox: a small driver runs pytest.main with a plugin that streams one JSON line per outcome
// (prefixed with a per-run nonce) on its own copy of stdout, so results survive a hang and the sandbox's temp dir.
import type { PythonRunner } from './environment';
import { trimPythonFailure } from './trim';
import type { RawOutcome, RunnerPlan } from './runner-types';

export const PY_DRIVER_PATH = '.evolve-run/pytest_driver.py';

// Python 3.8+ (a project's venv may be old); uses only pytest's public hooks and report.longreprtext (pytest >= 3).
const DRIVER = String.raw`# Runs pytest on the given test files and streams outcomes as JSON lines on a private copy of stdout.
import json
import os
import sys

NONCE = sys.argv[1]
FILES = sys.argv[2:]
_out = os.fdopen(os.dup(1), "w")  # pytest's fd capture redirects fd 1 during tests, not this copy
sys.path.insert(0, os.getcwd())  # the candidate's modules import from the run's root, as with python -m pytest


def emit(obj):
    _out.write(NONCE + json.dumps(obj) + "\n")
    _out.flush()


class Recorder:
    def pytest_collectreport(self, report):
        if report.failed:
            emit({"event": "collect-error", "nodeid": report.nodeid, "message": report.longreprtext[-6000:]})

    def pytest_runtest_logstart(self, nodeid, location):
        emit({"event": "start", "nodeid": nodeid})

    def pytest_runtest_logreport(self, report):
        if report.failed:
            emit({"event": "result", "nodeid": report.nodeid, "passed": False, "when": report.when,
                  "message": report.longreprtext[-6000:]})
        elif report.when == "call":
            # xfail counts as passed (the test says the failure is expected); skips are not outcomes.
            if report.passed or hasattr(report, "wasxfail"):
                emit({"event": "result", "nodeid": report.nodeid, "passed": True, "when": report.when})


try:
    import pytest
except ImportError as e:
    emit({"event": "no-pytest", "message": str(e)})
    sys.exit(97)
emit({"event": "version", "version": pytest.__version__})
# A test file that does not import fails alone (its own collection error) instead of stopping the whole run.
ARGS = ["-q", "-p", "no:cacheprovider", "--tb=short", "--color=no", "--continue-on-collection-errors"]
code = pytest.main(ARGS + FILES, plugins=[Recorder()])
emit({"event": "exit", "code": int(code)})
sys.exit(int(code))
`;

/** The driver, its argv and environment for one run. */
export function pythonPlan(runner: PythonRunner, testFiles: string[], nonce: string): RunnerPlan {
  return {
    files: { [PY_DRIVER_PATH]: DRIVER },
    argv: [runner.python, PY_DRIVER_PATH, nonce, ...testFiles],
    env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0', PYTHONNOUSERSITE: '1' },
    readOnlyPaths: runner.readOnlyPaths,
  };
}

interface PyEvent {
  event: string;
  nodeid?: string;
  passed?: boolean;
  message?: string;
  version?: string;
  code?: number;
}

/** Parses the driver's lines into raw outcomes (pytest node ids; a failed phase wins over a passed call). */
export function parsePythonOutput(stdout: string, nonce: string): RawOutcome {
  const out: RawOutcome = { started: false, results: new Map(), loadErrors: [], lastStarted: undefined, hangExact: true };
  for (const line of stdout.split('\n')) {
    const at = line.indexOf(nonce);
    if (at < 0) continue;
    let e: PyEvent;
    try {
      e = JSON.parse(line.slice(at + nonce.length)) as PyEvent;
    } catch {
      continue;
    }
    if (e.event === 'version') {
      out.started = true;
      out.version = e.version;
    } else if (e.event === 'no-pytest') {
      out.missingRunner = e.message ?? 'pytest cannot be imported';
    } else if (e.event === 'start' && e.nodeid) {
      out.lastStarted = e.nodeid;
    } else if (e.event === 'result' && e.nodeid) {
      const prev = out.results.get(e.nodeid);
      if (prev && !prev.passed) continue;
      out.results.set(e.nodeid, { passed: e.passed === true, message: e.message ? trimPythonFailure(e.message) : undefined });
    } else if (e.event === 'collect-error') {
      out.loadErrors.push({ file: e.nodeid || '<collection>', message: trimPythonFailure(e.message ?? '') });
    } else if (e.event === 'exit') {
      out.exitCode = e.code;
    }
  }
  return out;
}

/** pytest node id "dir/test_x.py::test_a[1]" → its file. */
export function pythonCaseFile(nodeid: string): string {
  return nodeid.split('::')[0] ?? nodeid;
}

/** pytest's "no tests collected" exit code. */
export const PYTEST_NO_TESTS = 5;
