// What the projects service needs from other services, as narrow interfaces (the real ones are passed in
// by main/services/index.ts; tests pass the same real workers with temporary directories).
import type { StoreMethod, StoreParams, StoreResult } from '../../../common/store/requests';
import type { RequestOptions } from '../../supervisors/worker-supervisor';

export interface StorePort {
  call<M extends Exclude<StoreMethod, 'open'>>(method: M, params: StoreParams<M>, ro?: RequestOptions): Promise<StoreResult<M>>;
}

/** The index worker (native/index/worker.ts) under its supervisor. */
export interface IndexWorkerPort {
  request<T = unknown>(method: string, params: unknown, ro?: RequestOptions): Promise<T>;
}

/** The embedding client (main/services/embeddings/embedding-client.ts). */
export interface EmbedderPort {
  embed(texts: string[], signal?: AbortSignal, opts?: { priority?: 'interactive' | 'background' }): Promise<Float32Array[]>;
  info(): Promise<{ model: string }>;
}

/** Tells indexing to step aside: true while chat or completion is generating. */
export type BusyProbe = () => boolean;
