// Starts the real inference worker under the real WorkerSupervisor (tsx runs the .ts entry) for integration tests.
import { resolve } from 'node:path';
import { WorkerSupervisor, type SupervisorOptions } from '../../../main/supervisors/worker-supervisor';
import { nodeSpawner } from '../../../main/supervisors/worker-process';
import { tempDir } from '../../support/temp-tree';

export const WORKER_ENTRY = resolve(__dirname, '../../../native/inference/worker.ts');

/** The supervisor that also removes the worker's temp cache dir once stopped (every caller stops it in afterAll). */
class TestInferenceWorker extends WorkerSupervisor {
  constructor(
    opts: SupervisorOptions,
    private readonly removeCache: () => void,
  ) {
    super(opts);
  }

  override async stop(): Promise<void> {
    try {
      await super.stop();
    } finally {
      this.removeCache();
    }
  }
}

export function startInferenceWorker(extraEnv: Record<string, string> = {}): WorkerSupervisor {
  const cache = tempDir('evolve-inf-');
  return new TestInferenceWorker(
    {
      name: 'inference',
      spawn: nodeSpawner(WORKER_ENTRY, {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, EVOLVE_INFERENCE_CACHE: cache.dir, ...extraEnv },
      }),
      readyTimeoutMs: 60_000,
    },
    cache.cleanup,
  );
}
