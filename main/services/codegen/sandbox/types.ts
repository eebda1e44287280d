// Schemas and types of the sandbox that runs generated code and its tests (spec in, result out, support report).
import { z } from 'zod';

/** Defaults chosen for a test run of one generated function on a 2-core laptop. */
export const DEFAULT_LIMITS = {
  wallMs: 30_000,
  cpuSeconds: 20,
  memoryBytes: 2 * 1024 ** 3,
  maxProcesses: 64,
  maxOutputBytes: 1024 ** 2,
  maxFileBytes: 64 * 1024 ** 2,
} as const;

export const SandboxLimitsSchema = z
  .object({
    /** Wall-clock limit of the whole run; the process tree is killed when it passes. */
    wallMs: z.number().int().min(100).max(3_600_000),
    /** RLIMIT_CPU per process (SIGXCPU at the limit, SIGKILL a second later). */
    cpuSeconds: z.number().int().min(1).max(3600),
    /** RLIMIT_AS per process (address space, not resident memory: V8 and CPython reserve more than they touch). */
    memoryBytes: z
      .number()
      .int()
      .min(64 * 1024 ** 2),
    /** RLIMIT_NPROC of the sandbox's own uid (root: a dedicated uid; user: counted in the run's user namespace). */
    maxProcesses: z.number().int().min(2).max(4096),
    /** Cap of stdout and of stderr each; passing it kills the run (killedBy 'output'). */
    maxOutputBytes: z.number().int().min(1024),
    /** RLIMIT_FSIZE: the largest file a process may write (the temp dir is on the host's disk). */
    maxFileBytes: z.number().int().min(1024),
  })
  .strict();
export type SandboxLimits = z.infer<typeof SandboxLimitsSchema>;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names the sandbox sets itself; a caller cannot override them. */
export const RESERVED_ENV = ['HOME', 'TMPDIR', 'PATH', 'LANG'] as const;

export const SandboxSpecSchema = z
  .object({
    /** Files written into the fresh temp dir, keyed by a relative path (no '..', no absolute path). */
    files: z.record(z.string(), z.string()).default({}),
    /** The command; argv[0] is looked up on PATH inside the sandbox unless it is absolute. */
    argv: z.array(z.string().min(1)).min(1),
    /** Working directory relative to the temp dir (default: the temp dir itself). */
    cwd: z.string().optional(),
    /** Explicit extra variables (never inherited from the app). HOME, TMPDIR, PATH and LANG are the sandbox's. */
    env: z
      .record(z.string().regex(ENV_NAME), z.string())
      .refine((e) => !RESERVED_ENV.some((k) => k in e), { message: `env may not set ${RESERVED_ENV.join(', ')}` })
      .default({}),
    /** PATH inside the sandbox (default: the app's PATH; only directories that are mounted resolve). */
    path: z.string().optional(),
    /** Absolute host paths made visible read-only at the same place (a project's venv, node_modules, a toolchain). */
    readOnlyPaths: z.array(z.string().startsWith('/')).default([]),
    limits: SandboxLimitsSchema.partial().default({}),
    /** Runs without isolation when none is available. The caller must have the user's consent and audit it. */
    allowUnsandboxed: z.boolean().default(false),
    /** Text fed to the program's stdin (then closed); without it the program reads EOF at once. */
    stdin: z
      .string()
      .max(16 * 1024 * 1024)
      .optional(),
  })
  .strict();
export type SandboxSpecInput = z.input<typeof SandboxSpecSchema>;
export type SandboxSpec = z.output<typeof SandboxSpecSchema>;

export type KilledBy = 'wall' | 'cpu' | 'memory' | 'output' | 'cancel';
export type SandboxMethod = 'bwrap-userns' | 'bwrap-root-setpriv' | 'unsandboxed';

export interface CapturedStream {
  text: string;
  /** Bytes the program wrote, including those past the cap. */
  bytes: number;
  truncated: boolean;
}

export interface SandboxResult {
  /** Exit status, or null when the program died of a signal. */
  exitCode: number | null;
  /** Signal that ended the program (e.g. 'SIGKILL', 'SIGXCPU'), or null. */
  signal: string | null;
  stdout: CapturedStream;
  stderr: CapturedStream;
  timedOut: boolean;
  killedBy: KilledBy | undefined;
  durationMs: number;
  method: SandboxMethod;
}

export interface SandboxSupport {
  available: boolean;
  /** The isolation runInSandbox will use, or 'none'. */
  method: SandboxMethod | 'none';
  platform: NodeJS.Platform;
  runningAsRoot: boolean;
  /** Absolute paths of the tools in use. */
  tools: { bwrap?: string; setpriv?: string; prlimit?: string };
  /** Why isolation is unavailable (empty when available). */
  reasons: string[];
}
