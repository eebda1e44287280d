// Pure provider domain types + zod schemas: capabilities, messages, requests, stream events, usage records, routing decisions.
import { z } from 'zod';

/** What the assistant asks a model to do; the router maps each to an ordered list of candidates. */
export const CAPABILITIES = ['generate', 'complete', 'review', 'find-bugs', 'refactor', 'document'] as const;
export const CapabilitySchema = z.enum(CAPABILITIES);
export type Capability = z.infer<typeof CapabilitySchema>;

/** Which API operations a provider offers (not the same as task capabilities above). */
export const PROVIDER_FEATURES = ['chat', 'complete', 'embed', 'stream'] as const;
export const ProviderFeatureSchema = z.enum(PROVIDER_FEATURES);
export type ProviderFeature = z.infer<typeof ProviderFeatureSchema>;

export const PROVIDER_KINDS = ['local', 'openai', 'anthropic', 'huggingface', 'openai-compatible'] as const;
export const ProviderKindSchema = z.enum(PROVIDER_KINDS);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;

export const ChatRoleSchema = z.enum(['system', 'user', 'assistant']);
export type ChatRole = z.infer<typeof ChatRoleSchema>;

export const ChatMessageSchema = z.object({
  role: ChatRoleSchema,
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** Sampling parameters shared by chat and completion. */
export const GenerationParamsSchema = z.object({
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  stop: z.array(z.string()).max(8).optional(),
});
export type GenerationParams = z.infer<typeof GenerationParamsSchema>;

export const ChatRequestSchema = GenerationParamsSchema.extend({
  model: z.string().min(1),
  messages: z.array(ChatMessageSchema).min(1),
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

export const CompleteRequestSchema = GenerationParamsSchema.extend({
  model: z.string().min(1),
  prompt: z.string(),
});
export type CompleteRequest = z.infer<typeof CompleteRequestSchema>;

export const EmbedRequestSchema = z.object({
  model: z.string().min(1),
  input: z.array(z.string()).min(1),
});
export type EmbedRequest = z.infer<typeof EmbedRequestSchema>;

export const TokenUsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** true when the vendor did not report usage and we estimated it. */
  estimated: z.boolean(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export const FinishReasonSchema = z.enum(['stop', 'length', 'cancelled', 'error', 'other']);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

/** One event of a streamed generation; exactly one `done` ends a successful stream. */
export type ChatEvent = { type: 'delta'; text: string } | { type: 'done'; finishReason: FinishReason; usage: TokenUsage; model: string };

export const ModelInfoSchema = z.object({
  id: z.string(),
  contextLength: z.number().int().positive().optional(),
  ownedBy: z.string().optional(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const ConnectionTestSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nonnegative(),
  models: z.number().int().nonnegative().optional(),
  message: z.string(),
});
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>;

/** One record per call; the store persists them and the UI charts them. Counts only, never content. */
export const UsageRecordSchema = z.object({
  id: z.string(),
  at: z.number().int(),
  providerId: z.string(),
  providerKind: ProviderKindSchema,
  model: z.string(),
  projectId: z.string().nullable(),
  capability: CapabilitySchema.nullable(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  tokensEstimated: z.boolean(),
  costUsd: z.number().nonnegative(),
  latencyMs: z.number().nonnegative(),
  ttftMs: z.number().nonnegative().nullable(),
  cached: z.boolean(),
  outcome: z.enum(['ok', 'error', 'cancelled']),
  errorCode: z.string().optional(),
  /** How many secrets/PII items of each kind were redacted before the send (audit: counts, not content). */
  redactions: z.record(z.string(), z.number().int().nonnegative()),
});
export type UsageRecord = z.infer<typeof UsageRecordSchema>;

export const CandidateVerdictSchema = z.object({
  providerId: z.string(),
  model: z.string(),
  status: z.enum(['chosen', 'skipped', 'failed', 'not-tried']),
  /** Machine-readable reason (for filters) and a sentence for the UI. */
  reason: z.enum([
    'ok',
    'offline-only',
    'circuit-open',
    'budget-day',
    'budget-project',
    'disabled',
    'missing-feature',
    'error',
    'timeout',
    'rate-limited',
    'cache-hit',
    'earlier-succeeded',
  ]),
  explanation: z.string(),
  estimatedCostUsd: z.number().nonnegative().optional(),
  attempts: z.number().int().nonnegative().optional(),
  errorCode: z.string().optional(),
});
export type CandidateVerdict = z.infer<typeof CandidateVerdictSchema>;

/** Why the router did what it did; returned with every routed call for the UI. */
export const RoutingDecisionSchema = z.object({
  requestId: z.string(),
  capability: CapabilitySchema,
  projectId: z.string().nullable(),
  offlineOnly: z.boolean(),
  chosen: z.object({ providerId: z.string(), model: z.string() }).nullable(),
  candidates: z.array(CandidateVerdictSchema),
  summary: z.string(),
});
export type RoutingDecision = z.infer<typeof RoutingDecisionSchema>;
