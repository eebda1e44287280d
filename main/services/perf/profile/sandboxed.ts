// One sandboxed profiling run: nonce-prefixed JSON events out of stdout, and everything that can go wrong with the
// run (the user's error, a hang, memory, cancel, a missing tool) turned into a typed EvolveError.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { EvolveError, type ErrorCode } from '../../../../common/errors';
import { runInSandbox, type SandboxResult } from '../../codegen/sandbox';
import { stripSandboxPaths } from '../../codegen/tests/trim';

export interface DriverEvent {
  event: string;
  kind?: string;
  message?: string;
  [key: string]: unknown;
}

export interface SandboxedRun {
  files: Record<string, string>;
  argv: string[];
  env: Record<string, string>;
  readOnlyPaths: string[];
  wallMs: number;
  signal?: AbortSignal;
}

/** Profiles can be large (a .cpuprofile of a long run is MBs); the events travel on stdout. */
const OUTPUT_CAP = 96 * 1024 ** 2;

const ERROR_CODES: Record<string, ErrorCode> = {
  'load-module': 'INVALID_ARGUMENT',
  'load-input': 'INVALID_ARGUMENT',
  'bad-input': 'INVALID_ARGUMENT',
  'unknown-function': 'NOT_FOUND',
  'run-error': 'INVALID_ARGUMENT',
  exit: 'INVALID_ARGUMENT',
  'test-error': 'INVALID_ARGUMENT',
  'missing-tool': 'UNAVAILABLE',
  'bad-spec': 'INTERNAL',
};

const WHAT: Record<string, string> = {
  'load-module': 'The module does not load',
  'load-input': 'The input generator does not load',
  'bad-input': 'The input generator failed',
  'unknown-function': 'No such function',
  'run-error': 'The code raised an error',
  exit: 'The script failed',
  'test-error': 'The test could not run',
  'missing-tool': 'A profiling tool is missing',
  'bad-spec': 'Bad profiling spec',
};

export function makeNonce(): string {
  return `@@evolve-perf-${randomBytes(6).toString('hex')}@@`;
}

export function parseEvents(stdout: string, nonce: string): DriverEvent[] {
  const out: DriverEvent[] = [];
  for (const line of stdout.split('\n')) {
    const at = line.indexOf(nonce);
    if (at < 0) continue;
    try {
      const e: unknown = JSON.parse(line.slice(at + nonce.length));
      if (e && typeof e === 'object' && typeof (e as DriverEvent).event === 'string') out.push(e as DriverEvent);
    } catch {
      /* a truncated line: the run's fate is decided below */
    }
  }
  return out;
}

/**
 * CPU seconds per process: the wall limit on every core, so multi-threaded code (BLAS, worker pools) is stopped by the
 * wall limit, which the error names, and not by RLIMIT_CPU first.
 */
function cpuSecondsFor(wallMs: number): number {
  return Math.min(3600, Math.max(1, Math.ceil(wallMs / 1000) * Math.max(1, availableParallelism())));
}

const tail = (s: string, n = 1500): string => stripSandboxPaths(s).trim().slice(-n);

/** Runs one step and returns its events; throws the typed error when the step did not produce `expect`. */
export async function runStep(
  step: SandboxedRun,
  nonce: string,
  expect: string,
  label: string,
): Promise<{ events: DriverEvent[]; result: SandboxResult }> {
  const result = await runInSandbox({
    files: step.files,
    argv: step.argv,
    env: { ...step.env, EVOLVE_PERF_NONCE: nonce },
    readOnlyPaths: step.readOnlyPaths,
    limits: { wallMs: step.wallMs, cpuSeconds: cpuSecondsFor(step.wallMs), maxOutputBytes: OUTPUT_CAP },
    signal: step.signal,
  });
  const events = parseEvents(result.stdout.text, nonce);
  if (result.killedBy === 'cancel') throw new EvolveError('CANCELLED', `Profiling cancelled (${label})`);
  const err = events.find((e) => e.event === 'error');
  if (err) {
    const kind = err.kind ?? 'run-error';
    const message = stripSandboxPaths(String(err.message ?? '')).trim();
    throw new EvolveError(ERROR_CODES[kind] ?? 'INTERNAL', `${WHAT[kind] ?? 'Profiling failed'}: ${message}`, { kind, step: label });
  }
  if (result.killedBy === 'wall' || result.killedBy === 'cpu') {
    const limit = result.killedBy === 'wall' ? `wall limit of ${step.wallMs} ms` : 'CPU time limit';
    throw new EvolveError('TIMEOUT', `The code was still running at the ${limit} and was killed (${label})`, { step: label });
  }
  if (result.killedBy === 'memory') {
    throw new EvolveError('RESOURCE_EXHAUSTED', `The code ran out of memory (${label}): ${tail(result.stderr.text, 400)}`);
  }
  if (result.killedBy === 'output') throw new EvolveError('RESOURCE_EXHAUSTED', `The run printed more than ${OUTPUT_CAP} bytes (${label})`);
  if (!events.some((e) => e.event === expect)) {
    const why = tail(result.stderr.text) || tail(result.stdout.text) || `exit ${result.exitCode ?? result.signal}`;
    throw new EvolveError('INTERNAL', `The ${label} run ended without a result: ${why}`, {
      exitCode: result.exitCode,
      signal: result.signal,
    });
  }
  return { events, result };
}
