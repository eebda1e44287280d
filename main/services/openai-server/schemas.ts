// zod schemas for the request bodies the local server accepts (OpenAI chat/completions/embeddings, llama.cpp
// /infill, Ollama /api/*), and OpenAI-style error JSON. Unknown fields are checked separately (params.ts).
import { z } from 'zod';
import type { ErrorCode } from '../../../common/errors';

const TextPart = z.object({ type: z.literal('text'), text: z.string() });
/** Content as a string or as parts; only text parts make sense for a text model (an image part is a 400). */
const Content = z.union([z.string(), z.array(TextPart).transform((parts) => parts.map((p) => p.text).join(''))]);

const Num = (min: number, max: number) => z.number().min(min).max(max).nullish();
const StopSchema = z
  .union([z.string(), z.array(z.string().max(1000)).max(32)])
  .nullish()
  .transform((s) => (s == null ? undefined : Array.isArray(s) ? s : [s]));

/** Sampling fields shared by the OpenAI bodies (OpenAI ranges; llama.cpp extensions top_k/min_p/repeat_penalty/seed). */
export const SamplingFields = {
  max_tokens: z.number().int().positive().max(1_000_000).nullish(),
  max_completion_tokens: z.number().int().positive().max(1_000_000).nullish(),
  temperature: Num(0, 2),
  top_p: Num(0, 1),
  top_k: z.number().int().min(0).max(1000).nullish(),
  min_p: Num(0, 1),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .nullish(),
  presence_penalty: Num(-2, 2),
  frequency_penalty: Num(-2, 2),
  repeat_penalty: Num(0.5, 3),
  stop: StopSchema,
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().max(256).optional(),
};

const ToolCallIn = z.object({
  id: z.string().min(1).max(256),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().min(1).max(64), arguments: z.string().max(1_000_000) }),
});

export const ChatMessageIn = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content: Content }),
  z.object({ role: z.literal('user'), content: Content }),
  z.object({
    role: z.literal('assistant'),
    content: Content.nullish(),
    tool_calls: z.array(ToolCallIn).max(64).nullish(),
  }),
  z.object({ role: z.literal('tool'), content: Content, tool_call_id: z.string().min(1).max(256) }),
]);
export type ChatMessageIn = z.infer<typeof ChatMessageIn>;

const JsonSchemaObject = z.record(z.string(), z.unknown());

export const ToolIn = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1).max(64),
    description: z.string().max(10_000).optional(),
    parameters: JsonSchemaObject.optional(),
    strict: z.boolean().nullish(),
  }),
});

export const ToolChoiceIn = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1).max(64) }) }),
]);

/** An unknown `type` is a 400 naming response_format.type: answering in plain text instead would change the result. */
export const ResponseFormatIn = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().max(64).optional(),
      description: z.string().optional(),
      schema: JsonSchemaObject.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const ChatBodySchema = z.object({
  model: z.string().min(1).max(512),
  messages: z.array(ChatMessageIn).min(1).max(10_000),
  tools: z.array(ToolIn).max(128).nullish(),
  tool_choice: ToolChoiceIn.nullish(),
  response_format: ResponseFormatIn.nullish(),
  ...SamplingFields,
});
export type ChatBody = z.infer<typeof ChatBodySchema>;

export const CompletionBodySchema = z.object({
  model: z.string().min(1).max(512),
  // Token-id prompts and batches would need a different response shape: one string (or a 1-element list) only.
  prompt: z.union([
    z.string(),
    z
      .array(z.string())
      .length(1, 'one prompt per request (batches are not supported)')
      .transform((a) => a[0] ?? ''),
  ]),
  suffix: z.string().nullish(),
  ...SamplingFields,
});
export type CompletionBody = z.infer<typeof CompletionBodySchema>;

