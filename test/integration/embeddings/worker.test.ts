// Integration: the real embedding worker (onnxruntime-node + all-MiniLM-L6-v2 int8) under the real supervisor,
// checked against the Python reference fixture: ids exactly, vectors within 1e-4 (max abs diff AND cosine).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { EmbeddingClient } from '../../../main/services/embeddings/embedding-client';
import { EmbeddingService } from '../../../main/services/embeddings/embedding-service';
import { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import {
  compareVectors,
  EMBED_SKIP_REASON,
  embedWorkerSpawner,
  HAVE_EMBED_MODEL,
  loadReference,
  MODEL_CACHE,
} from '../../fixtures/embeddings/model';
import { tempDir } from '../../support/temp-tree';

const ref = loadReference();
const texts = ref.items.map((i) => i.text);

async function rejection(p: Promise<unknown>): Promise<EvolveError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EvolveError);
  return e as EvolveError;
}

describe.skipIf(!HAVE_EMBED_MODEL)(`embedding worker${HAVE_EMBED_MODEL ? '' : ` (skipped: ${EMBED_SKIP_REASON})`}`, () => {
  let svc: EmbeddingService;

  beforeAll(() => {
    svc = new EmbeddingService({ modelCacheDir: MODEL_CACHE, spawn: embedWorkerSpawner(), log: () => {} });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('reports the model, 384 dims and the 256-token limit of the model card', async () => {
    const info = await svc.client.info();
    expect(info).toMatchObject({ model: 'all-minilm-l6-v2', dims: 384, maxTokens: 256, intraOpThreads: 1 });
    expect(info.runtime).toMatch(/^onnxruntime-node 1\.30\.0/);
  });

  it('tokenizes all 30 reference strings to exactly the ids of the Python tokenizers library', async () => {
    const ids = await svc.client.tokenize(texts);
    for (const [i, item] of ref.items.entries()) expect(ids[i], item.name).toEqual(item.ids);
    // The fixture covers the cases that matter: truncation at 256, [UNK], an empty string.
    expect(ref.items.find((x) => x.name === 'long-code-past-max')?.ids).toHaveLength(256);
    expect(ref.items.find((x) => x.name === 'empty')?.ids).toEqual([101, 102]);
  });

  it('embeds all 30 in one request (length-grouped padded runs) within 1e-4 of the Python onnxruntime reference (each text run alone there)', async () => {
    const r = await svc.client.embedWithUsage(texts);
    expect(r.vectors).toHaveLength(30);
    expect(r.tokens).toBe(ref.items.reduce((n, i) => n + i.ids.length, 0));
    expect(r.truncated).toBe(1);
    let worst = { maxAbsDiff: 0, cosine: 1 };
    for (const [i, item] of ref.items.entries()) {
      const v = r.vectors[i] as Float32Array;
      expect(v).toHaveLength(384);
      const c = compareVectors(v, item.vector);
      expect(c.maxAbsDiff, item.name).toBeLessThanOrEqual(1e-4);
      expect(c.cosine, item.name).toBeGreaterThanOrEqual(1 - 1e-4);
      const norm = Math.hypot(...v);
      expect(norm).toBeCloseTo(1, 5);
      if (c.maxAbsDiff > worst.maxAbsDiff) worst = c;
    }
    console.log(`[embeddings] worst of 30 vs reference: max abs diff ${worst.maxAbsDiff.toExponential(2)}, cosine ${worst.cosine}`);
  });

  it('gives the same vector for a text alone and inside a batch (padding is masked out)', async () => {
    const alone = await svc.client.embed([texts[0] as string]);
    const batched = await svc.client.embed([texts[29] as string, texts[0] as string, 'x']);
    expect(compareVectors(alone[0] as Float32Array, batched[1] as Float32Array).maxAbsDiff).toBeLessThan(1e-5);
  });

  it('ranks a related code/prose pair above an unrelated one', async () => {
    const [q, good, bad] = await svc.client.embed([
      'read the configuration file and parse it',
      ref.items[0]?.text as string,
      'Über die Brücke fährt ein großer Lastwagen',
    ]);
    const sim = (a?: Float32Array, b?: Float32Array) => compareVectors(a as Float32Array, b as Float32Array).cosine;
    expect(sim(q, good)).toBeGreaterThan(sim(q, bad) + 0.1);
  });

  it('returns [] for no texts without calling the worker, and rejects non-strings with INVALID_ARGUMENT', async () => {
    expect(await svc.client.embed([])).toEqual([]);
    expect((await rejection(svc.client.embed([1 as unknown as string]))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(svc.supervisor.request('embed', { model: { modelDir: svc.modelDir }, texts: 'not a list' }))).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      (await rejection(svc.supervisor.request('embed', { model: { modelDir: svc.modelDir }, texts: new Array(257).fill('a') }))).code,
    ).toBe('INVALID_ARGUMENT');
  });

  it('cancels a long job between batches and keeps serving (priorities: test/unit/embeddings/embedding-client.test.ts)', async () => {
    // Its own client with small batches on the same worker, so the test needs little compute.
    const client = new EmbeddingClient(svc.supervisor, { modelDir: svc.modelDir, batchSize: 2 });
    const many = Array.from({ length: 20 }, (_, i) => `function handler${i}(req) { return store.get('k${i}'); }`);
    const ac = new AbortController();
    let done = 0;
    const job = client.embed(many, ac.signal, {
      onProgress: (n) => {
        done = n;
        if (n === 6) ac.abort();
      },
    });
    expect((await rejection(job)).code).toBe('CANCELLED');
    expect(done).toBe(6);
    expect(await client.embed(['still alive'])).toHaveLength(1);
  });

  it('recovers after the worker is killed: the lost request is sent again to the restarted worker, which reopens the model', async () => {
    const before = svc.supervisor.pid;
    expect(before).toBeTypeOf('number');
    const crashes: string[] = [];
    const off = svc.client.onCrash((c) => crashes.push(c.reason));
    process.kill(before as number, 'SIGKILL');
    const [v] = await svc.client.embed([texts[12] as string]);
    expect(svc.supervisor.pid).not.toBe(before);
    expect(compareVectors(v as Float32Array, ref.items[12]?.vector ?? []).maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(crashes).toEqual([expect.stringContaining('SIGKILL')]);
    off();
  });
});

describe.skipIf(!HAVE_EMBED_MODEL)('embedding worker without a model', () => {
  it('answers UNAVAILABLE naming the setup script, stays up, and works once pointed at the model', async () => {
    const sup = new WorkerSupervisor({ name: 'embed', spawn: embedWorkerSpawner(), maxRestarts: 0 });
    const empty = tempDir('evolve-embed-none-');
    try {
      const client = new EmbeddingClient(sup, { modelDir: empty.dir });
      const e = await rejection(client.embed(['hello']));
      expect(e.code).toBe('UNAVAILABLE');
      expect(e.message).toContain('setup-embedding-model.sh');
      expect(sup.state).toBe('ready');
      const fixed = new EmbeddingClient(sup, { modelDir: join(MODEL_CACHE, 'all-minilm-l6-v2') });
      expect(await fixed.embed(['hello'])).toHaveLength(1);
    } finally {
      await sup.stop();
      empty.cleanup();
    }
  });
});
