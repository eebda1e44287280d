// How a supervisor starts a worker: a small interface over Node's fork (host mode, tests) and
// Electron's utilityProcess (desktop), so the supervisor itself is the same everywhere.
import { fork, type ForkOptions } from 'node:child_process';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

export interface WorkerProcess {
  readonly pid: number | undefined;
  send(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): void;
  onExit(cb: (exit: WorkerExit) => void): void;
  onStderr(cb: (chunk: string) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export type SpawnWorker = () => WorkerProcess;

export interface NodeSpawnOptions {
  /** Extra node flags, e.g. ['--import', 'tsx'] to run a TypeScript entry in tests. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  args?: string[];
}

/** Spawns `entry` with child_process.fork (plain Node): used by the browser host and the tests. */
export function nodeSpawner(entry: string, opts: NodeSpawnOptions = {}): SpawnWorker {
  return () => {
    const forkOpts: ForkOptions = {
      execArgv: opts.execArgv ?? [],
      env: opts.env ?? process.env,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
    };
    const child = fork(entry, opts.args ?? [], forkOpts);
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => {
        if (child.connected) child.send(m as never);
      },
      onMessage: (cb) => child.on('message', cb),
      onExit: (cb) => child.on('exit', (code, signal) => cb({ code, signal })),
      onStderr: (cb) => child.stderr?.on('data', (d: Buffer) => cb(d.toString('utf8'))),
      kill: (signal) => child.kill(signal),
    };
  };
}
