// zod schemas for the OpenAI-compatible request bodies we accept, and OpenAI-style error JSON.
import { z } from 'zod';
import type { ErrorCode } from '../../../common/errors';

const ContentSchema = z.union([
  z.string(),
  // Newer clients send content parts; only text parts make sense for a text model.
  z.array(z.object({ type: z.literal('text'), text: z.string() })).transform((parts) => parts.map((p) => p.text).join('')),
]);

const StopSchema = z
  .union([z.string(), z.array(z.string()).max(4)])
  .optional()
  .transform((s) => (s === undefined ? undefined : Array.isArray(s) ? s : [s]));

const Sampling = {
  max_tokens: z.number().int().positive().max(1_000_000).nullish(),
  max_completion_tokens: z.number().int().positive().max(1_000_000).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: StopSchema,
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().optional(),
};

export const ChatBodySchema = z.object({
  model: z.string().min(1),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'developer', 'user', 'assistant']).transform((r) => (r === 'developer' ? 'system' : r)),
        content: ContentSchema,
      }),
    )
    .min(1),
  ...Sampling,
});

export const CompletionBodySchema = z.object({
  model: z.string().min(1),
  prompt: z.union([
    z.string(),
    z
      .array(z.string())
      .length(1)
      .transform((a) => a[0] ?? ''),
  ]),
  ...Sampling,
});

export const EmbeddingBodySchema = z.object({
  model: z.string().min(1),
  input: z.union([z.string().transform((s) => [s]), z.array(z.string()).min(1).max(2048)]),
  // The official SDKs ask for base64 (float32 little-endian) by default and decode it themselves.
  encoding_format: z.enum(['float', 'base64']).optional(),
});

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
