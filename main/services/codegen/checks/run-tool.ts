// Runs one of our own pinned tools (ruff, Bandit, Python's compiler) with a bounded time and output, a minimal
// environment (no secrets, no PYTHONPATH, no user config) and its exit code, without ever throwing on exit != 0.
import { execFile } from 'node:child_process';
import { EvolveError } from '../../../../common/errors';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Only what the tools need to start; HOME points at the temp dir so no user-level config can be picked up. */
function toolEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  env.PYTHONDONTWRITEBYTECODE = '1';
  env.PYTHONNOUSERSITE = '1';
  env.XDG_CONFIG_HOME = home;
  return env;
}

export function runTool(cmd: string, args: string[], opts: { cwd: string; timeoutMs: number; signal?: AbortSignal }): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: toolEnv(opts.cwd), timeout: opts.timeoutMs, maxBuffer: 32 << 20, signal: opts.signal, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout: String(stdout), stderr: String(stderr) });
        const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (err.name === 'AbortError') return reject(new EvolveError('CANCELLED', 'Cancelled'));
        if (err.code === 'ENOENT') return reject(new EvolveError('UNAVAILABLE', `${cmd} is not installed`));
        if (err.killed) return reject(new EvolveError('TIMEOUT', `${cmd} did not finish in ${opts.timeoutMs} ms`));
        if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          return reject(new EvolveError('RESOURCE_EXHAUSTED', `${cmd} printed too much`));
        if (typeof err.code === 'number') return resolve({ code: err.code, stdout: String(stdout), stderr: String(stderr) });
        reject(new EvolveError('INTERNAL', `${cmd} failed: ${err.message}`));
      },
    );
  });
}

/** Parses a tool's JSON output; garbage is INTERNAL with the start of what it printed (never a silent pass). */
export function parseToolJson(tool: string, run: ToolRun): unknown {
  try {
    return JSON.parse(run.stdout) as unknown;
  } catch {
    const said = (run.stderr || run.stdout).trim().slice(0, 400);
    throw new EvolveError('INTERNAL', `${tool} did not print JSON (exit ${run.code}): ${said}`);
  }
}
