// The index worker's methods: parameters, stream events and results as zod schemas (main parses both ways).
import { z } from 'zod';
import { EvolveError } from '../../common/errors';
import { ChunkSchema, FileTagsSchema, LanguageSchema } from './types';

/** A file the caller already has in its catalog; unchanged size + mtime means the worker does not read it. */
export const KnownFileSchema = z.object({
  rel: z.string(),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
});

export const WalkAndChunkParamsSchema = z.object({
  /** Absolute, already realpath-resolved project root. */
  root: z.string().min(1),
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  maxFileBytes: z.number().int().positive().optional(),
  maxChunkTokens: z.number().int().min(32).max(8192).optional(),
  /** The caller's catalog: files whose size and mtime match are reported as `unchanged` without reading them. */
  known: z.array(KnownFileSchema).optional(),
  /**
   * Only these paths (relative, '/'-separated; e.g. from a file watcher) instead of a full walk. Each still
   * goes through the ignore rules, the size limit and the binary check; a path that no longer exists is `gone`.
   */
  paths: z.array(z.string()).optional(),
});
export type WalkAndChunkParams = z.infer<typeof WalkAndChunkParamsSchema>;

/** One stream event per path the walk met (emitted in walk order). */
export const IndexFileEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('file'),
    rel: z.string(),
    size: z.number().int().nonnegative(),
    mtimeMs: z.number(),
    /** sha256 hex of the file's bytes. */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    lang: LanguageSchema.nullable(),
    chunks: z.array(ChunkSchema),
    tags: FileTagsSchema,
    /** Set when the file could not be parsed and fell back to line windows (it is still indexed). */
    parseError: z.string().optional(),
  }),
  z.object({ type: z.literal('unchanged'), rel: z.string(), size: z.number().int().nonnegative(), mtimeMs: z.number() }),
  z.object({
    type: z.literal('skipped'),
    rel: z.string(),
    reason: z.enum(['binary', 'too-large', 'ignored', 'symlink-outside', 'symlink-loop']),
  }),
  /** A path asked for in `paths` that does not exist any more (deleted or renamed). */
  z.object({ type: z.literal('gone'), rel: z.string() }),
  z.object({ type: z.literal('error'), rel: z.string(), code: z.string(), message: z.string() }),
]);
export type IndexFileEvent = z.infer<typeof IndexFileEventSchema>;

export const WalkAndChunkResultSchema = z.object({
  files: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type WalkAndChunkResult = z.infer<typeof WalkAndChunkResultSchema>;

export const RepoMapParamsSchema = z
  .object({
    /** rel → that file's tags (as the `file` events delivered them and the caller stored them). */
    tags: z.record(z.string(), FileTagsSchema).optional(),
    /**
     * Names this version of the tags: sent with them, the worker keeps them; sent alone, it uses the kept copy (or
     * answers NOT_FOUND, and the caller sends them again). A 6k-file tree's tags are ~17 MB of JSON per request.
     */
    tagsKey: z.string().min(1).max(300).optional(),
    focusFiles: z.array(z.string()).optional(),
    focusIdents: z.array(z.string()).optional(),
    tokenBudget: z.number().int().positive().max(1_000_000),
  })
  .refine((p) => p.tags !== undefined || p.tagsKey !== undefined, { message: 'tags or tagsKey is required' });
export type RepoMapParams = z.infer<typeof RepoMapParamsSchema>;

export const RepoMapResultSchema = z.object({
  text: z.string(),
  files: z.array(z.object({ rel: z.string(), rank: z.number() })),
  tokens: z.number().int().nonnegative(),
});
export type RepoMapResult = z.infer<typeof RepoMapResultSchema>;

export const ChunkTextParamsSchema = z.object({
  rel: z.string().min(1),
  text: z.string(),
  maxChunkTokens: z.number().int().min(32).max(8192).optional(),
});
export const ChunkTextResultSchema = z.object({
  lang: LanguageSchema.nullable(),
  chunks: z.array(ChunkSchema),
  tags: FileTagsSchema,
  parseError: z.string().optional(),
});

/** Parses worker params; the error lists paths and messages only. */
export function parseOrThrow<S extends z.ZodType>(schema: S, params: unknown, what = 'params'): z.output<S> {
  const r = schema.safeParse(params ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`);
  throw new EvolveError('INVALID_ARGUMENT', `${what}: ${issues.join('; ')}`, { issues });
}
