// The one interface every model source implements (local engine and cloud vendors), plus what the local adapter needs from the engine.
import type {
  ChatEvent,
  ChatRequest,
  CompleteRequest,
  ConnectionTest,
  EmbedRequest,
  ModelInfo,
  ProviderFeature,
  ProviderKind,
} from './types';

export interface CallOptions {
  signal?: AbortSignal;
}

export interface EmbedResult {
  model: string;
  vectors: number[][];
  promptTokens: number;
}

/**
 * A model source. `chat`/`complete` stream `delta` events and end with exactly one `done` event carrying usage;
 * errors are thrown as EvolveError (UNAUTHENTICATED, RESOURCE_EXHAUSTED with retryAfterMs, UNAVAILABLE, TIMEOUT,
 * CANCELLED, CORRUPT for malformed vendor output). Aborting the signal stops the request and the stream.
 */
export interface Provider {
  readonly id: string;
  readonly kind: ProviderKind;
  readonly features: ReadonlySet<ProviderFeature>;
  /** true when calls leave this machine (cloud or a non-loopback base URL): redaction and offline policy apply. */
  readonly leavesMachine: boolean;
  /**
   * Optional: loads what a call needs before it can send anything (a cloud SDK is required on first use, not at
   * startup). The router awaits it before its first-byte and total timers start, so they time the vendor, not us.
   */
  prepare?(): Promise<void>;
  listModels(opts?: CallOptions): Promise<ModelInfo[]>;
  chat(req: ChatRequest, opts?: CallOptions): AsyncIterable<ChatEvent>;
  complete(req: CompleteRequest, opts?: CallOptions): AsyncIterable<ChatEvent>;
  /** Present only when `features` has 'embed'. */
  embed?(req: EmbedRequest, opts?: CallOptions): Promise<EmbedResult>;
  testConnection(opts?: CallOptions): Promise<ConnectionTest>;
}

/** Reads an API key from the keychain; undefined when none is stored. */
export type GetSecret = (providerId: string) => Promise<string | undefined>;

/** What the local adapter needs from the inference engine (the app passes the node-llama-cpp worker's client). */
export interface LocalEngineLike {
  /** Streams generated text pieces for a fully formatted prompt or a chat; ends when generation stops. */
  generate(
    input: { model: string; messages?: { role: 'system' | 'user' | 'assistant'; content: string }[]; prompt?: string },
    params: { maxTokens?: number; temperature?: number; topP?: number; stop?: string[] },
    signal: AbortSignal,
  ): AsyncIterable<{ text: string }>;
  countTokens(model: string, text: string): Promise<number>;
  listLoaded(): Promise<{ id: string; contextLength?: number }[]>;
  /** Optional: an embeddings model (onnxruntime) served by the engine. */
  embed?(model: string, input: string[], signal: AbortSignal): Promise<number[][]>;
}
