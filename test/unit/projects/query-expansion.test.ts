// Query expansion: which queries are expanded, how the model's answer becomes BM25 terms, and that every failure
// (no model, a slow answer, an error) leaves the search unexpanded instead of failing it — while the caller's own
// cancel still cancels.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import {
  EXPANSION_MAX_TERMS,
  expansionMessages,
  isProseQuery,
  modelQueryExpander,
  parseExpansion,
  type ExpansionModel,
} from '../../../main/services/projects/query-expansion';

const answering = (text: string, delayMs = 0): ExpansionModel => ({
  complete: (_m, o) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => resolve({ text, tokens: 5 }), delayMs);
      o.signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new EvolveError('CANCELLED', 'cancelled'));
      });
    }),
});

describe('isProseQuery', () => {
  it('is true for plain English and false once a word looks like code', () => {
    expect(isProseQuery('How are failed HTTP requests repeated with growing waits?')).toBe(true);
    for (const q of ['how does cloneDeep work', 'where is parse_header', 'what does async.retry do', 'ipv4 regex', 'call foo()'])
      expect(isProseQuery(q)).toBe(false);
  });
});

describe('parseExpansion', () => {
  it('keeps the first line’s distinct names, drops the question’s own words and noise, caps the count', () => {
    expect(
      parseExpansion('retry, exponentialBackoff, Retry-After, retry, requests, the, x\nsecond line ignored', 'failed requests'),
    ).toEqual(['retry', 'exponentialBackoff', 'Retry-After']);
    const many = Array.from({ length: 30 }, (_, i) => `name${i}`).join(', ');
    expect(parseExpansion(many, 'q')).toHaveLength(EXPANSION_MAX_TERMS);
    expect(parseExpansion('', 'q')).toEqual([]);
  });

  it('asks with worked examples and ends with the question', () => {
    const m = expansionMessages('Where is the cache evicted?');
    expect(m[0]!.role).toBe('system');
    expect(m.at(-1)).toEqual({ role: 'user', content: 'Where is the cache evicted?' });
    expect(m.filter((x) => x.role === 'assistant').length).toBeGreaterThan(0);
  });
});

describe('modelQueryExpander', () => {
  it('returns the parsed terms for a prose question and does not call the model for a code-like one', async () => {
    let calls = 0;
    const ex = modelQueryExpander({ model: async () => (calls++, answering('redact, censor, maskPassword')) });
    expect(await ex('How are passwords hidden in log lines?')).toEqual(['redact', 'censor', 'maskPassword']);
    expect(await ex('where is redactPaths defined')).toEqual([]);
    expect(calls).toBe(1);
  });

  it('a missing model, a model error or a slow answer means no expansion, each logged', async () => {
    const logs: string[] = [];
    const log = (_l: 'warn', m: string) => void logs.push(m);
    const noModel = modelQueryExpander({
      model: () => Promise.reject(new EvolveError('UNAVAILABLE', 'No coding model is installed')),
      log,
    });
    expect(await noModel('how are passwords hidden')).toEqual([]);
    const slow = modelQueryExpander({ model: async () => answering('redact', 5_000), timeoutMs: 50, log });
    expect(await slow('how are passwords hidden')).toEqual([]);
    expect(logs).toEqual(['query expansion skipped: No coding model is installed', 'query expansion skipped: no answer within 50 ms']);
  });

  it('the caller’s cancel is not swallowed', async () => {
    const ac = new AbortController();
    const ex = modelQueryExpander({ model: async () => answering('redact', 5_000) });
    const p = ex('how are passwords hidden', ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('runs the model call through the interactive scheduler when given', async () => {
    const labels: string[] = [];
    const ex = modelQueryExpander({
      model: async () => answering('redact'),
      interactive: (label, fn) => (labels.push(label), fn()),
    });
    await ex('how are passwords hidden');
    expect(labels).toEqual(['search: query expansion']);
  });
});
