// Starts the real inference worker under the real WorkerSupervisor (tsx runs the .ts entry) for integration tests.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { nodeSpawner } from '../../../main/supervisors/worker-process';

export const WORKER_ENTRY = resolve(__dirname, '../../../native/inference/worker.ts');

export function startInferenceWorker(extraEnv: Record<string, string> = {}): WorkerSupervisor {
  const cacheDir = mkdtempSync(join(os.tmpdir(), 'evolve-inf-'));
  const sup = new WorkerSupervisor({
    name: 'inference',
    spawn: nodeSpawner(WORKER_ENTRY, {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, EVOLVE_INFERENCE_CACHE: cacheDir, ...extraEnv },
    }),
    readyTimeoutMs: 60_000,
  });
  return sup;
}
