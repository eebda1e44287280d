// assemblePrompt and repairPrompt with the real tokenizers (Qwen2.5-Coder 0.5B, Gemma 3 270M in the real inference
// worker): the chat-template-rendered prompt the model receives fits contextTokens − reservedForAnswer, and the
// code-only instruction gives an answer whose code extractCode finds.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountTokensResultSchema, GenerateEventSchema, GenerateResultSchema, LoadedModelSchema } from '../../../../common/inference/engine';
import { extractCode } from '../../../../main/services/codegen/edits';
import { assemblePrompt, repairPrompt, testWritingPrompt, type AssembledPrompt } from '../../../../main/services/codegen/prompt';
import type { WorkerSupervisor } from '../../../../main/supervisors/worker-supervisor';
import { CODER_0_5B } from '../../../fixtures/models/coding-models';
import { HAVE_MODEL, MODEL_PATH } from '../../../fixtures/models/default-model';
import { retrieval } from '../../../unit/codegen/prompt/helpers';
import { startInferenceWorker } from '../../inference/worker-harness';

const FASTAPI = path.resolve(__dirname, '../../../fixtures/codegen/prompt/fastapi-ruff');
const SIG = 'def count_vowels(text: str) -> int:\n    """Return how many of the letters a, e, i, o, u (any case) are in text."""\n';
const MODELS = [
  { id: 'qwen', path: CODER_0_5B.path, present: CODER_0_5B.present },
  { id: 'gemma', path: MODEL_PATH, present: HAVE_MODEL },
].filter((m) => m.present);

describe.skipIf(MODELS.length === 0)('prompt assembly with real tokenizers', () => {
  let sup: WorkerSupervisor;
  const countText = async (modelId: string, text: string): Promise<number> =>
    CountTokensResultSchema.parse(await sup.request('count-tokens', { modelId, text })).count;
  const countRendered = async (modelId: string, p: AssembledPrompt): Promise<number> =>
    CountTokensResultSchema.parse(await sup.request('count-tokens', { modelId, messages: p.messages })).count;

  beforeAll(async () => {
    sup = startInferenceWorker({ EVOLVE_INFERENCE_THREADS: '1' });
    await sup.start();
    for (const m of MODELS)
      LoadedModelSchema.parse(await sup.request('load', { path: m.path, modelId: m.id, contextSize: 2048, sequences: 1 }));
  }, 600_000);
  afterAll(async () => {
    await sup?.stop();
  });

  it('the rendered chat prompt never exceeds the budget, for both tokenizers and chat templates', async () => {
    for (const m of MODELS) {
      for (const contextTokens of [600, 1024, 2048, 4096]) {
        const reservedForAnswer = 256;
        const p = await assemblePrompt(
          {
            type: 'edit',
            language: 'python',
            prompt: 'Make parse_order_id reject negative ids with a ValueError.',
            project: { id: 'p', root: FASTAPI },
            target: {
              path: 'app/main.py',
              content: `${'# filler line of the module\n'.repeat(120)}def parse_order_id(raw: str) -> int:\n    return int(raw.strip())\n`,
            },
            contextTokens,
            reservedForAnswer,
          },
          { countTokens: (t) => countText(m.id, t), retrieve: async () => retrieval(10) },
        );
        const rendered = await countRendered(m.id, p);
        expect(rendered, `${m.id} @${contextTokens}: rendered ${rendered}, estimated ${p.budget.used}`).toBeLessThanOrEqual(
          contextTokens - reservedForAnswer,
        );
        // The allowance for the template is close to the real one (not wildly generous either).
        expect(p.budget.used - rendered, m.id).toBeLessThan(40);
        const feedback = 'The SEARCH block failed to match.\n'.repeat(30);
        const answer = 'app/main.py\n```python\n<<<<<<< SEARCH\nnope\n=======\nx\n>>>>>>> REPLACE\n```';
        if (contextTokens < 1024) {
          // The file fills this context: no room for a repair turn is a typed refusal, not an overflow.
          expect(() => repairPrompt(p, answer, feedback)).toThrow(/context leaves/);
          continue;
        }
        const r = repairPrompt(p, answer, feedback);
        expect(await countRendered(m.id, r), `${m.id} repair @${contextTokens}`).toBeLessThanOrEqual(contextTokens - reservedForAnswer);
        expect(r.messages[1]!.content.slice(-1500), `${m.id} @${contextTokens}`).toContain('The SEARCH block failed to match.');
      }
      const t = testWritingPrompt({ type: 'function', language: 'python', prompt: SIG, contextTokens: 600, reservedForAnswer: 256 });
      expect(await countRendered(m.id, t), `${m.id} test-writing`).toBeLessThanOrEqual(600 - 256);
    }
  }, 120_000);

  it.skipIf(!CODER_0_5B.present)(
    'Qwen2.5-Coder 0.5B answers the code-only prompt with code extractCode finds',
    async () => {
      const p = await assemblePrompt(
        { type: 'function', language: 'python', prompt: SIG, contextTokens: 2048, reservedForAnswer: 256 },
        { countTokens: (t) => countText('qwen', t) },
      );
      let text = '';
      const raw = await sup.request(
        'generate',
        { modelId: 'qwen', threadId: 'prompt-real', messages: p.messages, sampling: { temperature: 0, maxTokens: 160 } },
        {
          onEvent: (d) => {
            const e = GenerateEventSchema.parse(d);
            if (e.type === 'token') text += e.text;
          },
        },
      );
      GenerateResultSchema.parse(raw);
      const code = extractCode(text, 'python');
      expect(code.how, `answer:\n${text}`).toBe('fenced');
      expect(code.code).toContain('def count_vowels(text: str) -> int:');
      // Code only: what is outside the block is at most a line of prose.
      expect(text.replace(/```[\s\S]*?```/g, '').trim().length, `answer:\n${text}`).toBeLessThan(120);
    },
    120_000,
  );
});
