// Doctor check for the local inference engine: starts the real inference worker briefly and reports the
// backend node-llama-cpp chose (CUDA/Vulkan/Metal/CPU), the devices and their memory.
import { EngineInfoSchema } from '../../../common/inference/engine';
import { toErrorInfo } from '../../../common/errors';
import { WorkerSupervisor } from '../../supervisors/worker-supervisor';
import { nodeWorkerSpawner } from '../workers';
import type { CheckDef } from './checks';

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

export const inferenceCheck: CheckDef = {
  id: 'inference',
  label: 'Local inference engine',
  async run(ctx) {
    const sup = new WorkerSupervisor({ name: 'inference', spawn: nodeWorkerSpawner(ctx.rootDir, ctx.env)('inference'), maxRestarts: 0 });
    try {
      const info = EngineInfoSchema.parse(await sup.request('info', {}, { timeoutMs: 90_000 }));
      const devices = info.gpuDevices.length ? ` — ${info.gpuDevices.join(', ')}` : '';
      const vram = info.vram.total > 0 ? `, VRAM ${gib(info.vram.free)} free of ${gib(info.vram.total)}` : '';
      const detail = `${info.backend.toUpperCase()}${devices}${vram}; node-llama-cpp ${info.nodeLlamaCppVersion}, llama.cpp ${info.llamaCppRelease}`;
      return info.backend === 'cpu'
        ? { status: 'warn', detail, hint: 'No GPU backend loaded: models run on the CPU. Install CUDA or Vulkan drivers for offload.' }
        : { status: 'ok', detail };
    } catch (e) {
      return {
        status: 'fail',
        detail: `the engine did not start: ${toErrorInfo(e).message}`,
        hint: 'Reinstall dependencies (npm ci) so node-llama-cpp and its prebuilt binary are present.',
      };
    } finally {
      await sup.stop();
    }
  },
};
