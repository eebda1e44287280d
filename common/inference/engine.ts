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
  /** A smaller model with the same tokenizer that drafts tokens for this one (speculative decoding). */
  draftPath: z.string().min(1).optional(),
  /** How the draft model is reported in LoadedModel.draftModelId (defaults to its path). */
  draftModelId: z.string().min(1).max(512).optional(),
  /** KV sequences for raw completions / FIM (one per client or file, least recently used evicted). */
  completionSequences: z.number().int().min(0).max(16).default(2),
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

/** JSON schema as given by a client (OpenAI tools / response_format); the engine turns it into a grammar. */
export const JsonSchemaSchema = z.record(z.string(), z.unknown());
export type JsonSchema = z.infer<typeof JsonSchemaSchema>;

/** A function call the model made; `arguments` is JSON text, as in the OpenAI API. */
export const ToolCallSchema = z.object({
  id: z.string().min(1).max(256),
  name: z.string().min(1).max(256),
  arguments: z.string().max(1_000_000),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/**
 * A message of a generate request: plain chat messages plus assistant messages that called tools and the
 * tools' results (role 'tool', answering one call by its id). Every ChatMessage is an EngineMessage.
 */
export const EngineMessageSchema = z.union([
  z.object({ role: z.literal('system'), content: z.string().max(2_000_000) }),
  z.object({ role: z.literal('user'), content: z.string().max(2_000_000) }),
  z.object({
    role: z.literal('assistant'),
    content: z.string().max(2_000_000),
    toolCalls: z.array(ToolCallSchema).max(64).optional(),
  }),
  z.object({ role: z.literal('tool'), toolCallId: z.string().min(1).max(256), content: z.string().max(2_000_000) }),
]);
export type EngineMessage = z.infer<typeof EngineMessageSchema>;

export const ToolDefinitionSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'tool names are letters, digits, _ . - (OpenAI rules)'),
  description: z.string().max(10_000).optional(),
  parameters: JsonSchemaSchema.optional(),
});
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;

export const ToolChoiceSchema = z.union([z.enum(['auto', 'none', 'required']), z.object({ name: z.string().min(1).max(64) })]);
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;

/** Output constraint, enforced by a grammar (not by asking nicely in the prompt). */
export const ResponseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({ type: z.literal('json_schema'), schema: JsonSchemaSchema }),
]);
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;

/** What to do when prompt + maxTokens does not fit the context window. Never silent. */
export const OverflowPolicySchema = z.enum(['error', 'truncate-oldest']);

export const GenerateParamsSchema = z.object({
  modelId: z.string().min(1),
  /** The chat thread: its KV cache is kept between turns so only new tokens are evaluated. */
  threadId: z.string().min(1).max(256),
  /** The whole conversation; the last message is from the user or a tool result. */
  messages: z.array(EngineMessageSchema).min(1).max(10_000),
  sampling: SamplingSettingsSchema.default({ temperature: 0.7, maxTokens: 512 }),
  overflow: OverflowPolicySchema.default('error'),
  /** Functions the model may call; a call ends the turn with stopReason 'tool-calls' (the caller runs it). */
  tools: z.array(ToolDefinitionSchema).max(128).optional(),
  toolChoice: ToolChoiceSchema.optional(),
  responseFormat: ResponseFormatSchema.optional(),
});
export type GenerateParams = z.input<typeof GenerateParamsSchema>;

/** Raw text completion on a named KV sequence: the prompt is tokenized as-is, no chat template. */
export const CompleteParamsSchema = z.object({
  modelId: z.string().min(1),
  /** Names a KV sequence kept warm between calls (one per client/file); a shared prefix is not re-evaluated. */
  sequenceKey: z.string().min(1).max(256),
  prompt: z.string().max(10_000_000),
  sampling: SamplingSettingsSchema.default({ temperature: 0.7, maxTokens: 256 }),
});
export type CompleteParams = z.input<typeof CompleteParamsSchema>;

export const FIM_DEFAULT_MAX_PREFIX_TOKENS = 1024;
export const FIM_DEFAULT_MAX_SUFFIX_TOKENS = 256;

/** Fill-in-the-middle with the model's own FIM tokens; the prefix keeps its end, the suffix its start. */
export const InfillParamsSchema = z.object({
  modelId: z.string().min(1),
  sequenceKey: z.string().min(1).max(256),
  prefix: z.string().max(10_000_000),
  suffix: z.string().max(10_000_000),
  /** Path of the file being edited (rendered after <|file_sep|> in repo-level prompts). */
  path: z.string().max(4096).optional(),
  /** Repo-level context files, rendered with <|file_sep|> before the current file when the model has it. */
  extra: z
    .array(z.object({ path: z.string().max(4096), text: z.string().max(10_000_000) }))
    .max(64)
    .optional(),
  repoName: z.string().max(512).optional(),
  window: z
    .object({
      maxPrefixTokens: z.number().int().min(0).max(1_000_000).optional(),
      maxSuffixTokens: z.number().int().min(0).max(1_000_000).optional(),
      /** Token budget for `extra` files (whole files are dropped, last first, until it fits). */
      maxExtraTokens: z.number().int().min(0).max(1_000_000).optional(),
      /** 'psm' = prefix, suffix, middle (the order Qwen was trained on, default); 'spm' puts the suffix first. */
      order: z.enum(['psm', 'spm']).optional(),
    })
    .optional(),
  sampling: SamplingSettingsSchema.default({ temperature: 0, maxTokens: 128 }),
});
export type InfillParams = z.input<typeof InfillParamsSchema>;

export const FimSupportParamsSchema = z.object({ modelId: z.string().min(1) });
/** `tokens` maps a role (prefix, suffix, middle, pad, repoName, fileSep, eot) to the token's text. */
export const FimSupportSchema = z.object({ supported: z.boolean(), tokens: z.record(z.string(), z.string()) });
export type FimSupport = z.infer<typeof FimSupportSchema>;

export const GenerateEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('token'), text: z.string() }),
  /** Sent before any token when the caller opted into truncation and messages were dropped. */
  z.object({ type: z.literal('truncated'), droppedMessages: z.array(z.number().int()), droppedTokens: z.number().int() }),
]);
export type GenerateEvent = z.infer<typeof GenerateEventSchema>;

export const StopReasonSchema = z.enum(['eos', 'stop-sequence', 'max-tokens', 'cancelled', 'tool-calls']);
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
  /** Set (and stopReason 'tool-calls') when the model called functions instead of, or after, answering. */
  toolCalls: z.array(ToolCallSchema).optional(),
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
  messages: z.array(EngineMessageSchema).optional(),
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
  /** The vocabulary has fill-in-the-middle tokens (prefix/suffix/middle), so infill works. */
  fim: z.boolean(),
  /** Id of the draft model used for speculative decoding, when one is attached. */
  draftModelId: z.string().optional(),
});
export type LoadedModel = z.infer<typeof LoadedModelSchema>;
export const ListLoadedResultSchema = z.object({ models: z.array(LoadedModelSchema) });
