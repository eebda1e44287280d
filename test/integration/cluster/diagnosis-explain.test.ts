// The diagnosis explanation with the real Qwen2.5-Coder 0.5B in the inference worker: ≤ 3 sentences of prose about the
// rules' verdict, within the token cap; skipped with the reason when the model is not installed.
import { afterAll, describe, expect, it } from 'vitest';
import { LoadedModelSchema } from '../../../common/inference/engine';
import type { Diagnosis } from '../../../common/cluster/diagnosis';
import { LocalInferenceClient } from '../../../main/services/chat/inference-client';
import { EXPLAIN_MAX_TOKENS, modelExplainer } from '../../../main/services/cluster/diagnosis/explain';
import { localModel } from '../../../main/services/codegen/engine/models';
import type { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { CODER_0_5B } from '../../fixtures/models/coding-models';
import { startInferenceWorker } from '../inference/worker-harness';

const Q = 'qwen2.5-coder-0.5b-instruct';

const DIAGNOSIS: Diagnosis = {
  class: 'cuda-oom',
  confidence: 0.95,
  summary: 'A GPU ran out of memory (CUDA out of memory).',
  evidence: [
    {
      line: 41,
      text: '[rank0]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.02 GiB is free.',
    },
  ],
  location: { file: 'evolve_training/trainer.py', line: 188 },
  fixes: [
    {
      kind: 'smaller-batch',
      label: 'Retry with batch 16 × 2 accumulation steps (same effective batch 32)',
      batchSize: 16,
      gradAccumulation: 2,
    },
  ],
  explanation: null,
};

describe('diagnosis explanation (real 0.5B)', () => {
  let sup: WorkerSupervisor | undefined;
  afterAll(async () => {
    await sup?.stop();
  });

  it.skipIf(!CODER_0_5B.present)(
    `explains a CUDA OOM in at most 3 sentences${CODER_0_5B.present ? '' : ` (skipped: ${CODER_0_5B.skipReason})`}`,
    async () => {
      sup = startInferenceWorker({ EVOLVE_INFERENCE_THREADS: '2' });
      await sup.start();
      const worker = sup;
      const client = new LocalInferenceClient(sup);
      let tokens = 0;
      let streamed = 0;
      const logs: string[] = [];
      // Loaded before the clock starts: the figure below is the explanation itself, not the model load.
      const model = await localModel(
        {
          manager: async () => ({
            load: async () =>
              LoadedModelSchema.parse(await worker.request('load', { path: CODER_0_5B.path, modelId: Q, contextSize: 2048, sequences: 1 })),
          }),
          client,
          defaultModel: { ensureLoaded: async () => Q },
        },
        undefined,
      );
      const explain = modelExplainer({
        // Generous: CI machines are shared; the app's own cap is EXPLAIN_TIMEOUT_MS.
        timeoutMs: 200_000,
        model: async () => ({
          complete: async (msgs, o) =>
            model.complete(msgs, { ...o, onToken: () => void (streamed += 1) }).then((c) => ((tokens = c.tokens), c)),
        }),
        log: (_l, m) => void logs.push(m),
      });
      const t0 = Date.now();
      const text = await explain(DIAGNOSIS, { jobName: 'llm-finetune' });
      console.info(`[diagnosis-explain] ${Date.now() - t0} ms, ${tokens} tokens (${streamed} streamed): ${text}`);
      expect(logs).toEqual([]);
      expect(text).not.toBeNull();
      expect(tokens).toBeLessThanOrEqual(EXPLAIN_MAX_TOKENS);
      // A sentence ends at . ! ? followed by a space or the end: "2.00 GiB" is inside one (the CI run's real answer had it).
      const sentences = (text ?? '').match(/(?:[^.!?]|[.!?](?!\s|$))+(?:[.!?]+|$)/g) ?? [];
      expect(sentences.length).toBeGreaterThan(0);
      expect(sentences.length).toBeLessThanOrEqual(3);
      expect(text).not.toMatch(/```|^\s*[-*] /m);
      // It talks about the verdict the rules gave (GPU memory), not something else.
      expect(text?.toLowerCase()).toMatch(/memory|batch|gpu|cuda/);
    },
    400_000,
  );
});
