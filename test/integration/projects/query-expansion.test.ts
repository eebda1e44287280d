// Query expansion on the real index (DB and index workers, BM25 only so the text side alone decides): the expander's
// terms reach the BM25 search and come back with the retrieval; search without expansion (or without an expander)
// is the question as typed. The expander here is the port's seam (query-expansion.ts); the model behind it is
// exercised by `npm run bench:index -- --expand`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, writeFixtureProject, type Harness } from './harness';

describe('query expansion in retrieval (real DB and index workers)', () => {
  let h: Harness;
  let projectId = '';
  const asked: string[] = [];
  beforeAll(async () => {
    h = await makeHarness({
      vectors: false,
      expand: async (q) => {
        asked.push(q);
        return ['backoff', 'retryWithBackoff'];
      },
    });
    const root = path.join(h.dir, 'fixture');
    mkdirSync(root);
    writeFixtureProject(root);
    projectId = (await h.service.add({ path: root })).id;
    expect((await h.service.index(projectId)).phase).toBe('done');
  }, 120_000);
  afterAll(async () => h?.close(), 60_000);

  const question = 'how long do we pause before trying once more';

  it('searches the question plus the expander’s terms and reports them', async () => {
    const r = await h.service.search(projectId, question);
    expect(asked).toEqual([question]);
    expect(r.expansion).toEqual(['backoff', 'retryWithBackoff']);
    expect(r.chunks[0]?.rel).toBe('src/http/retry.ts');
    expect(r.chunks[0]?.scores.bm25).not.toBeNull();
  });

  it('without expansion the same words find nothing in the code', async () => {
    const r = await h.service.search(projectId, question, 10, 8000, { expand: false });
    expect(asked).toHaveLength(1);
    expect(r.expansion).toBeUndefined();
    expect(r.chunks.map((c) => c.rel)).not.toContain('src/http/retry.ts');
  });
});
