// InferenceClientEngine: callback tokens become an ordered async stream, the "local-default" alias, errors and cancel pass through.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import type { GenerateParams } from '../../../common/inference/engine';
import { InferenceClientEngine, LOCAL_DEFAULT_MODEL } from '../../../main/services/providers/local-engine';
import { LocalAdapter } from '../../../main/services/providers/local-adapter';

/** A hand-written stand-in for the worker client: emits tokens on timers, like the real one. */
function fakeClient(opts: { loaded: string[]; tokens: string[]; fail?: Error }) {
  const calls: GenerateParams[] = [];
  const client = {
    calls,
    listLoaded: async () => opts.loaded.map((modelId) => ({ modelId, contextSize: 4096 }) as never),
    countTokens: async (_m: string, input: { text: string } | { messages: unknown[] }) => ({
      count: 'text' in input ? input.text.length : 0,
    }),
    generate: async (params: GenerateParams, cb: { signal?: AbortSignal; onToken?: (t: string) => void } = {}) => {
      calls.push(params);
      for (const t of opts.tokens) {
        if (cb.signal?.aborted) break;
        await new Promise((r) => setTimeout(r, 1));
        cb.onToken?.(t);
      }
      if (opts.fail) throw opts.fail;
      return {} as never;
    },
  };
  return client;
}

async function collect(it: AsyncIterable<{ text: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const p of it) out.push(p.text);
  return out;
}

describe('InferenceClientEngine', () => {
  it('streams tokens in order and resolves the local-default alias to the first loaded model', async () => {
    const c = fakeClient({ loaded: ['gemma', 'other'], tokens: ['Hel', 'lo', '!'] });
    const e = new InferenceClientEngine(c);
    const pieces = await collect(
      e.generate({ model: LOCAL_DEFAULT_MODEL, prompt: 'hi' }, { maxTokens: 8, temperature: 0 }, new AbortController().signal),
    );
    expect(pieces).toEqual(['Hel', 'lo', '!']);
    expect(c.calls[0]).toMatchObject({
      modelId: 'gemma',
      messages: [{ role: 'user', content: 'hi' }],
      sampling: { temperature: 0, maxTokens: 8 },
    });
    expect((await e.listLoaded()).map((m) => m.id)).toEqual(['gemma', 'other', LOCAL_DEFAULT_MODEL]);
    expect(await e.countTokens(LOCAL_DEFAULT_MODEL, 'abcd')).toBe(4);
  });

  it('lists no alias and refuses the alias when nothing is loaded', async () => {
    const e = new InferenceClientEngine(fakeClient({ loaded: [], tokens: [] }));
    expect(await e.listLoaded()).toEqual([]);
    await expect(collect(e.generate({ model: LOCAL_DEFAULT_MODEL, prompt: 'x' }, {}, new AbortController().signal))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('passes a worker failure through after the tokens that arrived', async () => {
    const e = new InferenceClientEngine(
      fakeClient({ loaded: ['m'], tokens: ['a'], fail: new EvolveError('UNAVAILABLE', 'worker crashed') }),
    );
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const p of e.generate({ model: 'm', prompt: 'x' }, {}, new AbortController().signal)) seen.push(p.text);
      })(),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(seen).toEqual(['a']);
  });

  it('works under the LocalAdapter: real usage from countTokens and a done event', async () => {
    const adapter = new LocalAdapter('local', new InferenceClientEngine(fakeClient({ loaded: ['m'], tokens: ['ok', ' done'] })));
    const events = [];
    for await (const ev of adapter.chat({ model: LOCAL_DEFAULT_MODEL, messages: [{ role: 'user', content: 'hey' }] })) events.push(ev);
    expect(events.at(-1)).toMatchObject({ type: 'done', usage: { promptTokens: 3, completionTokens: 7, estimated: false } });
  });
});
