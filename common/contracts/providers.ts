// Contract for the `providers` domain: provider configs (keys write-only, kept in the keychain), routing, redaction preview, routed sends, usage, budgets, cache and the local OpenAI-compatible server.
import { z } from 'zod';
import { UsageSummaryRowSchema } from '../store/requests';
import { ErrorInfoSchema } from '../errors';
import { ProviderConfigSchema } from '../providers/config';
import {
  CAPABILITIES,
  CapabilitySchema,
  ChatMessageSchema,
  ConnectionTestSchema,
  FinishReasonSchema,
  GenerationParamsSchema,
  ModelInfoSchema,
  ProviderFeatureSchema,
  RoutingDecisionSchema,
  TokenUsageSchema,
  UsageRecordSchema,
} from '../providers/types';
import { EmptyInput } from './app';
import { call, defineDomain, stream } from './define';

const ProviderId = z.string().min(1).max(64);

export const ProviderEntrySchema = z.object({
  config: ProviderConfigSchema,
  /** Whether an API key is stored in the keychain (never the key). */
  hasKey: z.boolean(),
  leavesMachine: z.boolean(),
  features: z.array(ProviderFeatureSchema),
  /** Built in (the local engine): cannot be removed. */
  builtIn: z.boolean(),
});
export type ProviderEntry = z.infer<typeof ProviderEntrySchema>;

export const ProviderUpsertInput = z
  .object({
    config: ProviderConfigSchema,
    /** Write-only: stored in the keychain under `provider:<id>`, never returned. Omit to keep the stored key. */
    apiKey: z.string().min(1).max(4096).optional(),
    /** Deletes the stored key. */
    clearKey: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.config.kind !== 'local', { message: 'the local provider is built in', path: ['config', 'kind'] });

export const RouteCandidateSchema = z.object({ providerId: ProviderId, model: z.string().min(1).max(200) });
export const CapabilityMapSchema = z.partialRecord(CapabilitySchema, z.array(RouteCandidateSchema).max(10));
export type CapabilityMapDto = z.infer<typeof CapabilityMapSchema>;

export const BudgetLimitsDtoSchema = z
  .object({
    dailyUsd: z.number().nonnegative().max(1_000_000).optional(),
    projectDailyUsd: z.number().nonnegative().max(1_000_000).optional(),
    perProjectDailyUsd: z.record(z.string().min(1).max(200), z.number().nonnegative().max(1_000_000)).default({}),
  })
  .strict();

export const BudgetStateSchema = z.object({
  limits: BudgetLimitsDtoSchema,
  spent: z.object({ day: z.string(), totalUsd: z.number().nonnegative() }),
});

const RoutedInputShape = {
  capability: CapabilitySchema,
  projectId: z.string().min(1).max(200).nullable().optional(),
  messages: z.array(ChatMessageSchema).min(1).max(200).optional(),
  prompt: z.string().max(1_000_000).optional(),
  params: GenerationParamsSchema.optional(),
};
const oneOf = (v: { messages?: unknown; prompt?: unknown }) => (v.messages === undefined) !== (v.prompt === undefined);

export const PreviewInput = z
  .object({ providerId: ProviderId, ...RoutedInputShape, capability: CapabilitySchema.default('generate') })
  .strict()
  .refine(oneOf, { message: 'give exactly one of messages or prompt' });

export const PreviewSchema = z.object({
  providerId: z.string(),
  leavesMachine: z.boolean(),
  /** Exactly what would be sent (redacted when the provider leaves the machine). */
  messages: z.array(ChatMessageSchema).optional(),
  prompt: z.string().optional(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  total: z.number().int().nonnegative(),
  items: z.array(z.object({ kind: z.string(), placeholder: z.string() })),
  estimatedPromptTokens: z.number().int().nonnegative(),
  /** Dry run of the router for this capability: who would answer and why. */
  plan: RoutingDecisionSchema,
});

export const SendInput = z.object(RoutedInputShape).strict().refine(oneOf, { message: 'give exactly one of messages or prompt' });

export const SendEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({ type: z.literal('attempt'), providerId: z.string(), model: z.string(), attempt: z.number().int() }),
  z.object({ type: z.literal('retry'), providerId: z.string(), delayMs: z.number(), reason: z.string() }),
  z.object({ type: z.literal('fallback'), from: z.string(), reason: z.string() }),
]);
export type SendEvent = z.infer<typeof SendEventSchema>;

