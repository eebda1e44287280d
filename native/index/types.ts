// Shared shapes of the project index (walk items, chunks, tags, per-file worker results) as zod schemas,
// so main parses what the index worker sends instead of trusting it.
import { z } from 'zod';

export const LANGUAGES = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'c', 'cpp'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/** One thing the walk met: a file to index, a file or folder it skipped on purpose, or one it could not read. */
export const WalkItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    rel: z.string(),
    abs: z.string(),
    size: z.number().int().nonnegative(),
    mtimeMs: z.number(),
  }),
  z.object({
    kind: z.literal('skipped'),
    rel: z.string(),
    reason: z.enum(['binary', 'too-large', 'ignored', 'symlink-outside', 'symlink-loop']),
  }),
  z.object({ kind: z.literal('error'), rel: z.string(), code: z.string(), message: z.string() }),
]);
export type WalkItem = z.infer<typeof WalkItemSchema>;
export type SkipReason = Extract<WalkItem, { kind: 'skipped' }>['reason'];

/** `file`: the file card (file-card.ts), the one chunk per file that is embedded. */
export const ChunkKindSchema = z.enum(['function', 'class', 'method', 'block', 'window', 'file']);
export type ChunkKind = z.infer<typeof ChunkKindSchema>;

export const ChunkSchema = z.object({
  /** sha256 hex of the language and the chunk text: the same code anywhere gets the same id (embedded once). */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  rel: z.string(),
  /** 1-based, inclusive. */
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  text: z.string(),
  kind: ChunkKindSchema,
  /** The function/class/method name when the chunk is one. */
  symbol: z.string().optional(),
});
export type Chunk = z.infer<typeof ChunkSchema>;

export const TagKindSchema = z.enum([
  'function',
  'method',
  'class',
  'interface',
  'type',
  'module',
  'constant',
  'macro',
  'call',
  'reference',
]);
export type TagKind = z.infer<typeof TagKindSchema>;

/** A definition or reference of an identifier (Aider's Tag, without the def/ref field: the list says which). */
export const TagSchema = z.object({ name: z.string(), rel: z.string(), line: z.number().int().positive(), kind: TagKindSchema });
export type Tag = z.infer<typeof TagSchema>;

export const FileTagsSchema = z.object({ defs: z.array(TagSchema), refs: z.array(TagSchema) });
export type FileTags = z.infer<typeof FileTagsSchema>;

/** Result of chunking one file: `parseError` says the file fell back to line windows and why. */
export interface ChunkResult {
  lang: Language | null;
  chunks: Chunk[];
  parseError?: string;
}
