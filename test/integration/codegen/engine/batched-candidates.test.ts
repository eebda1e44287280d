// k candidates on parallel lanes with a real model: Qwen2.5-Coder 0.5B in the real inference worker, loaded with a KV
// sequence per lane, behind the app's localModel port. Asserts what batching must give whatever the model writes: k
// distinct candidates (greedy + two sampled with distinct seeds), generated at the same time (their token streams
// interleave), the model-written tests beside them, and per-stage usage from the real token counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadedModelSchema } from '../../../../common/inference/engine';
import { LocalInferenceClient } from '../../../../main/services/chat/inference-client';
import { runGeneration, type GenerateEvent } from '../../../../main/services/codegen/engine';
import { localModel } from '../../../../main/services/codegen/engine/models';
import type { WorkerSupervisor } from '../../../../main/supervisors/worker-supervisor';
import { CODER_0_5B } from '../../../fixtures/models/coding-models';
import { startInferenceWorker } from '../../inference/worker-harness';

const Q = 'qwen2.5-coder-0.5b-instruct';
// No docstring example on purpose: nothing can pass the visible tests, so no early stop cuts the candidates short.
const PROMPT = 'Write a Python function `longest_word(text: str) -> str` that returns the longest word in text (the first one on ties).';

describe.skipIf(!CODER_0_5B.present)(
  `batched candidates with a real model${CODER_0_5B.present ? '' : ` (skipped: ${CODER_0_5B.skipReason})`}`,
  () => {
    let sup: WorkerSupervisor;
    let client: LocalInferenceClient;

    beforeAll(async () => {
      sup = startInferenceWorker({ EVOLVE_INFERENCE_THREADS: '2' });
      await sup.start();
      client = new LocalInferenceClient(sup);
    }, 600_000);
    afterAll(async () => {
      await sup?.stop();
    });

    it('k = 3, N = 0 on 4 lanes: three distinct candidates generated at once, model tests beside them', async () => {
      const model = await localModel(
        {
          manager: async () => ({
            load: async () =>
              LoadedModelSchema.parse(await sup.request('load', { path: CODER_0_5B.path, modelId: Q, contextSize: 2048, sequences: 5 })),
          }),
          client,
          defaultModel: { ensureLoaded: async () => Q },
        },
        undefined,
        undefined,
        { lanes: 4 }, // asked for: on a CPU-only model the default is one lane (see defaultLanes)
      );
      expect(model.parallel).toBe(4);
      const events: GenerateEvent[] = [];
      const r = await runGeneration(
        { type: 'function', language: 'python', prompt: PROMPT, maxRounds: 0, samples: 3, seed: 1, maxAnswerTokens: 48 },
        { model: async () => model },
        (e) => events.push(e),
      );
      expect(r.parallel).toBe(4);
      expect(r.candidates).toHaveLength(3);
      const codes = r.candidates.map((c) => c.final.code || c.final.error || '');
      expect(new Set(codes).size).toBe(3);
      // Generated at the same time: a sampled candidate's first token comes before the greedy one's last.
      const tokenAt = (cand: number) => events.flatMap((e, i) => (e.kind === 'tokens' && e.candidate === cand ? [i] : []));
      const [t0, t1, t2] = [tokenAt(0), tokenAt(1), tokenAt(2)];
      expect(t0.length).toBeGreaterThan(1);
      expect(Math.min(t1[0]!, t2[0]!)).toBeLessThan(t0.at(-1)!);
      expect(r.usage?.generate?.calls).toBe(3);
      expect(r.usage?.generate?.completionTokens).toBe(r.candidates.reduce((s, c) => s + c.rounds[0]!.tokens, 0));
      expect(r.usage?.tests?.calls).toBe(1);
      console.log(
        `batched: ${Math.round(r.timings.totalMs)} ms total, generate ${JSON.stringify(r.usage?.generate)}, tests ${JSON.stringify(r.usage?.tests)}`,
      );
    }, 600_000);
  },
);
