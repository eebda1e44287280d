// Electron's way to start a worker: utilityProcess (a Node child managed by Electron), behind the same
// WorkerProcess interface the supervisor uses with child_process.fork in Node mode.
import { utilityProcess } from 'electron';
import type { SpawnWorker } from '../supervisors/worker-process';

export function utilitySpawner(entry: string, serviceName: string, env?: NodeJS.ProcessEnv): SpawnWorker {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName, stdio: ['ignore', 'inherit', 'pipe'], env: env ?? process.env });
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => child.postMessage(m),
      onMessage: (cb) => child.on('message', cb),
      onExit: (cb) => child.on('exit', (code) => cb({ code, signal: null })),
      onStderr: (cb) => child.stderr?.on('data', (d: Buffer) => cb(d.toString('utf8'))),
      kill: () => void child.kill(),
    };
  };
}
