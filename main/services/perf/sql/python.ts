// Runs one of the lab's SQL scripts with Python's sqlite3 inside the sandbox (the main process loads no native SQLite)
// and parses its one JSON line of output with a schema.
import { existsSync } from 'node:fs';
import type { z } from 'zod';
import { EvolveError } from '../../../../common/errors';
import { findPythonRunner } from '../../codegen/tests/environment';
import { runInSandbox, sandboxSupport } from '../../codegen/sandbox';

export interface SqlPython {
  python: string;
  readOnlyPaths: string[];
}

/** The system python3 (under /usr, always mounted; sqlite3 is in its standard library), else the tools venv's. */
export function findSqlPython(): SqlPython {
  if (existsSync('/usr/bin/python3')) return { python: '/usr/bin/python3', readOnlyPaths: [] };
  const found = findPythonRunner();
  if (found.ok && found.runner.kind === 'python') return { python: found.runner.python, readOnlyPaths: found.runner.readOnlyPaths };
  throw new EvolveError('UNAVAILABLE', `No Python to run SQLite plans in: ${found.ok ? 'no python runner' : found.reason}`);
}

export interface ScriptRun<T> {
  script: string;
  /** Extra files next to the script. */
  files?: Record<string, string>;
  input: unknown;
  output: z.ZodType<T>;
  wallMs: number;
  /** Largest file the script may write (the scratch database); the sandbox's default otherwise. */
  maxFileBytes?: number;
  signal?: AbortSignal;
  python?: SqlPython;
}

/** Runs `script` in a fresh sandbox with `input` as JSON on stdin; its last stdout line is the JSON result. */
export async function runSqlScript<T>(run: ScriptRun<T>): Promise<T> {
  const support = await sandboxSupport();
  if (!support.available) throw new EvolveError('UNAVAILABLE', `No sandbox to run SQLite in: ${support.reasons.join(' ')}`);
  const py = run.python ?? findSqlPython();
  const result = await runInSandbox({
    files: { 'main.py': run.script, ...run.files },
    argv: [py.python, '-I', 'main.py'],
    readOnlyPaths: py.readOnlyPaths,
    stdin: JSON.stringify(run.input),
    limits: {
      wallMs: run.wallMs,
      cpuSeconds: Math.ceil(run.wallMs / 1000) + 5,
      ...(run.maxFileBytes ? { maxFileBytes: run.maxFileBytes } : {}),
    },
    signal: run.signal,
  });
  if (result.killedBy === 'cancel') throw new EvolveError('CANCELLED', 'Cancelled');
  if (result.timedOut || result.killedBy === 'wall' || result.killedBy === 'cpu') {
    throw new EvolveError('TIMEOUT', `The SQLite run passed its ${run.wallMs} ms limit`);
  }
  const last = result.stdout.text.trim().split('\n').at(-1) ?? '';
  let json: unknown;
  try {
    json = JSON.parse(last);
  } catch {
    throw new EvolveError('INTERNAL', `The SQLite run gave no result (exit ${String(result.exitCode)}): ${result.stderr.text.slice(-600)}`);
  }
  const parsed = run.output.safeParse(json);
  if (!parsed.success) throw new EvolveError('INTERNAL', `The SQLite run's result has an unexpected shape: ${parsed.error.message}`);
  return parsed.data;
}
