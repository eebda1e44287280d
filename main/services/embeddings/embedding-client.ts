// Main-side client of the embedding worker: one worker shared by the project index and the local server;
// splits input into batches, runs one batch at a time with interactive callers ahead of background indexing,
// cancels by AbortSignal, and resends a request lost to a worker crash once.
import type { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import {
  EMBED_DIMS,
  EMBED_MAX_TEXTS_PER_REQUEST,
  EMBED_MODEL_NAME,
  EmbedInfoSchema,
  EmbedResultSchema,
  TokenizeResultSchema,
  type EmbedInfo,
  type EmbedResult,
} from '../../../native/embed/protocol';
import type { CrashInfo, WorkerSupervisor } from '../../supervisors/worker-supervisor';

/** What the client needs of the worker's supervisor (a WorkerSupervisor; the scheduling unit test passes a scripted one). */
export type EmbedWorkerLink = Pick<WorkerSupervisor, 'request' | 'onCrash' | 'state'>;

export type EmbedPriority = 'interactive' | 'background';

export interface EmbeddingClientOptions {
  /** Folder with model.onnx + tokenizer.json. */
  modelDir: string;
  intraOpThreads?: number;
  /** Texts per worker request (default 32: big enough to amortise a call, small enough to pre-empt quickly). */
  batchSize?: number;
}

export interface EmbedOptions {
  /** 'interactive' (a server request, a search query) runs before queued 'background' batches (indexing). */
  priority?: EmbedPriority;
  /** Called after each finished batch with the number of texts done so far. */
  onProgress?: (done: number, total: number) => void;
}

interface Job {
  priority: EmbedPriority;
  run(): Promise<void>;
}

export class EmbeddingClient {
  /** The id clients of the local server use for this model. */
  readonly modelId = EMBED_MODEL_NAME;
  private readonly batchSize: number;
  private readonly queue: Job[] = [];
  private running = false;

  constructor(
    private readonly sup: EmbedWorkerLink,
    private readonly o: EmbeddingClientOptions,
  ) {
    this.batchSize = Math.max(1, Math.min(o.batchSize ?? 32, EMBED_MAX_TEXTS_PER_REQUEST));
  }

  onCrash(cb: (c: CrashInfo) => void): () => void {
    return this.sup.onCrash(cb);
  }

  /** Model name, dims (384), max tokens, threads; loads the model if the worker has not yet. */
  async info(signal?: AbortSignal): Promise<EmbedInfo> {
    return this.call('info', this.model(), EmbedInfoSchema, signal);
  }

  /** One L2-normalised 384-d vector per text, in order. Rejects with CANCELLED when `signal` aborts. */
  async embed(texts: string[], signal?: AbortSignal, opts: EmbedOptions = {}): Promise<Float32Array[]> {
    return (await this.embedWithUsage(texts, signal, opts)).vectors;
  }

  /** Like embed, plus the number of tokens fed to the model (the local server reports it as usage). */
  async embedWithUsage(texts: string[], signal?: AbortSignal, opts: EmbedOptions = {}): Promise<EmbedResult> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string'))
      throw new EvolveError('INVALID_ARGUMENT', 'embed: texts must be an array of strings');
    const out = new Array<EmbedResult['vectors'][number]>(texts.length);
    let tokens = 0;
    let truncated = 0;
    let done = 0;
    // One batch queued at a time: an interactive caller waits for at most one background batch, and a cancel
    // leaves nothing queued behind.
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const slice = texts.slice(start, start + this.batchSize);
      await this.schedule(opts.priority ?? 'background', signal, async () => {
        const r = await this.call('embed', { model: this.model(), texts: slice }, EmbedResultSchema, signal);
        if (r.vectors.length !== slice.length || r.vectors.some((v) => v.length !== EMBED_DIMS))
          throw new EvolveError('INTERNAL', `embedding worker returned ${r.vectors.length} vectors for ${slice.length} texts`);
        r.vectors.forEach((v, i) => (out[start + i] = v));
        tokens += r.tokens;
        truncated += r.truncated;
        done += slice.length;
      });
      opts.onProgress?.(done, texts.length);
    }
    return { vectors: out, tokens, truncated };
  }

  /** Token ids per text exactly as the model sees them (for tests, token budgets and the reference check). */
  async tokenize(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const ids: number[][] = [];
    for (let start = 0; start < texts.length; start += EMBED_MAX_TEXTS_PER_REQUEST) {
      const slice = texts.slice(start, start + EMBED_MAX_TEXTS_PER_REQUEST);
      await this.schedule('interactive', signal, async () => {
        ids.push(...(await this.call('tokenize', { model: this.model(), texts: slice }, TokenizeResultSchema, signal)).ids);
      });
    }
    return ids;
  }

  private model(): { modelDir: string; intraOpThreads: number } {
    return { modelDir: this.o.modelDir, intraOpThreads: this.o.intraOpThreads ?? 1 };
  }

  private async call<S extends z.ZodTypeAny>(method: string, params: unknown, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
    try {
      return parse(schema, await this.sup.request(method, params, { signal }), method);
    } catch (e) {
      // Embedding is a pure function of the input, so a request lost to a worker crash is sent once more to the
      // restarted worker; a second crash (say, an input that kills it) is reported.
      const restarting = this.sup.state === 'restarting' || this.sup.state === 'starting';
      if (!(e instanceof EvolveError && e.code === 'UNAVAILABLE' && restarting) || signal?.aborted) throw e;
      return parse(schema, await this.sup.request(method, params, { signal }), method);
    }
  }

  /** Queues `run`; one job talks to the worker at a time, interactive jobs first. */
  private schedule(priority: EmbedPriority, signal: AbortSignal | undefined, run: () => Promise<void>): Promise<void> {
    if (signal?.aborted) return Promise.reject(new EvolveError('CANCELLED', 'Cancelled'));
    return new Promise<void>((resolve, reject) => {
      // While queued, an abort just drops the job; once it runs, the worker request itself is cancelled.
      const onAbort = () => {
        const i = this.queue.indexOf(job);
        if (i < 0) return;
        this.queue.splice(i, 1);
        reject(new EvolveError('CANCELLED', 'Cancelled'));
      };
      const job: Job = {
        priority,
        run: () => {
          signal?.removeEventListener('abort', onAbort);
          return run().then(resolve, reject);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const firstBackground = priority === 'interactive' ? this.queue.findIndex((j) => j.priority === 'background') : -1;
      if (firstBackground >= 0) this.queue.splice(firstBackground, 0, job);
      else this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = true;
    void job.run().finally(() => {
      this.running = false;
      this.pump();
    });
  }
}

function parse<S extends z.ZodTypeAny>(schema: S, raw: unknown, method: string): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new EvolveError('INTERNAL', `embedding worker sent a malformed ${method} answer`, { issues: r.error.issues });
  return r.data;
}
