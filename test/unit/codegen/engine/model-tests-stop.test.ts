// The test-writing call stops once MODEL_TEST_CASES cases are written (modelTestsEnd through localModel's stopWhen):
// the 1.5B otherwise writes to its token cap, and every case past the first few is dropped anyway.
import { describe, expect, it } from 'vitest';
import type { GenerateResult } from '../../../../common/inference/engine';
import { localModel, type LocalModelSources } from '../../../../main/services/codegen/engine/models';
import { modelTestsEnd, MODEL_TEST_CASES } from '../../../../main/services/codegen/tests';

const ENTRY = { file: 'solution.py', exports: ['chunk'] };
const ANSWER = [
  '```python',
  'def test_chunk():',
  '    data = [1, 2, 3]',
  ...Array.from({ length: 8 }, (_, i) => `    assert chunk(data, ${i + 1}) == [data]`),
  '```',
  '',
].join('\n');

/** An inference client that streams ANSWER a line at a time and stops when the caller's signal aborts. */
function streamingSources(streamed: string[]): LocalModelSources {
  const lines = ANSWER.split(/(?<=\n)/);
  return {
    defaultModel: { ensureLoaded: () => Promise.resolve('qwen2.5-coder-1.5b') },
    manager: () =>
      Promise.resolve({ load: () => Promise.resolve({ contextSize: 4096, sequences: 2, gpuLayers: 0, path: '/m.gguf' } as never) }),
    client: {
      countTokens: () => Promise.resolve({ count: 1 }) as never,
      generate: (_params, cb = {}) => {
        let text = '';
        for (const line of lines) {
          if (cb.signal?.aborted) break;
          text += line;
          streamed.push(line);
          cb.onToken?.(line);
        }
        const usage = { promptTokens: 10, completionTokens: streamed.length, evaluatedPromptTokens: 10, acceptedDraftTokens: 0 };
        return Promise.resolve({ text, stopReason: cb.signal?.aborted ? 'cancelled' : 'eos', usage } as GenerateResult);
      },
    },
  };
}

describe('model-written tests stop once enough cases are written', () => {
  it('modelTestsEnd: the last line break once MODEL_TEST_CASES complete cases precede it; an open statement is not one', () => {
    const upTo = (n: number) =>
      ANSWER.split('\n')
        .slice(0, 3 + n)
        .join('\n') + '\n';
    expect(MODEL_TEST_CASES).toBe(4);
    expect(modelTestsEnd('python', upTo(3), ENTRY)).toBeUndefined();
    expect(modelTestsEnd('python', upTo(4), ENTRY)).toBe(upTo(4).length - 1);
    expect(modelTestsEnd('python', `${upTo(3)}    assert chunk(data, 9) == [\n`, ENTRY)).toBeUndefined();
    const ts = "```ts\ntest('a', () => {\n" + [1, 2, 3, 4].map((i) => `  expect(slugify('${i}')).toBe('${i}');\n`).join('');
    expect(modelTestsEnd('typescript', ts, { file: 'slug.ts', exports: ['slugify'] })).toBe(ts.length - 1);
    expect(modelTestsEnd('typescript', ts.slice(0, ts.lastIndexOf('  expect')), { file: 'slug.ts', exports: ['slugify'] })).toBeUndefined();
  });

  it('localModel ends the stream where stopWhen says and keeps the text up to it', async () => {
    const streamed: string[] = [];
    const model = await localModel(streamingSources(streamed), undefined);
    const out = await model.complete([{ role: 'user', content: 'tests' }], {
      maxTokens: 384,
      temperature: 0,
      stopWhen: (text) => modelTestsEnd('python', text, ENTRY),
    });
    expect(out.text).toBe(ANSWER.split('\n').slice(0, 7).join('\n'));
    // The stream stopped at the 4th assert's line break: lines 8–12 of the answer were never generated.
    expect(streamed).toHaveLength(7);

    const whole: string[] = [];
    const all = await (
      await localModel(streamingSources(whole), undefined)
    ).complete([{ role: 'user', content: 'x' }], { maxTokens: 384, temperature: 0 });
    expect(all.text).toBe(ANSWER);
    expect(whole).toHaveLength(ANSWER.split(/(?<=\n)/).length);
  });
});
