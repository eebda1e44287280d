// The index worker keeps a project's tags under the key main sends with them, so later repo maps send only the
// key (a 6k-file tree's tags are ~17 MB of JSON); an unknown key is NOT_FOUND, which makes main send them again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoMapResultSchema } from '../../../native/index/protocol';
import type { FileTags } from '../../../native/index/types';
import { makeHarness, type Harness } from './harness';

const tags: Record<string, FileTags> = {
  'a.ts': { defs: [{ name: 'openDatabase', rel: 'a.ts', line: 3, kind: 'function' }], refs: [] },
  'b.ts': {
    defs: [{ name: 'startServer', rel: 'b.ts', line: 1, kind: 'function' }],
    refs: [{ name: 'openDatabase', rel: 'b.ts', line: 2, kind: 'call' }],
  },
};

describe('repo-map tags kept in the index worker', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness({ vectors: false, watch: false });
  }, 120_000);
  afterAll(async () => h?.close(), 60_000);

  it('answers NOT_FOUND for a key it never got, then serves the kept tags by key alone', async () => {
    const req = (p: object) => h.index.request('repo-map', { tokenBudget: 200, ...p });
    await expect(req({ tagsKey: 'p1:1' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const sent = RepoMapResultSchema.parse(await req({ tagsKey: 'p1:1', tags }));
    expect(sent.text).toContain('a.ts:\n  3: function openDatabase');
    expect(RepoMapResultSchema.parse(await req({ tagsKey: 'p1:1' }))).toEqual(sent);
    await expect(req({})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  }, 60_000);
});
