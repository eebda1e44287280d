// The parameter policy: honoured fields map onto engine sampling; harmless no-ops pass; result-changing ones are 400s.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARAM_POLICY, checkParams, toSampling } from '../../../main/services/openai-server/params';

describe('parameter policy', () => {
  it('accepts the no-ops real clients send and names unknown fields instead of dropping them silently', () => {
    const known = ['model', 'messages', 'foo'];
    expect(
      checkParams({ model: 'm', n: 1, user: 'u', parallel_tool_calls: true, logit_bias: {}, logprobs: false, vendor_x: 1 }, known),
    ).toEqual({
      ignored: ['vendor_x'],
    });
  });

  it.each([
    [{ n: 2 }, 'n'],
    [{ logprobs: true }, 'logprobs'],
    [{ top_logprobs: 3 }, 'top_logprobs'],
    [{ logit_bias: { '50256': -100 } }, 'logit_bias'],
    [{ functions: [] }, 'functions'],
    [{ echo: true }, 'echo'],
    [{ options: { num_predict: 5 }, template: '{{ .Prompt }}' }, 'template'],
  ])('rejects %j naming %s', (body, param) => {
    expect(() => checkParams(body, [])).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT', details: { param } }));
  });

  it('maps sampling: max_completion_tokens wins, penalties become one repeat penalty, stops are capped for the engine', () => {
    const s = toSampling(
      {
        max_tokens: 10,
        max_completion_tokens: 20,
        temperature: 0,
        top_p: 0.9,
        top_k: 40,
        min_p: 0.05,
        seed: 7,
        presence_penalty: 0.5,
        frequency_penalty: 1,
        stop: Array.from({ length: 20 }, (_, i) => `s${i}`),
      },
      { temperature: 0.7, maxTokens: 100 },
    );
    expect(s).toMatchObject({ maxTokens: 20, temperature: 0, topP: 0.9, topK: 40, minP: 0.05, seed: 7, repeatPenalty: 1.5 });
    expect(s.stop).toHaveLength(16);
    expect(toSampling({}, { temperature: 0.7, maxTokens: 100 })).toEqual({ temperature: 0.7, maxTokens: 100 });
  });

  it('is documented row for row in docs/local-server.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/local-server.md'), 'utf8');
    const missing = Object.keys(PARAM_POLICY).filter((k) => !doc.includes(`| \`${k}\` |`));
    expect(missing).toEqual([]);
  });
});
