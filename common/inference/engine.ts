// Zod schemas + types for the local inference engine's requests, stream events and results (worker RPC and contracts).
import { z } from 'zod';

/** GPU layers: 'auto' lets the engine fit as many as VRAM allows; a number is a manual override. */
export const GpuLayersSchema = z.union([z.literal('auto'), z.literal('max'), z.number().int().min(0).max(10_000)]);
/** Context size in tokens: 'auto' = the largest that fits, capped by the engine's auto cap. */
export const ContextSizeSchema = z.union([z.literal('auto'), z.number().int().min(16).max(100_000_000)]);

export const LoadOptionsSchema = z.object({
  /** Absolute path of a .gguf file. */
  path: z.string().min(1),
  /** Stable id the caller uses to refer to the loaded model (defaults to the path). */
  modelId: z.string().min(1).max(512).optional(),
  gpuLayers: GpuLayersSchema.default('auto'),
  contextSize: ContextSizeSchema.default('auto'),
  /** Parallel chat sessions kept warm (one KV sequence each). */
  sequences: z.number().int().min(1).max(16).default(2),
  /** Turn on input-lookup speculative decoding (wins when output repeats input, e.g. edits). */
  speculative: z.boolean().default(false),
});
export type LoadOptions = z.input<typeof LoadOptionsSchema>;

export const SamplingSettingsSchema = z.object({
  temperature: z.number().min(0).max(5).default(0.7),
  topK: z.number().int().min(0).max(1000).optional(),
  topP: z.number().min(0).max(1).optional(),
  minP: z.number().min(0).max(1).optional(),
  repeatPenalty: z.number().min(0.5).max(3).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  maxTokens: z.number().int().min(1).max(32_768).default(512),
  stop: z.array(z.string().min(1).max(200)).max(16).optional(),
});
export type SamplingSettings = z.input<typeof SamplingSettingsSchema>;

export const ChatRoleSchema = z.enum(['system', 'user', 'assistant']);
export const ChatMessageSchema = z.object({ role: ChatRoleSchema, content: z.string().max(2_000_000) });
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** What to do when prompt + maxTokens does not fit the context window. Never silent. */
export const OverflowPolicySchema = z.enum(['error', 'truncate-oldest']);

export const GenerateParamsSchema = z.object({
  modelId: z.string().min(1),
  /** The chat thread: its KV cache is kept between turns so only new tokens are evaluated. */
  threadId: z.string().min(1).max(256),
  /** The whole conversation; the last message must be from the user. */
  messages: z.array(ChatMessageSchema).min(1).max(10_000),
  sampling: SamplingSettingsSchema.default({ temperature: 0.7, maxTokens: 512 }),
  overflow: OverflowPolicySchema.default('error'),
});
export type GenerateParams = z.input<typeof GenerateParamsSchema>;

export const GenerateEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('token'), text: z.string() }),
  /** Sent before any token when the caller opted into truncation and messages were dropped. */
  z.object({ type: z.literal('truncated'), droppedMessages: z.array(z.number().int()), droppedTokens: z.number().int() }),
]);
export type GenerateEvent = z.infer<typeof GenerateEventSchema>;

export const StopReasonSchema = z.enum(['eos', 'stop-sequence', 'max-tokens', 'cancelled']);
export type StopReason = z.infer<typeof StopReasonSchema>;

export const UsageSchema = z.object({
  /** Tokens of the whole rendered prompt. */
  promptTokens: z.number().int().nonnegative(),
  /** Prompt tokens actually evaluated this turn (the rest came from the thread's KV cache). */
  evaluatedPromptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  timeToFirstTokenMs: z.number().nonnegative(),
  promptTokensPerSecond: z.number().nonnegative(),
  /** Generation speed after the first token (TTFT excluded, shown separately). */
  generationTokensPerSecond: z.number().nonnegative(),
  totalMs: z.number().nonnegative(),
  /** Draft tokens accepted by speculative decoding (0 when off). */
  acceptedDraftTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const TruncationNoticeSchema = z.object({ droppedMessages: z.array(z.number().int()), droppedTokens: z.number().int() });

export const GenerateResultSchema = z.object({
  text: z.string(),
  stopReason: StopReasonSchema,
  usage: UsageSchema,
  truncation: TruncationNoticeSchema.optional(),
});
export type GenerateResult = z.infer<typeof GenerateResultSchema>;

export const GenerateJsonParamsSchema = z.object({
  modelId: z.string().min(1),
  prompt: z.string().min(1).max(2_000_000),
  /** JSON schema in node-llama-cpp's GBNF-able subset (object/array/string/number/boolean/enum/const). */
  schema: z.record(z.string(), z.unknown()),
  sampling: SamplingSettingsSchema.default({ temperature: 0, maxTokens: 256 }),
});
export type GenerateJsonParams = z.input<typeof GenerateJsonParamsSchema>;
export const GenerateJsonResultSchema = z.object({ value: z.unknown(), text: z.string(), usage: UsageSchema });
export type GenerateJsonResult = z.infer<typeof GenerateJsonResultSchema>;

export const TokenizeParamsSchema = z.object({ modelId: z.string().min(1), text: z.string().max(10_000_000) });
export const TokenizeResultSchema = z.object({ tokens: z.array(z.number().int()) });
export const CountTokensParamsSchema = z.object({
  modelId: z.string().min(1),
  /** Either raw text or chat messages (rendered with the model's prompt format). */
  text: z.string().max(10_000_000).optional(),
  messages: z.array(ChatMessageSchema).optional(),
});
export const CountTokensResultSchema = z.object({ count: z.number().int().nonnegative(), contextSize: z.number().int().optional() });

export const InspectParamsSchema = z.object({
  path: z.string().min(1),
  gpuLayers: GpuLayersSchema.default('auto'),
  contextSize: ContextSizeSchema.default('auto'),
});
export type InspectParams = z.input<typeof InspectParamsSchema>;

export const UnloadParamsSchema = z.object({ modelId: z.string().min(1) });
export const ResetThreadParamsSchema = z.object({ modelId: z.string().min(1), threadId: z.string().min(1) });

export const GpuBackendSchema = z.enum(['cuda', 'vulkan', 'metal', 'cpu']);
export const EngineInfoSchema = z.object({
  backend: GpuBackendSchema,
  gpuDevices: z.array(z.string()),
  vram: z.object({ total: z.number(), used: z.number(), free: z.number() }),
  ram: z.object({ total: z.number(), free: z.number() }),
  cpuCores: z.number().int(),
  /** Thread count chosen by measurement (see threads probe), null before the first load. */
  threads: z.number().int().nullable(),
  threadProbe: z
    .object({
      results: z.array(z.object({ threads: z.number().int(), promptTps: z.number(), genTps: z.number() })),
      chosen: z.number().int(),
      cached: z.boolean(),
    })
    .nullable(),
  llamaCppRelease: z.string(),
  nodeLlamaCppVersion: z.string(),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const LoadedModelSchema = z.object({
  modelId: z.string(),
  path: z.string(),
  contextSize: z.number().int(),
  gpuLayers: z.number().int(),
  totalLayers: z.number().int(),
  sequences: z.number().int(),
  threads: z.number().int(),
  speculative: z.boolean(),
  /** 'template' = the model's own chat template; 'base-transcript' = plain-text transcript for base models. */
  promptFormat: z.enum(['template', 'base-transcript']),
  chatWrapper: z.string(),
  sizeBytes: z.number().int(),
  loadMs: z.number(),
});
export type LoadedModel = z.infer<typeof LoadedModelSchema>;
export const ListLoadedResultSchema = z.object({ models: z.array(LoadedModelSchema) });