export const SendResultSchema = z.object({
  text: z.string(),
  finishReason: FinishReasonSchema.nullable(),
  usage: TokenUsageSchema.nullable(),
  /** Why each candidate was chosen, skipped or failed; null only when routing could not start. */
  decision: RoutingDecisionSchema.nullable(),
  /** Set when no candidate answered (the decision says why). */
  error: ErrorInfoSchema.omit({ details: true }).nullable(),
});
export type SendResult = z.infer<typeof SendResultSchema>;

export const UsageInput = z
  .object({
    sinceMs: z.number().int().nonnegative().optional(),
    bucketMs: z
      .number()
      .int()
      .min(60_000)
      .max(7 * 86_400_000)
      .optional(),
  })
  .strict();

const TotalsSchema = z.object({
  calls: z.number().int(),
  errors: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  costUsd: z.number(),
  avgLatencyMs: z.number(),
  avgTtftMs: z.number().nullable(),
  cacheHits: z.number().int(),
});
export type UsageTotalsDto = z.infer<typeof TotalsSchema>;

export const UsageReportSchema = z.object({
  /** Persisted in the encrypted store (survives restarts): per provider and model. */
  stored: z.array(UsageSummaryRowSchema),
  /** This session's records (full detail: ttft, cache, outcome) aggregated. */
  byProvider: z.record(z.string(), TotalsSchema),
  byModel: z.record(z.string(), TotalsSchema),
  byProject: z.record(z.string(), TotalsSchema),
  series: z.array(z.object({ bucket: z.number(), group: z.string(), totals: TotalsSchema })),
  recent: z.array(UsageRecordSchema),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;

export const CacheStatsSchema = z.object({
  hits: z.number().int(),
  misses: z.number().int(),
  entries: z.number().int(),
  hitRate: z.number(),
  /** Where entries live: the encrypted store (keys are hashes; nothing readable touches the disk). */
  storage: z.literal('encrypted-store'),
});

/** Default port of the local server: clear of Ollama (11434), LM Studio (1234), llama.cpp/LocalAI (8080), vLLM (8000), Jan (1337). */
export const LOCAL_SERVER_DEFAULT_PORT = 8765;

export const LocalServerSettingsSchema = z
  .object({
    /** Fixed, so an editor's configuration keeps working across restarts. */
    port: z.number().int().min(1024).max(65_535),
    /** Start the server when the app starts (once the encrypted store is unlocked: the token lives in its keychain). */
    startWithApp: z.boolean(),
    /** Unload a model the server loaded itself after this many idle seconds (0 = keep it loaded). */
    idleUnloadSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400),
    /** Requests generating at once; the rest wait in a queue of 16. */
    concurrency: z.number().int().min(1).max(16),
    /** FIM prompt window (tokens): the prefix keeps its end, the suffix its start. */
    fimMaxPrefixTokens: z.number().int().min(64).max(32_768),
    fimMaxSuffixTokens: z.number().int().min(0).max(32_768),
  })
  .strict();
export type LocalServerSettings = z.infer<typeof LocalServerSettingsSchema>;

export const DEFAULT_LOCAL_SERVER_SETTINGS: LocalServerSettings = {
  port: LOCAL_SERVER_DEFAULT_PORT,
  startWithApp: false,
  idleUnloadSeconds: 900,
  concurrency: 1,
  fimMaxPrefixTokens: 1024,
  fimMaxSuffixTokens: 256,
};

export const ServerStatusSchema = z.object({
  running: z.boolean(),
  /** OpenAI base URL (…/v1); Ollama clients use the same host and port without /v1. */
  url: z.string().nullable(),
  port: z.number().int().nullable(),
  startedAt: z.number().int().nullable(),
  settings: LocalServerSettingsSchema,
  /** A token exists in the keychain (it is only ever returned by serverRevealToken / serverRegenerateToken). */
  hasToken: z.boolean(),
  /** Why the last start (e.g. with the app) failed, until the next successful start. */
  lastError: z.string().nullable(),
});
export type LocalServerStatus = z.infer<typeof ServerStatusSchema>;

export const ServerStartInput = z
  .object({
    /** One-off port for this start (0 = any free port); the saved setting is used when omitted. */
    port: z.union([z.literal(0), z.number().int().min(1024).max(65_535)]).optional(),
  })
  .strict();

export const ServerTokenSchema = z.object({ token: z.string().min(16) });

export const providersContract = defineDomain('providers', {
  /** Configured providers (the built-in local engine first); keys are never returned, only `hasKey`. */
  list: call({ input: EmptyInput, output: z.array(ProviderEntrySchema), doc: 'List providers.' }),
  /** Adds or replaces a provider; the API key goes to the keychain. */
  upsert: call({ input: ProviderUpsertInput, output: ProviderEntrySchema, doc: 'Add or edit a provider.' }),
  /** Calls the provider's model list and reports latency (the settings "Test connection" button). */
  test: call({ input: z.object({ id: ProviderId }).strict(), output: ConnectionTestSchema, doc: 'Test a connection.' }),
  /** The provider's models; errors (bad key, offline-only) come back as values. */
  models: call({
    input: z.object({ id: ProviderId }).strict(),
    output: z.object({ models: z.array(ModelInfoSchema), error: ErrorInfoSchema.omit({ details: true }).nullable() }),
    doc: 'List a provider’s models.',
  }),
  /** Capability → ordered candidates. */
  getRoutes: call({ input: EmptyInput, output: CapabilityMapSchema, doc: 'Read the capability map.' }),
  setRoutes: call({ input: CapabilityMapSchema, output: CapabilityMapSchema, doc: 'Replace the capability map.' }),
  getBudgets: call({ input: EmptyInput, output: BudgetStateSchema, doc: 'Read budgets and today’s spend.' }),
  setBudgets: call({ input: BudgetLimitsDtoSchema, output: BudgetStateSchema, doc: 'Set daily budgets.' }),
  /** Exactly what would leave the machine for this provider, with redaction counts and the routing plan. */
  preview: call({ input: PreviewInput, output: PreviewSchema, doc: 'Preview what will be sent.' }),
  /** A routed call: streamed text, then usage and the routing decision. */
  send: stream({ input: SendInput, event: SendEventSchema, output: SendResultSchema, doc: 'Send through the router.' }),
  /** Usage for the charts: stored totals plus this session's detail and time buckets. */
  usage: call({ input: UsageInput, output: UsageReportSchema, doc: 'Usage report.' }),
  cacheStats: call({ input: EmptyInput, output: CacheStatsSchema, doc: 'Response cache hit rate.' }),
  /** Opt-in local OpenAI-compatible server on 127.0.0.1 with the keychain's bearer token (created on first start). */
  serverStart: call({ input: ServerStartInput, output: ServerStatusSchema, doc: 'Start the local OpenAI-compatible server.' }),
  serverStop: call({ input: EmptyInput, output: ServerStatusSchema, doc: 'Stop the local server.' }),
  serverStatus: call({ input: EmptyInput, output: ServerStatusSchema, doc: 'Local server status.' }),
  /** Saves port / start with app / idle unload / FIM window; a running server restarts when its port changes. */
  serverSetSettings: call({
    input: LocalServerSettingsSchema.partial().strict(),
    output: ServerStatusSchema,
    doc: 'Change local server settings.',
  }),
  /** The bearer token, on request (audited as a keychain read). */
  serverRevealToken: call({ input: EmptyInput, output: ServerTokenSchema, doc: 'Show the local server token.' }),
  /** A new token; the old one stops working at once (a running server restarts with the new one). */
  serverRegenerateToken: call({ input: EmptyInput, output: ServerTokenSchema, doc: 'Regenerate the local server token.' }),
  /** Removes a provider, its routes and its stored key. */
  remove: call({ input: z.object({ id: ProviderId }).strict(), output: z.object({ removed: z.boolean() }), doc: 'Remove a provider.' }),
});

export const ALL_CAPABILITIES = CAPABILITIES;