/** llama.cpp server /infill (llama.vim, llama.vscode, Tabby-style clients). */
export const InfillBodySchema = z.object({
  model: z.string().min(1).max(512).optional(),
  input_prefix: z.string().default(''),
  input_suffix: z.string().default(''),
  input_extra: z
    .array(z.object({ filename: z.string().max(4096).default(''), text: z.string() }))
    .max(64)
    .optional(),
  /** Text typed on the current line after input_prefix (llama.cpp appends it after the FIM middle token). */
  prompt: z.string().default(''),
  n_predict: z.number().int().min(-1).max(1_000_000).optional(),
  ...SamplingFields,
});
export type InfillBody = z.infer<typeof InfillBodySchema>;

export const EmbeddingBodySchema = z.object({
  model: z.string().min(1).max(512),
  input: z.union([z.string().transform((s) => [s]), z.array(z.string()).min(1).max(2048)]),
  // The official SDKs ask for base64 (float32 little-endian) by default and decode it themselves.
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().max(256).optional(),
});

// ---- Ollama ----
export const OllamaOptionsSchema = z
  .object({
    num_predict: z.number().int().min(-2).max(1_000_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).max(1000).optional(),
    min_p: z.number().min(0).max(1).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    stop: z.array(z.string()).max(32).optional(),
    repeat_penalty: z.number().min(0.5).max(3).optional(),
    presence_penalty: z.number().min(-2).max(2).optional(),
    frequency_penalty: z.number().min(-2).max(2).optional(),
  })
  .passthrough()
  .optional();

const OllamaFormat = z.union([z.literal('json'), z.literal(''), JsonSchemaObject]).nullish();

const OllamaToolCall = z.object({
  function: z.object({ name: z.string().min(1).max(64), arguments: z.union([z.record(z.string(), z.unknown()), z.string()]) }),
});

export const OllamaChatBodySchema = z.object({
  model: z.string().min(1).max(512),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'user', 'assistant', 'tool']),
        content: z.string().default(''),
        tool_calls: z.array(OllamaToolCall).max(64).optional(),
        tool_name: z.string().optional(),
      }),
    )
    .max(10_000)
    .default([]),
  tools: z.array(ToolIn).max(128).optional(),
  format: OllamaFormat,
  options: OllamaOptionsSchema,
  stream: z.boolean().default(true),
  keep_alive: z.union([z.string(), z.number()]).optional(),
});
export type OllamaChatBody = z.infer<typeof OllamaChatBodySchema>;

export const OllamaGenerateBodySchema = z.object({
  model: z.string().min(1).max(512),
  prompt: z.string().default(''),
  suffix: z.string().optional(),
  system: z.string().optional(),
  raw: z.boolean().default(false),
  format: OllamaFormat,
  options: OllamaOptionsSchema,
  stream: z.boolean().default(true),
  keep_alive: z.union([z.string(), z.number()]).optional(),
});
export type OllamaGenerateBody = z.infer<typeof OllamaGenerateBodySchema>;

export const OllamaShowBodySchema = z.union([
  z.object({ model: z.string().min(1).max(512) }).passthrough(),
  z.object({ name: z.string().min(1).max(512) }).transform((b) => ({ model: b.name })),
]);

// ---- errors ----
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(message: string, type: string, code: string | null = null, param: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

/** EvolveError code → HTTP status and OpenAI error type. */
export function httpForCode(code: ErrorCode): { status: number; type: string; code: string | null } {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return { status: 400, type: 'invalid_request_error', code: null };
    case 'UNAUTHENTICATED':
      return { status: 401, type: 'invalid_request_error', code: 'invalid_api_key' };
    case 'FORBIDDEN':
      return { status: 403, type: 'invalid_request_error', code: null };
    case 'NOT_FOUND':
      return { status: 404, type: 'invalid_request_error', code: 'model_not_found' };
    case 'CONFLICT':
      return { status: 409, type: 'invalid_request_error', code: null };
    case 'RESOURCE_EXHAUSTED':
      return { status: 429, type: 'requests', code: 'rate_limit_exceeded' };
    case 'TIMEOUT':
      return { status: 504, type: 'server_error', code: 'timeout' };
    case 'UNAVAILABLE':
      return { status: 503, type: 'server_error', code: null };
    case 'CANCELLED':
      return { status: 499, type: 'server_error', code: 'cancelled' };
    default:
      return { status: 500, type: 'server_error', code: null };
  }
}
