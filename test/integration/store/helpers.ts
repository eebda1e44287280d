// Shared setup for store integration tests: a real DB worker (tsx-run entry) under a WorkerSupervisor in a temp dir.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { StoreClient } from '../../../main/services/store/store-client';
import { nodeSpawner } from '../../../main/supervisors/worker-process';
import { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { tempDir as sharedTempDir } from '../../support/temp-tree';

export const WORKER_ENTRY = resolve(__dirname, '../../../native/db/worker.ts');

/** The shared test temp dir (test/support/temp-tree.ts), with the store tests' prefix. */
export const tempDir = (prefix = 'evolve-store-') => sharedTempDir(prefix);

export const newKey = () => randomBytes(32).toString('hex');

export interface TestStore {
  client: StoreClient;
  supervisor: WorkerSupervisor;
  path: string;
  key: () => string;
  setKey: (k: string) => void;
}

export function makeStore(
  path: string,
  key: string,
  opts: {
    env?: NodeJS.ProcessEnv;
    maxRestarts?: number;
    restartWindowMs?: number;
    synchronous?: 'NORMAL' | 'FULL';
    slowQueryMs?: number;
    log?: (level: string, msg: string) => void;
  } = {},
): TestStore {
  let current = key;
  const supervisor = new WorkerSupervisor({
    name: 'db',
    spawn: nodeSpawner(WORKER_ENTRY, { execArgv: ['--import', 'tsx'], env: { ...process.env, ...opts.env } }),
    maxRestarts: opts.maxRestarts ?? 3,
    restartWindowMs: opts.restartWindowMs ?? 60_000,
    log: opts.log,
  });
  const client = new StoreClient({
    supervisor,
    path,
    keyProvider: async () => current,
    validateResults: true,
    synchronous: opts.synchronous,
    slowQueryMs: opts.slowQueryMs,
  });
  return { client, supervisor, path, key: () => current, setKey: (k) => (current = k) };
}
