// DB worker requests of the project index: projects with globs and index state, the file catalog, batched writes
// of chunks/vectors/FTS terms, and the two raw rankings (BM25, vector) that retrieval fuses.
import { z } from 'zod';

const Id = z.string().min(1).max(200);
const Rel = z.string().min(1).max(4096);
const Glob = z.string().min(1).max(1000);
const Globs = z.array(Glob).max(200);
const Ts = z.number().int().nonnegative();
const Sha = z.string().regex(/^[0-9a-f]{16,128}$/, 'a lowercase hex hash');
/** An int8 vector (per-vector scale; cosine is scale-free) as base64. */
const Int8B64 = z
  .string()
  .min(4)
  .max(100_000)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');

export const IndexStateSchema = z.object({
  status: z.enum(['never', 'indexing', 'paused', 'cancelled', 'done', 'error']),
  startedAt: Ts.nullable(),
  finishedAt: Ts.nullable(),
  files: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  message: z.string().max(2000).nullable(),
});
export type IndexState = z.infer<typeof IndexStateSchema>;

export const IndexedProjectSchema = z.object({
  id: Id,
  name: z.string().min(1).max(500),
  rootPath: z.string().min(1).max(4096),
  include: Globs,
  exclude: Globs,
  state: IndexStateSchema,
  createdAt: Ts,
  updatedAt: Ts,
  /** Rows in the index now (catalog and chunk counts). */
  files: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
});
export type IndexedProject = z.infer<typeof IndexedProjectSchema>;

export const CatalogEntrySchema = z.object({
  rel: Rel,
  size: z.number().int().nonnegative(),
  mtimeMs: z.number().nonnegative(),
  hash: Sha,
  status: z.enum(['indexed', 'error']),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export const TagSchema = z.object({ name: z.string().max(500), rel: Rel, line: z.number().int().nonnegative(), kind: z.string().max(100) });
export const FileTagsSchema = z.object({ defs: z.array(TagSchema).max(50_000), refs: z.array(TagSchema).max(200_000) });

export const ChunkWriteSchema = z.object({
  hash: Sha,
  text: z.string().max(1_000_000),
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  kind: z.string().min(1).max(50),
  symbol: z.string().max(500).nullable().default(null),
  /** Absent when the chunk is already stored for this project (the text and vector are reused). */
  vector: Int8B64.optional(),
});

export const FileWriteSchema = z.object({
  rel: Rel,
  size: z.number().int().nonnegative(),
  mtimeMs: z.number().nonnegative(),
  hash: Sha,
  lang: z.string().max(50).nullable(),
  /** A per-file error (unreadable, vanished, unparsable): the file is catalogued with no chunks, so the run moves on. */
  error: z.string().max(2000).nullable().default(null),
  tags: FileTagsSchema.nullable().default(null),
  chunks: z.array(ChunkWriteSchema).max(100_000),
});
export type FileWrite = z.input<typeof FileWriteSchema>;

export const IndexHitSchema = z.object({
  seq: z.number().int(),
  rel: Rel,
  startLine: z.number().int(),
  endLine: z.number().int(),
  kind: z.string(),
  symbol: z.string().nullable(),
  text: z.string(),
  /** BM25 (higher is better, sign flipped from FTS5) or cosine similarity. */
  score: z.number(),
});
export type IndexHit = z.infer<typeof IndexHitSchema>;

const ProjectRef = z.object({ projectId: Id });

export const IndexRequests = {
  /** Adds a project for an already-resolved root; CONFLICT when that root is already a project. */
  'index.project.add': {
    params: z.object({
      id: Id.optional(),
      name: z.string().min(1).max(500),
      rootPath: z.string().min(1).max(4096),
      include: Globs.default([]),
      exclude: Globs.default([]),
    }),
    result: IndexedProjectSchema,
  },
  'index.project.list': { params: z.object({}).strict(), result: z.array(IndexedProjectSchema) },
  'index.project.get': { params: ProjectRef, result: IndexedProjectSchema },
  /** Removes the project and its whole index; its chat threads stay, detached. */
  'index.project.remove': {
    params: ProjectRef,
    result: z.object({ removed: z.boolean(), files: z.number().int(), chunks: z.number().int(), threadsDetached: z.number().int() }),
  },
  'index.project.update': {
    params: ProjectRef.extend({ name: z.string().min(1).max(500).optional(), include: Globs.optional(), exclude: Globs.optional() }),
    result: IndexedProjectSchema,
  },
  'index.project.setState': { params: ProjectRef.extend({ state: IndexStateSchema }), result: IndexedProjectSchema },
  /** The file catalog: what the last runs stored, to skip unchanged files and resume an interrupted run. */
  'index.catalog': { params: ProjectRef, result: z.array(CatalogEntrySchema) },
  /** Which of these chunk hashes are stored with a vector already (they are not embedded again). */
  'index.knownChunks': { params: ProjectRef.extend({ hashes: z.array(Sha).max(100_000) }), result: z.array(Sha) },
  /** One transaction: replaces each file's spans, adds new chunks/vectors/terms, drops deleted files, sweeps orphans. */
  'index.writeBatch': {
    params: ProjectRef.extend({
      model: z.string().min(1).max(200),
      files: z.array(FileWriteSchema).max(10_000),
      deleted: z.array(Rel).max(1_000_000).default([]),
    }),
    result: z.object({
      files: z.number().int(),
      chunksAdded: z.number().int(),
      chunksReused: z.number().int(),
      chunksRemoved: z.number().int(),
      filesDeleted: z.number().int(),
    }),
  },
  /** The two raw rankings over one project: BM25 on code-aware terms and exact cosine over the int8 vectors. */
  'index.search': {
    params: ProjectRef.extend({
      query: z.string().min(1).max(10_000),
      vector: Int8B64.optional(),
      k: z.number().int().positive().max(1000).default(20),
    }),
    result: z.object({
      bm25: z.array(IndexHitSchema),
      vector: z.array(IndexHitSchema),
      vectorEngine: z.enum(['sqlite-vec', 'js-scan', 'none']),
    }),
  },
  /** Definitions and references per file (for the repo map). */
  'index.tags': { params: ProjectRef, result: z.array(z.object({ rel: Rel, tags: FileTagsSchema })) },
} as const;
