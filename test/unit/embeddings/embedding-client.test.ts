// EmbeddingClient's own logic over a scripted worker link: batching and order, interactive before queued background
// batches, cancel while queued and while running, one resend after a crash, and malformed worker answers.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { EmbeddingClient, type EmbedWorkerLink } from '../../../main/services/embeddings/embedding-client';
import type { SupervisorState } from '../../../main/supervisors/worker-supervisor';

interface Call {
  method: string;
  texts: string[];
  signal?: AbortSignal;
  answer(value?: unknown): void;
  fail(e: unknown): void;
}

/** A worker link whose requests wait until the test answers them; a default answer embeds each text as a one-hot. */
function scripted() {
  const calls: Call[] = [];
  let state: SupervisorState = 'ready';
  const link: EmbedWorkerLink = {
    get state() {
      return state;
    },
    onCrash: () => () => {},
    request: <T>(method: string, params: unknown, ro: { signal?: AbortSignal } = {}) =>
      new Promise<T>((resolve, reject) => {
        const texts = (params as { texts?: string[] }).texts ?? [];
        ro.signal?.addEventListener('abort', () => reject(new EvolveError('CANCELLED', 'Cancelled')), { once: true });
        calls.push({
          method,
          texts,
          signal: ro.signal,
          answer: (value) => resolve((value ?? { vectors: texts.map((t) => vec(t)), tokens: texts.length * 3, truncated: 0 }) as T),
          fail: reject,
        });
      }),
  } as EmbedWorkerLink;
  return { link, calls, setState: (s: SupervisorState) => (state = s) };
}

function vec(text: string): Float32Array {
  const v = new Float32Array(384);
  v[text.length % 384] = 1;
  return v;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

async function settle(calls: Call[], n: number): Promise<void> {
  for (let i = 0; i < 50 && calls.length < n; i++) await tick();
  expect(calls.length).toBeGreaterThanOrEqual(n);
}

describe('EmbeddingClient', () => {
  it('splits into batches of batchSize, one request at a time, and returns vectors in input order', async () => {
    const { link, calls } = scripted();
    const client = new EmbeddingClient(link, { modelDir: '/m', batchSize: 2 });
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const progress: number[] = [];
    const p = client.embedWithUsage(texts, undefined, { onProgress: (d) => progress.push(d) });
    for (let i = 0; i < 3; i++) {
      await settle(calls, i + 1);
      expect(calls).toHaveLength(i + 1); // the next batch is not sent before this one is answered
      calls[i]?.answer();
    }
    const r = await p;
    expect(calls.map((c) => c.texts)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(r.vectors.map((v) => v.indexOf(1))).toEqual([1, 2, 3, 4, 5]);
    expect(r.tokens).toBe(15);
    expect(progress).toEqual([2, 4, 5]);
  });

  it('runs an interactive request before queued background batches', async () => {
    const { link, calls } = scripted();
    const client = new EmbeddingClient(link, { modelDir: '/m', batchSize: 1 });
    const bg1 = client.embed(['bg1-a', 'bg1-b'], undefined, { priority: 'background' });
    const bg2 = client.embed(['bg2-a', 'bg2-b'], undefined, { priority: 'background' });
    await settle(calls, 1); // bg1-a runs, bg2-a waits in the queue
    const fg = client.embed(['query'], undefined, { priority: 'interactive' });
    calls[0]?.answer();
    await settle(calls, 2);
    expect(calls[1]?.texts).toEqual(['query']);
    calls[1]?.answer();
    await fg;
    for (let i = 2; i < 5; i++) {
      await settle(calls, i + 1);
      calls[i]?.answer();
    }
    await Promise.all([bg1, bg2]);
    expect(calls.map((c) => c.texts[0])).toEqual(['bg1-a', 'query', 'bg2-a', 'bg1-b', 'bg2-b']);
  });

  it('cancels a queued job without sending it and a running one through the worker request', async () => {
    const { link, calls } = scripted();
    const client = new EmbeddingClient(link, { modelDir: '/m', batchSize: 1 });
    const running = new AbortController();
    const queued = new AbortController();
    const a = client.embed(['a1', 'a2'], running.signal);
    await settle(calls, 1);
    const b = client.embed(['b1'], queued.signal);
    queued.abort();
    await expect(b).rejects.toMatchObject({ code: 'CANCELLED' });
    running.abort();
    await expect(a).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(calls.map((c) => c.texts[0])).toEqual(['a1']);
    expect(calls[0]?.signal?.aborted).toBe(true);
    // Aborted before the call: rejected at once, nothing sent.
    await expect(client.embed(['late'], running.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(calls).toHaveLength(1);
  });

  it('resends once a request lost to a worker crash, and reports a second crash', async () => {
    const { link, calls, setState } = scripted();
    const client = new EmbeddingClient(link, { modelDir: '/m' });
    const p = client.embed(['x']);
    await settle(calls, 1);
    setState('restarting');
    calls[0]?.fail(new EvolveError('UNAVAILABLE', 'embed worker was killed by SIGKILL'));
    await settle(calls, 2);
    setState('ready');
    calls[1]?.answer();
    expect(await p).toHaveLength(1);

    const q = client.embed(['y']);
    await settle(calls, 3);
    setState('restarting');
    calls[2]?.fail(new EvolveError('UNAVAILABLE', 'crash 1'));
    await settle(calls, 4);
    calls[3]?.fail(new EvolveError('UNAVAILABLE', 'crash 2'));
    await expect(q).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'crash 2' });
    expect(calls).toHaveLength(4);
  });

  it('turns a malformed or short worker answer into INTERNAL, and non-string input into INVALID_ARGUMENT', async () => {
    const { link, calls } = scripted();
    const client = new EmbeddingClient(link, { modelDir: '/m' });
    const bad = client.embed(['a']);
    await settle(calls, 1);
    calls[0]?.answer({ vectors: [[1, 2, 3]], tokens: 1, truncated: 0 });
    await expect(bad).rejects.toMatchObject({ code: 'INTERNAL' });
    const short = client.embed(['a', 'b']);
    await settle(calls, 2);
    calls[1]?.answer({ vectors: [vec('a')], tokens: 1, truncated: 0 });
    await expect(short).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(client.embed(['ok', 3 as unknown as string])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await client.embed([])).toEqual([]);
  });
});
