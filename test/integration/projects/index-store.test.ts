// The project index in the real DB worker (SQLCipher + sqlite-vec, and the JS-scan fallback): projects, catalog,
// batched writes with content-addressed chunks, BM25 and vector rankings, deletes that leave no rows, removal.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { int8ToBase64, quantizeInt8 } from '../../../native/db/ops/index-vectors';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
// Deterministic 8-d "embeddings" along named axes: enough to check ranking without a model (the pipeline test uses the real one).
const axis = (i: number, j = i) => int8ToBase64(quantizeInt8(Array.from({ length: 8 }, (_, k) => (k === i ? 1 : k === j ? 0.5 : 0.01))));
const chunk = (text: string, startLine: number, vec: number, symbol: string | null = null) => ({
  hash: sha(text),
  text,
  startLine,
  endLine: startLine + text.split('\n').length - 1,
  kind: symbol ? 'function' : 'window',
  symbol,
  vector: axis(vec),
});
const file = (rel: string, chunks: ReturnType<typeof chunk>[]) => ({
  rel,
  size: 100,
  mtimeMs: 1_700_000_000_000,
  hash: sha(rel + chunks.map((c) => c.text).join('')),
  lang: 'typescript',
  chunks,
});

for (const engine of ['sqlite-vec', 'js-scan'] as const) {
  describe(`project index store (${engine})`, () => {
    const tmp = tempDir('evolve-index-store-');
    let s: TestStore;
    let projectId = '';
    beforeAll(async () => {
      s = makeStore(join(tmp.dir, 'evolve.db'), newKey(), { env: engine === 'js-scan' ? { EVOLVE_SQLITE_VEC: 'off' } : {} });
      await s.client.open();
      projectId = (await s.client.call('index.project.add', { name: 'demo', rootPath: '/src/demo', exclude: ['dist/**'] })).id;
    });
    afterAll(async () => {
      await s.client.close();
      tmp.cleanup();
    });

    it('adds one project per root and lists it with globs and counts', async () => {
      await expect(s.client.call('index.project.add', { name: 'again', rootPath: '/src/demo' })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      const [p] = await s.client.call('index.project.list', {});
      expect(p).toMatchObject({ name: 'demo', exclude: ['dist/**'], include: [], files: 0, chunks: 0, state: { status: 'never' } });
      const u = await s.client.call('index.project.update', { projectId, include: ['src/**'] });
      expect(u.include).toEqual(['src/**']);
      await expect(s.client.call('index.project.get', { projectId: 'nope' })).rejects.toBeInstanceOf(EvolveError);
    });

    it('writes a batch, shares identical chunks, and ranks by BM25 and by vector', async () => {
      const shared = chunk('export const VERSION = 3;', 1, 7);
      const r = await s.client.call('index.writeBatch', {
        projectId,
        model: 'test-8d',
        files: [
          file('src/quat.ts', [
            chunk('export function parseQuaternion(text: string) {\n  return text.split(",");\n}', 1, 0, 'parseQuaternion'),
            shared,
          ]),
          file('src/http.ts', [chunk('class HttpServerError extends Error {}', 1, 1, 'HttpServerError'), shared]),
        ],
      });
      expect(r).toMatchObject({ files: 2, chunksAdded: 3, chunksReused: 1, chunksRemoved: 0 });
      const res = await s.client.call('index.search', { projectId, query: 'parse quaternion', vector: axis(0, 2), k: 5 });
      expect(res.vectorEngine).toBe(engine);
      expect(res.bm25[0]).toMatchObject({ rel: 'src/quat.ts', startLine: 1, endLine: 3, symbol: 'parseQuaternion' });
      expect(res.bm25[0]?.score).toBeGreaterThan(0);
      expect(res.vector[0]).toMatchObject({ rel: 'src/quat.ts' });
      expect(res.vector[0]?.score).toBeGreaterThan(0.8);
      expect(res.vector).toHaveLength(3);
      // snake_case and acronym queries reach camelCase code.
      expect((await s.client.call('index.search', { projectId, query: 'http_server error' })).bm25[0]?.rel).toBe('src/http.ts');
      expect(await s.client.call('index.knownChunks', { projectId, hashes: [shared.hash, sha('unknown')] })).toEqual([shared.hash]);
      const cat = await s.client.call('index.catalog', { projectId });
      expect(cat.map((c) => c.rel).sort()).toEqual(['src/http.ts', 'src/quat.ts']);
    });

    it('re-writes an edited file, deletes a removed one, and leaves no orphan rows', async () => {
      const r = await s.client.call('index.writeBatch', {
        projectId,
        model: 'test-8d',
        files: [file('src/http.ts', [chunk('class HttpClientTimeout extends Error {}', 1, 3, 'HttpClientTimeout')])],
        deleted: ['src/quat.ts'],
      });
      // The old HttpServerError chunk, parseQuaternion and the shared VERSION chunk are all unreferenced now.
      expect(r).toMatchObject({ files: 1, chunksAdded: 1, filesDeleted: 1, chunksRemoved: 3 });
      expect((await s.client.call('index.search', { projectId, query: 'quaternion' })).bm25).toEqual([]);
      expect((await s.client.call('index.search', { projectId, query: 'timeout', vector: axis(3) })).vector.map((h) => h.symbol)).toEqual([
        'HttpClientTimeout',
      ]);
      const p = await s.client.call('index.project.get', { projectId });
      expect([p.files, p.chunks]).toEqual([1, 1]);
    });

    it('records a per-file error without chunks, and refuses malformed batches', async () => {
      await s.client.call('index.writeBatch', {
        projectId,
        model: 'test-8d',
        files: [{ ...file('src/bad.ts', []), error: 'vanished while reading' }],
      });
      expect((await s.client.call('index.catalog', { projectId })).find((c) => c.rel === 'src/bad.ts')?.status).toBe('error');
      await expect(
        s.client.call('index.writeBatch', { projectId, model: 'm', files: [{ ...file('x.ts', []), hash: 'NOT HEX' }] }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(s.client.call('index.search', { projectId, query: '!!!' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });

    it('removes the project with its index and keeps its threads, detached', async () => {
      const t = await s.client.call('thread.create', { projectId, title: 'about http' });
      await s.client.call('message.append', { threadId: t.id, role: 'user', content: 'why does it time out' });
      const r = await s.client.call('index.project.remove', { projectId });
      expect(r).toMatchObject({ removed: true, files: 2, chunks: 1, threadsDetached: 1 });
      const threads = await s.client.call('thread.list', {});
      expect(threads.find((x) => x.id === t.id)?.projectId).toBeNull();
      expect(await s.client.call('message.list', { threadId: t.id })).toHaveLength(1);
      expect(await s.client.call('index.project.list', {})).toEqual([]);
    });
  });
}
