// The DB worker's typed request union: every method with its params and result schema (worker parses, client types).
import { z } from 'zod';
import { ApiTokenRequests } from './api-token-requests';
import { AuditEventSchema, AuditRowSchema, AuditVerifySchema } from './audit';
import { ClusterRoleRequests } from './cluster-role-requests';
import { CodegenRequests } from './codegen-requests';
import { DiagnosisRequests } from './diagnosis-requests';
import { ExperienceRequests } from './experience-requests';
import { IndexRequests } from './index-requests';
import { JobLogRequests } from './job-log-requests';
import {
  ClusterProfileSchema,
  DecisionSchema,
  GenerationSchema,
  JobLogChunkSchema,
  JobSchema,
  JsonSchema,
  MessageSchema,
  ModelEntrySchema,
  ProjectSchema,
  ProviderConfigSchema,
  SearchHitSchema,
  SettingSchema,
  ThreadSchema,
  UsageSchema,
} from './rows';

/** A 256-bit raw key as 64 lowercase hex characters. Never echoed back, never logged. */
export const RawKeySchema = z.string().regex(/^[0-9a-f]{64}$/, 'key must be 64 lowercase hex characters');
const Path = z.string().min(1).max(4096);
const Id = z.string().min(1).max(200);
const Limit = z.number().int().positive().max(10_000).default(100);
const Empty = z.object({}).strict();
const Done = z.object({ done: z.literal(true) });

const withOptionalId = <T extends z.ZodRawShape>(shape: T) => z.object(shape).extend({ id: Id.optional() });

export const SlowQuerySchema = z.object({ sql: z.string(), ms: z.number(), at: z.number() });

export const BackupProgressSchema = z.object({ totalPages: z.number().int(), remainingPages: z.number().int() });

/** Each request: method name → { params, result }. Params are zod-parsed inside the worker. */
/** One row of `usage.summary`: totals per provider and model (also what the Usage charts read). */
export const UsageSummaryRowSchema = z.object({
  provider: z.string(),
  model: z.string(),
  calls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  avgLatencyMs: z.number(),
});

