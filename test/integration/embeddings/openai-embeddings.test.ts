// Integration: POST /v1/embeddings on the local OpenAI-compatible server, backed by the real embedding worker: the
// openai SDK (base64 by default) and a plain float request both return the reference vectors, with usage.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingService } from '../../../main/services/embeddings/embedding-service';
import { LocalAiBackend, type LocalAiLike } from '../../../main/services/openai-server/local-backend';
import { newServerToken, OpenAICompatibleServer } from '../../../main/services/openai-server/server';
import {
  compareVectors,
  EMBED_SKIP_REASON,
  embedWorkerSpawner,
  HAVE_EMBED_MODEL,
  loadReference,
  MODEL_CACHE,
} from '../../fixtures/embeddings/model';

/** A local AI with no LLMs: only the embedding model is served. */
const noLlms = {
  registry: async () => ({ list: () => [] }),
  catalog: async () => ({ version: 1 as const, defaultModelId: '', models: [] }),
  client: { listLoaded: async () => [] },
} as unknown as LocalAiLike;

describe.skipIf(!HAVE_EMBED_MODEL)(
  `/v1/embeddings with the real model${HAVE_EMBED_MODEL ? '' : ` (skipped: ${EMBED_SKIP_REASON})`}`,
  () => {
    const ref = loadReference().items.slice(0, 3);
    const token = newServerToken();
    const svc = new EmbeddingService({ modelCacheDir: MODEL_CACHE, spawn: embedWorkerSpawner(), log: () => {} });
    let server: OpenAICompatibleServer;
    let url: string;
    beforeAll(async () => {
      server = new OpenAICompatibleServer({
        backend: new LocalAiBackend(noLlms, { idleUnloadMs: () => 0, embeddings: () => svc.port() }),
        token,
      });
      url = (await server.start()).url;
    });
    afterAll(async () => {
      await server?.stop();
      await svc.stop();
    });

    it('lists the embedding model and answers the openai SDK (base64 on the wire) with the reference vectors', async () => {
      const client = new OpenAI({ apiKey: token, baseURL: url, maxRetries: 0 });
      const ids: string[] = [];
      for await (const m of client.models.list()) ids.push(m.id);
      expect(ids).toContain('all-minilm-l6-v2');
      const r = await client.embeddings.create({ model: 'all-minilm-l6-v2', input: ref.map((i) => i.text) });
      expect(r.model).toBe('all-minilm-l6-v2');
      expect(r.usage.prompt_tokens).toBe(ref.reduce((n, i) => n + i.ids.length, 0));
      for (const [k, d] of r.data.entries()) {
        expect(d.index).toBe(k);
        expect(compareVectors(d.embedding, ref[k]?.vector ?? []).maxAbsDiff).toBeLessThanOrEqual(1e-4);
      }
    });

    it('returns floats for encoding_format float and base64 float32 for base64', async () => {
      const post = async (body: unknown) => {
        const res = await fetch(`${url}/embeddings`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: res.status, json: (await res.json()) as { data: { embedding: number[] | string }[] } };
      };
      const text = ref[0]?.text as string;
      const float = await post({ model: 'all-minilm-l6-v2', input: text, encoding_format: 'float' });
      expect(float.status).toBe(200);
      const v = float.json.data[0]?.embedding as number[];
      expect(v).toHaveLength(384);
      expect(compareVectors(v, ref[0]?.vector ?? []).maxAbsDiff).toBeLessThanOrEqual(1e-4);
      const b64 = await post({ model: 'all-minilm-l6-v2', input: [text], encoding_format: 'base64' });
      const buf = Buffer.from(b64.json.data[0]?.embedding as string, 'base64');
      const decoded = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
      expect(Array.from(decoded)).toEqual(Array.from(new Float32Array(v)));
    });
  },
);
