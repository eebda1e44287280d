// The app's embedding model: the embedding worker under its supervisor (started on first use, so the ~100 MB it
// takes is only spent when indexing or the local server needs it) and the one EmbeddingClient everyone shares.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EMBED_MODEL_NAME } from '../../../native/embed/protocol';
import { WorkerSupervisor } from '../../supervisors/worker-supervisor';
import type { SpawnWorker } from '../../supervisors/worker-process';
import { EmbeddingClient } from './embedding-client';

/** Where scripts/models/setup-embedding-model.sh installs the model inside the model cache. */
export const EMBED_MODEL_SUBDIR = 'all-minilm-l6-v2';

export function embeddingModelDir(modelCacheDir: string): string {
  return path.join(modelCacheDir, EMBED_MODEL_SUBDIR);
}

/** True when the files the worker needs are there (the setup script verified their hashes when it wrote them). */
export function embeddingModelInstalled(modelDir: string): boolean {
  return existsSync(path.join(modelDir, 'model.onnx')) && existsSync(path.join(modelDir, 'tokenizer.json'));
}

export interface EmbeddingServiceOptions {
  modelCacheDir: string;
  spawn: SpawnWorker;
  /** onnxruntime intra-op threads (default 1: on 2 cores, 2 threads won little and starved chat; see the bench). */
  intraOpThreads?: number;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  onCrash?: (reason: string, restarting: boolean) => void;
}

export class EmbeddingService {
  readonly supervisor: WorkerSupervisor;
  readonly client: EmbeddingClient;
  readonly modelDir: string;

  constructor(o: EmbeddingServiceOptions) {
    this.modelDir = embeddingModelDir(o.modelCacheDir);
    this.supervisor = new WorkerSupervisor({
      name: 'embed',
      spawn: o.spawn,
      maxRestarts: 3,
      readyTimeoutMs: 60_000,
      log: (l, m) => o.log(l === 'debug' ? 'info' : l, m),
    });
    this.supervisor.onCrash((c) => o.onCrash?.(c.reason, c.restarting));
    this.client = new EmbeddingClient(this.supervisor, { modelDir: this.modelDir, intraOpThreads: o.intraOpThreads ?? 1 });
  }

  get modelId(): string {
    return EMBED_MODEL_NAME;
  }

  installed(): boolean {
    return embeddingModelInstalled(this.modelDir);
  }

  /** The client when the model is installed (what the local server's /v1/embeddings uses), else undefined. */
  port(): EmbeddingClient | undefined {
    return this.installed() ? this.client : undefined;
  }

  stop(): Promise<void> {
    return this.supervisor.stop();
  }
}