export const StoreRequests = {
  open: {
    params: z.object({
      path: Path,
      key: RawKeySchema,
      /** FULL: an acknowledged write survives power loss, not just a process kill (NORMAL is enough for kill -9). */
      synchronous: z.enum(['NORMAL', 'FULL']).default('FULL'),
      slowQueryMs: z.number().nonnegative().default(50),
      /** 'full' checks every page's HMAC before SQLite reads the file (wrong key vs corrupt, file untouched). */
      verify: z.enum(['full', 'none']).default('full'),
    }),
    result: z.object({
      created: z.boolean(),
      schemaVersion: z.number().int(),
      migrationsApplied: z.array(z.number().int()),
      pages: z.number().int(),
    }),
  },
  close: { params: Empty, result: Done },
  /** Checks a key against a database file without opening it in SQLite (no write): used before deleting an old key copy. */
  probeKey: {
    params: z.object({ path: Path, key: RawKeySchema }),
    result: z.object({ verdict: z.enum(['ok', 'empty', 'missing', 'wrong-key', 'corrupt']) }),
  },
  status: {
    params: Empty,
    result: z.object({
      open: z.boolean(),
      schemaVersion: z.number().int().nullable(),
      slowQueries: z.array(SlowQuerySchema),
      sqliteVersion: z.string(),
    }),
  },
  integrityCheck: {
    params: Empty,
    result: z.object({ ok: z.boolean(), sqlite: z.array(z.string()), cipherBadPages: z.array(z.number().int()) }),
  },
  /** Rekeys by copying to a new file under the new key, verifying it, then an atomic rename (crash-safe). */
  rekey: { params: z.object({ newKey: RawKeySchema }), result: Done },
  /** Online backup (SQLite backup API) to `path`, encrypted with `key` (default: the current key). Emits BackupProgress. */
  backup: {
    params: z.object({
      path: Path,
      key: RawKeySchema.optional(),
      overwrite: z.boolean().default(false),
      /** Pages copied per step; smaller steps let other requests (and a cancel) in sooner. */
      pagesPerStep: z.number().int().positive().max(1_000_000).default(256),
    }),
    result: z.object({ path: Path, pages: z.number().int(), bytes: z.number().int() }),
  },
  /**
   * Checks a candidate (cipher HMACs + integrity_check + audit chain), keeps the current file aside, swaps, reopens.
   * Works on a database that would not open (the CORRUPT case): then `target` names it and its key and settings.
   */
  restore: {
    params: z.object({
      path: Path,
      key: RawKeySchema.optional(),
      target: z
        .object({
          path: Path,
          key: RawKeySchema,
          synchronous: z.enum(['NORMAL', 'FULL']).default('FULL'),
          slowQueryMs: z.number().nonnegative().default(50),
        })
        .optional(),
    }),
    result: z.object({ keptAsidePath: z.string().nullable(), schemaVersion: z.number().int() }),
  },
  /** Checks a candidate without touching the open database. */
  checkCandidate: {
    params: z.object({ path: Path, key: RawKeySchema.optional() }),
    result: z.object({ ok: z.boolean(), problems: z.array(z.string()) }),
  },

  'project.create': {
    params: withOptionalId({ name: ProjectSchema.shape.name, rootPath: ProjectSchema.shape.rootPath.default(null) }),
    result: ProjectSchema,
  },
  'project.list': { params: z.object({ limit: Limit }), result: z.array(ProjectSchema) },
  'thread.create': {
    params: withOptionalId({ projectId: Id.nullable().default(null), title: z.string().max(1000).default('') }),
    result: ThreadSchema,
  },
  'thread.list': { params: z.object({ projectId: Id.nullable().optional(), limit: Limit }), result: z.array(ThreadSchema) },
  /** One thread, or null when there is none with that id (chat turns read its project for budgets and usage). */
  'thread.get': { params: z.object({ id: Id }), result: ThreadSchema.nullable() },
  'message.append': {
    params: withOptionalId({
      threadId: Id,
      role: MessageSchema.shape.role,
      content: MessageSchema.shape.content,
      model: z.string().max(500).nullable().default(null),
      stats: MessageSchema.shape.stats.default(null),
    }),
    result: MessageSchema,
  },
  /** Deletes message `messageId` and every later message of its thread (regenerate, edit-and-resend). */
  'message.deleteFrom': {
    params: z.object({ threadId: Id, messageId: Id }),
    result: z.object({ deleted: z.number().int().nonnegative() }),
  },
  'thread.rename': { params: z.object({ id: Id, title: z.string().max(1000) }), result: ThreadSchema },
  'thread.delete': { params: z.object({ id: Id }), result: z.object({ deleted: z.boolean() }) },
  'message.list': {
    params: z.object({ threadId: Id, limit: Limit, beforeCreatedAt: z.number().int().optional() }),
    result: z.array(MessageSchema),
  },
  'generation.record': {
    params: withOptionalId({
      projectId: Id.nullable().default(null),
      threadId: Id.nullable().default(null),
      prompt: GenerationSchema.shape.prompt,
      contextRefs: GenerationSchema.shape.contextRefs.default([]),
      provider: GenerationSchema.shape.provider,
      model: GenerationSchema.shape.model,
      output: GenerationSchema.shape.output,
      validation: JsonSchema.default(null),
    }),
    result: GenerationSchema,
  },
  'generation.decide': {
    params: z.object({ id: Id, decision: DecisionSchema, validation: JsonSchema.optional() }),
    result: GenerationSchema,
  },
  'generation.get': { params: z.object({ id: Id }), result: GenerationSchema },
  'generation.list': { params: z.object({ projectId: Id.nullable().optional(), limit: Limit }), result: z.array(GenerationSchema) },
  'model.upsert': { params: ModelEntrySchema.omit({ addedAt: true }), result: ModelEntrySchema },
  'model.list': { params: Empty, result: z.array(ModelEntrySchema) },
  'model.remove': { params: z.object({ id: Id }), result: z.object({ removed: z.boolean() }) },
  'provider.upsert': { params: ProviderConfigSchema.omit({ updatedAt: true }), result: ProviderConfigSchema },
  'provider.list': { params: Empty, result: z.array(ProviderConfigSchema) },
  'provider.remove': { params: z.object({ id: Id }), result: z.object({ removed: z.boolean() }) },
  'cluster.upsert': { params: ClusterProfileSchema.omit({ updatedAt: true }), result: ClusterProfileSchema },
  'cluster.list': { params: Empty, result: z.array(ClusterProfileSchema) },
  'job.upsert': { params: JobSchema, result: JobSchema },
  'job.list': { params: z.object({ clusterProfileId: Id.nullable().optional(), limit: Limit }), result: z.array(JobSchema) },
  'job.appendLog': { params: z.object({ jobId: Id, text: z.string().max(10_000_000) }), result: JobLogChunkSchema },
  'job.logs': {
    params: z.object({ jobId: Id, afterSeq: z.number().int().nonnegative().default(0), limit: Limit }),
    result: z.array(JobLogChunkSchema),
  },
  'usage.record': {
    params: UsageSchema.omit({ id: true, at: true }).extend({ id: Id.optional(), at: z.number().int().nonnegative().optional() }),
    result: UsageSchema,
  },
  'usage.summary': {
    params: z.object({ since: z.number().int().nonnegative().default(0), projectId: Id.nullable().optional() }),
    result: z.array(UsageSummaryRowSchema),
  },
  /** Spend per project since `since` (projectId null: calls not tied to a project); seeds per-project budgets after a restart. */
  'usage.byProject': {
    params: z.object({ since: z.number().int().nonnegative().default(0) }),
    result: z.array(z.object({ projectId: Id.nullable(), costUsd: z.number().nonnegative() })),
  },
  'setting.get': { params: z.object({ key: SettingSchema.shape.key }), result: SettingSchema.nullable() },
  'setting.set': { params: z.object({ key: SettingSchema.shape.key, value: JsonSchema }), result: SettingSchema },
  'setting.list': { params: Empty, result: z.array(SettingSchema) },
  /** FTS5 search over messages and generations. `query` is plain words (quoted for FTS5, so no syntax errors). */
  search: {
    params: z.object({
      query: z.string().min(1).max(1000),
      kinds: z.array(z.enum(['message', 'generation'])).default(['message', 'generation']),
      limit: Limit,
    }),
    result: z.array(SearchHitSchema),
  },
  /** Response cache (temperature-0 provider answers), kept in the encrypted database. */
  'cache.get': {
    params: z.object({
      key: z.string().regex(/^[0-9a-f]{16,128}$/),
      ttlMs: z
        .number()
        .int()
        .positive()
        .default(7 * 24 * 3600_000),
    }),
    result: z.object({ value: JsonSchema.nullable() }),
  },
  'cache.set': {
    params: z.object({
      key: z.string().regex(/^[0-9a-f]{16,128}$/),
      value: JsonSchema,
      maxEntries: z.number().int().min(1).max(100_000).default(5000),
    }),
    result: z.object({ entries: z.number().int() }),
  },
  'cache.clear': { params: Empty, result: z.object({ deleted: z.number().int() }) },
  'cache.count': { params: Empty, result: z.object({ entries: z.number().int() }) },
  /** Appends one audit event; `at` defaults to now. */
  'audit.append': {
    params: z.intersection(AuditEventSchema, z.object({ at: z.number().int().nonnegative().optional() })),
    result: AuditRowSchema,
  },
  'audit.list': {
    params: z.object({
      kinds: z.array(z.string()).optional(),
      since: z.number().int().optional(),
      until: z.number().int().optional(),
      afterSeq: z.number().int().nonnegative().default(0),
      limit: Limit,
    }),
    result: z.array(AuditRowSchema),
  },
  'audit.verify': { params: Empty, result: AuditVerifySchema },
  /** Writes the whole log as JSONL (one AuditRow per line) to `path`. */
  'audit.export': { params: z.object({ path: Path }), result: z.object({ path: Path, count: z.number().int() }) },
  /** The project index (issue 10): see index-requests.ts. */
  ...IndexRequests,
  /** The codegen store (issue 11): see codegen-requests.ts. */
  ...CodegenRequests,
  /** Experience learning (issue 12 item 6): see experience-requests.ts. */
  ...ExperienceRequests,
  /** The local API server's tokens (issue 14 item 4): see api-token-requests.ts. */
  ...ApiTokenRequests,
  /** Job-log search, history deletion and retention (issue 16 item 3): see job-log-requests.ts. */
  ...JobLogRequests,
  /** Failed-job diagnoses (issue 16 item 1): see diagnosis-requests.ts. */
  ...DiagnosisRequests,
  /** Roles per cluster profile (issue 14 item 2): see cluster-role-requests.ts. */
  ...ClusterRoleRequests,
} as const;

export type StoreMethod = keyof typeof StoreRequests;
export type StoreParams<M extends StoreMethod> = z.input<(typeof StoreRequests)[M]['params']>;
export type StoreParsedParams<M extends StoreMethod> = z.output<(typeof StoreRequests)[M]['params']>;
export type StoreResult<M extends StoreMethod> = z.output<(typeof StoreRequests)[M]['result']>;

export const STORE_METHODS = Object.keys(StoreRequests) as StoreMethod[];

/** The union as one zod schema (for a contract or a log viewer): `{ method, params }`. */
export const StoreRequestSchema = z.discriminatedUnion(
  'method',
  STORE_METHODS.map((m) => z.object({ method: z.literal(m), params: StoreRequests[m].params })) as unknown as [
    z.ZodObject<{ method: z.ZodLiteral<StoreMethod>; params: z.ZodType }>,
    ...z.ZodObject<{ method: z.ZodLiteral<StoreMethod>; params: z.ZodType }>[],
  ],
);
