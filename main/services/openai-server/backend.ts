// What the local server needs from the app: readable model ids, JIT-loaded generation (chat, raw completion, FIM)
// and embeddings. LocalAiBackend implements it over the app's model registry + inference worker.
import type {
  EngineMessage,
  GenerateResult,
  ResponseFormat,
  SamplingSettings,
  ToolChoice,
  ToolDefinition,
} from '../../../common/inference/engine';

export interface ServedModel {
  /** The id clients use: catalog id when the file is a catalog model, else the file name without .gguf. */
  id: string;
  /** Other names that resolve to this model (file name, registry id, name without quantization). */
  aliases: string[];
  displayName: string;
  kind: 'llm' | 'embedding';
  sizeBytes: number;
  /** ms since epoch the file was added (OpenAI `created` is seconds). */
  addedAt: number;
  architecture?: string;
  quantization?: string;
  parameters?: string;
  contextLength?: number;
  /** The GGUF carries a chat template (instruction-tuned); base models get a plain transcript. */
  chatTemplate?: string;
  hasChatTemplate: boolean;
  /** Fill-in-the-middle tokens in the vocabulary (GGUF metadata; the loaded engine's answer when loaded). */
  fim?: boolean;
  loaded: boolean;
}

export interface ChatCall {
  model: string;
  /** Keeps the conversation's KV cache between requests of the same client. */
  threadKey: string;
  messages: EngineMessage[];
  sampling: SamplingSettings;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
}

export interface CompleteCall {
  model: string;
  /** One KV sequence per client/file, so the next keystroke re-evaluates only what changed. */
  sequenceKey: string;
  prompt: string;
  sampling: SamplingSettings;
}

export interface InfillCall {
  model: string;
  sequenceKey: string;
  prefix: string;
  suffix: string;
  extra?: { path: string; text: string }[];
  repoName?: string;
  /** Token caps of the FIM prompt (the prefix keeps its end, the suffix its start). */
  window?: { maxPrefixTokens?: number; maxSuffixTokens?: number };
  sampling: SamplingSettings;
}

export interface EmbedCall {
  model: string;
  input: string[];
}

export type OnToken = (text: string) => void;

export interface ServerBackend {
  /** Every model a client can ask for (loaded or not). */
  listModels(): Promise<ServedModel[]>;
  /** A client's model name (id or alias) → the model; NOT_FOUND naming the available ids otherwise. */
  resolve(model: string): Promise<ServedModel>;
  chat(call: ChatCall, onToken: OnToken, signal: AbortSignal): Promise<GenerateResult>;
  complete(call: CompleteCall, onToken: OnToken, signal: AbortSignal): Promise<GenerateResult>;
  infill(call: InfillCall, onToken: OnToken, signal: AbortSignal): Promise<GenerateResult>;
  /** UNAVAILABLE when no embedding model is installed. */
  embed(call: EmbedCall, signal: AbortSignal): Promise<{ model: string; vectors: Float32Array[]; promptTokens: number }>;
  /** Stops idle timers; unloads what the server loaded itself. */
  dispose(): Promise<void>;
}
