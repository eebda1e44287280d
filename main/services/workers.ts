// Where each worker's entry file is: the bundled .cjs under out/ when main itself runs bundled, the
// TypeScript source (run through tsx) when main runs from source (tests, dev).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { nodeSpawner, type SpawnWorker } from '../supervisors/worker-process';

export type WorkerName = 'db' | 'inference' | 'index' | 'embed';

/** Builds a SpawnWorker for `name`; Electron passes its own factory (utilityProcess) instead. */
export type WorkerSpawnerFactory = (name: WorkerName) => SpawnWorker;

export function workerEntry(rootDir: string, name: WorkerName): { entry: string; execArgv: string[] } {
  const built = path.join(rootDir, 'out', 'native', name, 'worker.cjs');
  const runningBundled = __filename.endsWith('.cjs');
  if (runningBundled && existsSync(built)) return { entry: built, execArgv: [] };
  return { entry: path.join(rootDir, 'native', name, 'worker.ts'), execArgv: ['--import', 'tsx'] };
}

export function nodeWorkerSpawner(rootDir: string, env: NodeJS.ProcessEnv = process.env): WorkerSpawnerFactory {
  return (name) => {
    const { entry, execArgv } = workerEntry(rootDir, name);
    return nodeSpawner(entry, { execArgv, env });
  };
}
