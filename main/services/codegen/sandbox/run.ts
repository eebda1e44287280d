// runInSandbox: writes the files into a fresh temp dir, runs the command isolated and limited, captures capped output,
// kills every process of the run and removes the temp dir.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { EvolveError } from '../../../../common/errors';
import { buildSandboxArgv, prlimitArgv } from './argv';
import { prepareTempDir, removeTempDir, resolveCwd, validateFiles, validateRelPath } from './files';
import { CappedCapture } from './output';
import { sandboxSupport, systemEntries } from './support';
import { RUN_UID_MAX, RUN_UID_MIN } from './sweep';
import {
  DEFAULT_LIMITS,
  SandboxSpecSchema,
  type KilledBy,
  type SandboxLimits,
  type SandboxMethod,
  type SandboxResult,
  type SandboxSpecInput,
  type SandboxSupport,
} from './types';

/** What CPython, V8 and glibc print when RLIMIT_AS refuses an allocation (RLIMIT_AS has no signal of its own). */
const MEMORY_PATTERN = /MemoryError|(?:cannot|can't|could not|failed to) allocate|out of memory|std::bad_alloc|Allocation failed|ENOMEM/i;

/**
 * V8 reserves ~10 GB of address space per WebAssembly memory for its bounds-check trap handler, which RLIMIT_AS
 * refuses (undici's fetch, es-module-lexer in vite/vitest). Without the trap handler wasm works under the limit.
 * Node >= 20.15 knows the flag; a caller running an older node passes its own NODE_OPTIONS (even '').
 */
export const NODE_OPTIONS_DEFAULT = '--disable-wasm-trap-handler';

/** After the main process exits, how long to wait for its pipes to close before cutting them. */
const CLOSE_GRACE_MS = 2000;

export type RunInSandboxInput = SandboxSpecInput & { signal?: AbortSignal };

/** Injected for tests: a support report other than this machine's (e.g. 'none', to exercise the refusal). */
export interface SandboxDeps {
  support?: SandboxSupport;
}

function signalName(n: number): string | null {
  const entry = Object.entries(osConstants.signals).find(([, v]) => v === n);
  return entry ? entry[0] : null;
}

async function checkReadOnlyPaths(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const clean = path.posix.normalize(p);
    if (clean === '/' || clean !== p.replace(/\/+$/, '') || p.split('/').includes('..')) {
      throw new EvolveError('INVALID_ARGUMENT', `readOnlyPaths entry ${JSON.stringify(p)} must be a normalized path below /`);
    }
    await stat(clean).catch(() => {
      throw new EvolveError('INVALID_ARGUMENT', `readOnlyPaths entry ${clean} does not exist`);
    });
    out.push(clean);
  }
  return out;
}

/**
 * Runs one command on the given files inside the sandbox. Throws INVALID_ARGUMENT for a bad spec (before anything is
 * written), UNAVAILABLE when no isolation exists and allowUnsandboxed is false, CANCELLED when the signal is already
 * aborted. Everything that happens to the program (exit, signal, limit, cancel) is a result, not an exception.
 *
 * allowUnsandboxed: only with the user's explicit consent, and the caller writes the audit row; the command then runs
 * with rlimits (when prlimit exists), the clean environment and the temp dir, but WITH network and file access.
 */
export async function runInSandbox(input: RunInSandboxInput, deps: SandboxDeps = {}): Promise<SandboxResult> {
  const { signal, ...rest } = input;
  const parsed = SandboxSpecSchema.safeParse(rest);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ');
    throw new EvolveError('INVALID_ARGUMENT', `Invalid sandbox spec: ${why}`);
  }
  const spec = parsed.data;
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...spec.limits };
  const files = validateFiles(spec.files);
  if (spec.cwd !== undefined && spec.cwd !== '' && spec.cwd !== '.') validateRelPath(spec.cwd);
  const readOnlyPaths = await checkReadOnlyPaths(spec.readOnlyPaths);
  if (signal?.aborted) throw new EvolveError('CANCELLED', 'Sandbox run cancelled before it started');

  const support = deps.support ?? (await sandboxSupport());
  if (!support.available && !spec.allowUnsandboxed) {
    throw new EvolveError('UNAVAILABLE', `No sandbox available: ${support.reasons.join(' ')}`, {
      reasons: support.reasons,
    });
  }
  const method: SandboxMethod = support.available ? (support.method as SandboxMethod) : 'unsandboxed';
  // Root runs use a uid of their own (not `nobody`, which other daemons share): RLIMIT_NPROC then counts this run's
  // processes only, and no file on the host belongs to it.
  const runUid = randomInt(RUN_UID_MIN, RUN_UID_MAX + 1);
  const owner = method === 'bwrap-root-setpriv' ? { uid: runUid, gid: runUid } : undefined;
  const tempDir = await prepareTempDir(files, spec.cwd, owner);
  try {
    const cwd = resolveCwd(tempDir, spec.cwd);
    const command = await commandFor(method, support, { tempDir, cwd, readOnlyPaths, limits, argv: spec.argv, owner });
    const env: Record<string, string> = {
      NODE_OPTIONS: NODE_OPTIONS_DEFAULT,
      ...spec.env,
      PATH: spec.path ?? process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: tempDir,
      TMPDIR: tempDir,
    };
    return await execute(command, { cwd, env, limits, method, signal, stdin: spec.stdin });
  } finally {
    await removeTempDir(tempDir);
  }
}

