// The whole engine with a real model: Qwen2.5-Coder 0.5B in the real inference worker behind the app's localModel
// port, real prompt assembly, checks, pytest in the sandbox, scan and score. Kept to one generation (k = 1, one repair
// round at most; selection is covered with fixed answers) so it stays well under a minute on an idle 2-core machine. It asserts what must hold
// whatever the small model writes: the signature is kept, every round is checked, candidate 0 is greedy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadedModelSchema } from '../../../../common/inference/engine';
import { LocalInferenceClient } from '../../../../main/services/chat/inference-client';
import { runGeneration, type GenerateEvent } from '../../../../main/services/codegen/engine';
import { localModel } from '../../../../main/services/codegen/engine/models';
import type { WorkerSupervisor } from '../../../../main/supervisors/worker-supervisor';
import { CODER_0_5B } from '../../../fixtures/models/coding-models';
import { startInferenceWorker } from '../../inference/worker-harness';

const Q = 'qwen2.5-coder-0.5b-instruct';
const PROMPT =
  'def count_vowels(text: str) -> int:\n    """Return how many of the letters a, e, i, o, u (any case) are in text.\n\n    >>> count_vowels("Hello World")\n    3\n    """\n';

describe.skipIf(!CODER_0_5B.present)(
  `runGeneration with a real model${CODER_0_5B.present ? '' : ` (skipped: ${CODER_0_5B.skipReason})`}`,
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

    it('Python, k = 1, N = 1: checked, tested in the sandbox, scanned and scored from measured signals', async () => {
      const events: GenerateEvent[] = [];
      const model = await localModel(
        {
          manager: async () => ({
            load: async () =>
              LoadedModelSchema.parse(await sup.request('load', { path: CODER_0_5B.path, modelId: Q, contextSize: 4096, sequences: 1 })),
          }),
          client,
          defaultModel: { ensureLoaded: async () => Q },
        },
        undefined,
      );
      expect(model.paramsB).toBe(0.5);
      const r = await runGeneration(
        { type: 'function', language: 'python', prompt: PROMPT, maxRounds: 1, samples: 1, seed: 1, maxAnswerTokens: 160 },
        { model: async () => model },
        (e) => events.push(e),
      );
      const kinds = new Set(events.map((e) => e.kind));
      for (const k of ['context', 'round', 'tokens', 'check', 'score', 'selected', 'scan'] as const) expect(kinds).toContain(k);
      expect(r.candidates).toHaveLength(1);
      expect(r.budget.used).toBeLessThanOrEqual(r.budget.contextTokens - r.budget.reservedForAnswer);
      for (const c of r.candidates) {
        for (const round of c.rounds) {
          if (round.error) continue;
          expect(round.checks.map((x) => x.name)).toEqual(['python']);
          expect(round.code).toContain('def count_vowels(text: str) -> int:');
        }
      }
      expect(r.checked).toBe('full');
      expect(r.scan.tools.map((t) => t.name)).toContain('bandit');
      // Tests ran (docstring example + the model's own suite) unless the runner is missing, which is reported as such.
      if (r.tests && r.tests.status !== 'unavailable') expect(r.tests.cases.some((c) => c.origin === 'docstring')).toBe(true);
      expect(r.score.breakdown.find((b) => b.signal === 'security')?.measured).toBe(true);
      expect(r.timings.generateMs).toBeGreaterThan(0);
      console.log(
        `real model: selected ${r.selected}, score ${r.score.score}, tests ${r.tests?.status}, model tests ${r.modelTests}, rounds ${r.candidates.map((c) => c.rounds.length).join('/')}, ${Math.round(r.timings.totalMs)} ms (generate ${Math.round(r.timings.generateMs)}, check ${Math.round(r.timings.checkMs)}, test ${Math.round(r.timings.testMs)})`,
      );
    }, 600_000);
  },
);
