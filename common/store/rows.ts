// Row types of the encrypted store (zod schemas + types): projects, threads, messages, generations, registry, usage, jobs.
import { z } from 'zod';

/** JSON value (what JSON columns hold). */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export const JsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number().finite(), z.boolean(), z.null(), z.array(JsonSchema), z.record(z.string(), JsonSchema)]),
);

const Id = z.string().min(1).max(200);
const Name = z.string().min(1).max(500);
/** Milliseconds since the epoch. */
const Ts = z.number().int().nonnegative();

export const ProjectSchema = z.object({ id: Id, name: Name, rootPath: z.string().max(4096).nullable(), createdAt: Ts, updatedAt: Ts });
export type Project = z.infer<typeof ProjectSchema>;

export const ThreadSchema = z.object({ id: Id, projectId: Id.nullable(), title: z.string().max(1000), createdAt: Ts });
export type Thread = z.infer<typeof ThreadSchema>;

export const MessageRoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);
export const MessageSchema = z.object({
  id: Id,
  threadId: Id,
  role: MessageRoleSchema,
  content: z.string().max(10_000_000),
  model: z.string().max(500).nullable(),
  /** How an assistant message was produced (tokens, speeds, stop reason); null for others. */
  stats: JsonSchema.nullable(),
  createdAt: Ts,
});
export type Message = z.infer<typeof MessageSchema>;

export const DecisionSchema = z.enum(['pending', 'accepted', 'rejected', 'edited']);
export const GenerationSchema = z.object({
  id: Id,
  projectId: Id.nullable(),
  threadId: Id.nullable(),
  prompt: z.string().max(10_000_000),
  /** Files, symbols or URLs that went into the context. */
  contextRefs: z.array(z.string().max(4096)).max(10_000),
  provider: z.string().max(200),
  model: z.string().max(500),
  output: z.string().max(10_000_000),
  /** Compile/test/lint/security results as the validator reported them. */
  validation: JsonSchema,
  decision: DecisionSchema,
  decidedAt: Ts.nullable(),
  createdAt: Ts,
});
export type Generation = z.infer<typeof GenerationSchema>;

export const ModelEntrySchema = z.object({
  id: Id,
  name: Name,
  path: z.string().max(4096).nullable(),
  format: z.string().max(50),
  sizeBytes: z.number().int().nonnegative().nullable(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  params: JsonSchema,
  addedAt: Ts,
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

/** Option names that look like secrets: a provider config row must never hold one (secrets live in the keychain). */
const SECRET_KEY = /(api[-_]?key|secret|token|password|passwd|authorization|bearer|credential)/i;
function hasSecretKey(v: Json): boolean {
  if (Array.isArray(v)) return v.some(hasSecretKey);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => SECRET_KEY.test(k) || hasSecretKey(x));
  return false;
}

export const ProviderConfigSchema = z.object({
  id: Id,
  kind: z.string().min(1).max(100),
  name: Name,
  baseUrl: z.string().max(2048).nullable(),
  defaultModel: z.string().max(500).nullable(),
  /** Non-secret options; the keychain account that holds the API key is referenced by name only. */
  options: JsonSchema.refine((o) => !hasSecretKey(o), 'provider options must not contain secrets (store them in the keychain)'),
  enabled: z.boolean(),
  updatedAt: Ts,
});
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;

export const ClusterProfileSchema = z.object({
  id: Id,
  name: Name,
  dashboardUrl: z.string().max(2048),
  prometheusUrl: z.string().max(2048).nullable(),
  options: JsonSchema.refine((o) => !hasSecretKey(o), 'cluster options must not contain secrets (store them in the keychain)'),
  updatedAt: Ts,
});
export type ClusterProfile = z.infer<typeof ClusterProfileSchema>;

export const JobSchema = z.object({
  id: Id,
  clusterProfileId: Id.nullable(),
  entrypoint: z.string().max(10_000),
  status: z.string().max(50),
  submittedAt: Ts,
  endedAt: Ts.nullable(),
  metadata: JsonSchema,
});
export type Job = z.infer<typeof JobSchema>;

export const JobLogChunkSchema = z.object({ jobId: Id, seq: z.number().int().nonnegative(), text: z.string(), at: Ts });
export type JobLogChunk = z.infer<typeof JobLogChunkSchema>;

export const UsageSchema = z.object({
  id: Id,
  projectId: Id.nullable(),
  provider: z.string().max(200),
  model: z.string().max(500),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative().finite(),
  latencyMs: z.number().nonnegative().finite(),
  at: Ts,
});
export type Usage = z.infer<typeof UsageSchema>;

export const SettingSchema = z.object({ key: z.string().min(1).max(200), value: JsonSchema, updatedAt: Ts });
export type Setting = z.infer<typeof SettingSchema>;

export const SearchHitSchema = z.object({
  kind: z.enum(['message', 'generation']),
  id: Id,
  /** Thread for messages, project for generations. */
  parentId: Id.nullable(),
  snippet: z.string(),
  rank: z.number(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;