async function commandFor(
  method: SandboxMethod,
  support: SandboxSupport,
  o: {
    tempDir: string;
    cwd: string;
    readOnlyPaths: string[];
    limits: SandboxLimits;
    argv: string[];
    owner?: { uid: number; gid: number };
  },
): Promise<string[]> {
  const { bwrap, prlimit, setpriv } = support.tools;
  if (method === 'unsandboxed') return prlimit ? [...prlimitArgv(prlimit, o.limits), '--', ...o.argv] : o.argv;
  if (!bwrap || !prlimit || (o.owner && !setpriv)) throw new EvolveError('INTERNAL', 'Sandbox tools vanished');
  return buildSandboxArgv({
    bwrap,
    prlimit,
    dropTo: o.owner && setpriv ? { setpriv, uid: o.owner.uid, gid: o.owner.gid } : undefined,
    systemEntries: await systemEntries(),
    tempDir: o.tempDir,
    cwd: o.cwd,
    readOnlyPaths: o.readOnlyPaths,
    limits: o.limits,
    argv: o.argv,
  });
}

function execute(
  command: string[],
  o: {
    cwd: string;
    env: Record<string, string>;
    limits: SandboxLimits;
    method: SandboxMethod;
    signal?: AbortSignal;
    stdin?: string;
  },
): Promise<SandboxResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // detached: its own process group, so one kill reaches every process the run started (the unsandboxed case relies
    // on it; with bwrap the pid namespace dies with its pid 1 anyway).
    const [file, ...args] = command;
    if (file === undefined) return reject(new EvolveError('INVALID_ARGUMENT', 'Empty command'));
    const child = spawn(file, args, {
      cwd: o.cwd,
      env: o.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let killedBy: KilledBy | undefined;
    const killAll = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* the group is already gone */
      }
    };
    const stop = (why: KilledBy): void => {
      killedBy ??= why;
      killAll();
    };
    const stdout = new CappedCapture(o.limits.maxOutputBytes, () => stop('output'));
    const stderr = new CappedCapture(o.limits.maxOutputBytes, () => stop('output'));
    // Without stdin text the program reads EOF at once. A program that exits without reading all of it closes the
    // pipe: EPIPE is expected, not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.stdin ?? '');
    stdout.attach(child.stdout);
    stderr.attach(child.stderr);
    const wall = setTimeout(() => stop('wall'), o.limits.wallMs);
    const onAbort = (): void => stop('cancel');
    o.signal?.addEventListener('abort', onAbort, { once: true });

    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const finish = (): void => {
      if (settled || !exit) return;
      settled = true;
      clearTimeout(wall);
      o.signal?.removeEventListener('abort', onAbort);
      resolve(buildResult(exit, killedBy, stdout, stderr, performance.now() - started, o.method));
    };
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(wall);
      o.signal?.removeEventListener('abort', onAbort);
      killAll();
      reject(new EvolveError('UNAVAILABLE', `Could not start ${file}: ${e.message}`));
    });
    child.on('exit', (code, sig) => {
      exit = { code, signal: sig };
      killAll(); // whatever is left in the group (unsandboxed background processes) goes now
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, CLOSE_GRACE_MS).unref();
    });
    child.on('close', finish);
  });
}

function buildResult(
  exit: { code: number | null; signal: NodeJS.Signals | null },
  killedByUs: KilledBy | undefined,
  out: CappedCapture,
  err: CappedCapture,
  durationMs: number,
  method: SandboxMethod,
): SandboxResult {
  let exitCode = exit.code;
  let signal: string | null = exit.signal;
  // bwrap reports a child killed by signal N as exit status 128+N (so does a shell); a program that exits 128+N on
  // purpose reads the same — documented.
  if (exitCode !== null && exitCode > 128 && exitCode <= 128 + 64) {
    const name = signalName(exitCode - 128);
    if (name) {
      signal = name;
      exitCode = null;
    }
  }
  const stdout = out.result();
  const stderr = err.result();
  let killedBy = killedByUs;
  if (!killedBy && signal === 'SIGXCPU') killedBy = 'cpu';
  if (!killedBy && exitCode !== 0 && MEMORY_PATTERN.test(stderr.text)) killedBy = 'memory';
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    timedOut: killedBy === 'wall',
    killedBy,
    durationMs: Math.round(durationMs),
    method,
  };
}
