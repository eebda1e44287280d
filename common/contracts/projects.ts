// Contract for the `projects` domain: folders the assistant knows (encrypted index), indexing with progress,
// cancel and pause, status, hybrid search (BM25 + vectors, fused) and the repo map.
import { z } from 'zod';
import { IndexedProjectSchema } from '../store/index-requests';
import { EmptyInput } from './app';
import { call, defineDomain, stream } from './define';

const Id = z.string().min(1).max(200);
const Glob = z.string().min(1).max(1000);
const ProjectRef = z.object({ projectId: Id }).strict();

export const IndexProgressSchema = z.object({
  phase: z.enum(['starting', 'indexing', 'paused', 'waiting', 'finishing', 'done', 'cancelled', 'error']),
  /** Paths the walk reported so far, and whether it has finished (then filesTotal is known). */
  filesSeen: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative().nullable(),
  /** Files stored (new or changed), unchanged (skipped by the catalog), skipped on purpose, and failed. */
  filesDone: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  chunksEmbedded: z.number().int().nonnegative(),
  filesPerSec: z.number().nonnegative(),
  etaSec: z.number().nonnegative().nullable(),
  elapsedMs: z.number().nonnegative(),
  /** Up to the last 20 per-file problems (unreadable, vanished, unparsable), for the status panel. */
  problems: z.array(z.object({ rel: z.string(), message: z.string() })).max(20),
  /** Why vectors are off for this run (no embedding model), if they are. */
  vectorsOff: z.string().nullable(),
});
export type IndexProgress = z.infer<typeof IndexProgressSchema>;

export const SearchHitSchema = z.object({
  rel: z.string(),
  startLine: z.number().int(),
  endLine: z.number().int(),
  kind: z.string(),
  symbol: z.string().nullable(),
  text: z.string(),
  scores: z.object({ bm25: z.number().nullable(), vector: z.number().nullable(), fused: z.number() }),
});
export type ProjectSearchHit = z.infer<typeof SearchHitSchema>;

export const RetrievalSchema = z.object({
  chunks: z.array(SearchHitSchema),
  repoMap: z.string(),
  usedTokens: z.number().int().nonnegative(),
  vectorEngine: z.enum(['sqlite-vec', 'js-scan', 'none']),
  /** Terms the local model added to a prose question's text search (absent when the question was searched as typed). */
  expansion: z.array(z.string().max(200)).max(32).optional(),
});
export type Retrieval = z.infer<typeof RetrievalSchema>;

export const ProjectStatusSchema = z.object({
  project: IndexedProjectSchema,
  running: IndexProgressSchema.nullable(),
  watching: z.boolean(),
});

export const projectsContract = defineDomain('projects', {
  list: call({ input: EmptyInput, output: z.array(IndexedProjectSchema), doc: 'Projects with their index state.' }),
  /** The OS folder dialog; null when the user cancels. UNAVAILABLE in the browser host, where the path is typed. */
  pickFolder: call({
    input: EmptyInput,
    output: z.object({ path: z.string().min(1).max(4096).nullable() }),
    doc: 'Choose a folder (desktop app).',
  }),
  add: call({
    input: z
      .object({
        path: z.string().min(1).max(4096),
        name: z.string().min(1).max(200).optional(),
        include: z.array(Glob).max(200).optional(),
        exclude: z.array(Glob).max(200).optional(),
      })
      .strict(),
    output: IndexedProjectSchema,
    doc: 'Add a folder (resolved once; the filesystem root, home and system folders are refused).',
  }),
  remove: call({
    input: ProjectRef,
    output: z.object({ removed: z.boolean(), files: z.number().int(), chunks: z.number().int(), threadsDetached: z.number().int() }),
    doc: 'Remove a project and its index; its chat threads are kept, detached.',
  }),
  updateGlobs: call({
    input: z.object({ projectId: Id, include: z.array(Glob).max(200).optional(), exclude: z.array(Glob).max(200).optional() }).strict(),
    output: IndexedProjectSchema,
    doc: 'Change include/exclude globs (the next index applies them).',
  }),
  /** Indexes (or resumes) the project; cancelling the stream cancels the run. The result is the final progress. */
  index: stream({ input: ProjectRef, event: IndexProgressSchema, output: IndexProgressSchema, doc: 'Index with progress.' }),
  cancel: call({ input: ProjectRef, output: z.object({ cancelled: z.boolean() }), doc: 'Cancel a running index.' }),
  pause: call({
    input: z.object({ projectId: Id, paused: z.boolean() }).strict(),
    output: z.object({ paused: z.boolean() }),
    doc: 'Pause or resume a running index.',
  }),
  status: call({ input: ProjectRef, output: ProjectStatusSchema, doc: 'One project: index state, running progress, watcher.' }),
  search: call({
    input: z
      .object({
        projectId: Id,
        query: z.string().min(1).max(2000),
        k: z.number().int().min(1).max(100).optional(),
        tokenBudget: z.number().int().min(64).max(200_000).optional(),
        /** Let the local coding model add code words to a prose question (seconds on a CPU; off by default here). */
        expand: z.boolean().optional(),
      })
      .strict(),
    output: RetrievalSchema,
    doc: 'Hybrid search: chunks with file, lines, BM25/vector/fused scores and a repo-map slice, within a token budget.',
  }),
  repoMap: call({
    input: z
      .object({
        projectId: Id,
        tokenBudget: z.number().int().min(64).max(100_000).optional(),
        focusFiles: z.array(z.string().max(4096)).max(100).optional(),
      })
      .strict(),
    output: z.object({ text: z.string(), files: z.array(z.object({ rel: z.string(), rank: z.number() })), tokens: z.number().int() }),
    doc: 'The ranked repo map (definitions per file), cut to a token budget.',
  }),
});
