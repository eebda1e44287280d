// Runs the system `git` against the shadow repository with a sealed environment: no user/system config, no hooks,
// no signing, no line-ending conversion, no inherited GIT_* variables — so nothing the user configured can run or
// change what is stored, and the user's own repository is never the target.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { EvolveError } from '../../../../common/errors';

export interface GitEnvPaths {
  /** The shadow repository (outside the project). */
  gitDir: string;
  /** The project root (the shadow repository's work tree). */
  workTree: string;
  /** A private, empty HOME / XDG_CONFIG_HOME for git. */
  home: string;
  /** An empty file used as the "global" config. */
  emptyConfig: string;
  /** An empty directory used as the hooks path. */
  emptyHooks: string;
}

export interface GitRunOptions {
  /** Bytes for git's stdin (e.g. a NUL-separated path list). */
  input?: Buffer | string;
  /** Overrides for this call only (e.g. GIT_INDEX_FILE for a scratch index, a nested work tree). */
  env?: Record<string, string>;
  /** Exit codes that are answers, not failures (e.g. 1 from `rev-parse --verify -q`). */
  okCodes?: number[];
  timeoutMs?: number;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export const CHECKPOINT_AUTHOR = { name: 'Evolve Studio checkpoints', email: 'checkpoints@evolve-studio.invalid' };

/**
 * `-c` settings on every call. They win over the repository's own config, so a repo config edited by someone else
 * still cannot turn hooks, signing, fsmonitor commands or line-ending conversion back on.
 */
function sealedConfig(p: GitEnvPaths): string[] {
  const settings: Record<string, string> = {
    'core.hooksPath': p.emptyHooks,
    'commit.gpgSign': 'false',
    'tag.gpgSign': 'false',
    'core.autocrlf': 'false',
    'core.safecrlf': 'false',
    'core.fsmonitor': 'false',
    'core.symlinks': 'true',
    'core.quotePath': 'false',
    'core.bare': 'false',
    'gc.auto': '0',
    'maintenance.auto': 'false',
    'advice.detachedHead': 'false',
  };
  return Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

/** The whole environment git sees: built from nothing, so no GIT_DIR/GIT_INDEX_FILE/HOME of the caller leaks in. */
export function sealedEnv(p: GitEnvPaths, pathEnv: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: pathEnv,
    HOME: p.home,
    XDG_CONFIG_HOME: p.home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: p.emptyConfig,
    GIT_ATTR_NOSYSTEM: '1',
    GIT_DIR: p.gitDir,
    GIT_WORK_TREE: p.workTree,
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_AUTHOR_NAME: CHECKPOINT_AUTHOR.name,
    GIT_AUTHOR_EMAIL: CHECKPOINT_AUTHOR.email,
    GIT_COMMITTER_NAME: CHECKPOINT_AUTHOR.name,
    GIT_COMMITTER_EMAIL: CHECKPOINT_AUTHOR.email,
    LC_ALL: 'C',
    LANG: 'C',
  };
  // Windows needs these to start any process at all.
  for (const k of ['SystemRoot', 'SYSTEMROOT', 'ComSpec', 'PATHEXT']) {
    const v = process.env[k];
    if (v !== undefined && process.platform === 'win32') env[k] = v;
  }
  return { ...env, ...extra };
}

export class GitRunner {
  constructor(
    private readonly paths: GitEnvPaths,
    private readonly pathEnv: string,
    private readonly gitBinary = 'git',
  ) {}

  run(args: string[], opts: GitRunOptions = {}): Promise<GitResult> {
    const argv = [...sealedConfig(this.paths), ...args];
    const env = sealedEnv(this.paths, this.pathEnv, opts.env);
    const okCodes = opts.okCodes ?? [0];
    const timeoutMs = opts.timeoutMs ?? 120_000;
    return new Promise((resolve, reject) => {
      // cwd = the top of the work tree: from a folder inside it, git would answer relative to (and only under) that folder.
      const cwd = env.GIT_WORK_TREE ?? this.paths.workTree;
      const child = spawn(this.gitBinary, argv, { env, cwd, windowsHide: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (e.code === 'ENOENT' && !existsSync(cwd))
          reject(new EvolveError('NOT_FOUND', `The project folder ${cwd} no longer exists; nothing was changed`));
        else if (e.code === 'ENOENT')
          reject(new EvolveError('UNAVAILABLE', 'git is not installed or not on PATH; checkpoints need it (see `evolve doctor`)'));
        else reject(new EvolveError('INTERNAL', `could not start git: ${e.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const stderr = Buffer.concat(err).toString('utf8').trim();
        if (timedOut) return reject(new EvolveError('TIMEOUT', `git ${args[0] ?? ''} did not finish in ${timeoutMs} ms`));
        const exit = code ?? -1;
        if (!okCodes.includes(exit)) return reject(gitFailure(args, exit, stderr));
        resolve({ code: exit, stdout: Buffer.concat(out), stderr });
      });
      // A git that exits before reading its input closes the pipe; the exit code tells the real story.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input ?? '');
    });
  }

  /** stdout as trimmed text. */
  async text(args: string[], opts?: GitRunOptions): Promise<string> {
    return (await this.run(args, opts)).stdout.toString('utf8').trim();
  }
}

function gitFailure(args: string[], code: number, stderr: string): EvolveError {
  const first = stderr.split('\n').find((l) => /^(fatal|error):/.test(l)) ?? stderr.split('\n')[0] ?? '';
  const message = `git ${args[0] ?? ''} failed (exit ${code}): ${first.slice(0, 500)}`;
  if (/index\.lock|Unable to create .*\.lock/i.test(stderr)) {
    return new EvolveError('CONFLICT', `another checkpoint operation holds the shadow repository lock: ${first.slice(0, 300)}`);
  }
  if (/Permission denied/i.test(stderr)) return new EvolveError('FORBIDDEN', message);
  if (/No space left/i.test(stderr)) return new EvolveError('RESOURCE_EXHAUSTED', message);
  return new EvolveError('INTERNAL', message, { stderr: stderr.slice(0, 4000) });
}
