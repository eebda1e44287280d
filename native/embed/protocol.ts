// Requests and answers of the embedding worker (native/embed/worker.ts): zod schemas both sides parse with.
import { z } from 'zod';

/** all-MiniLM-L6-v2: 384-d sentence vectors; the model card truncates input at 256 word pieces. */
export const EMBED_MODEL_NAME = 'all-minilm-l6-v2';
export const EMBED_DIMS = 384;
export const EMBED_MAX_TOKENS = 256;
/** Most texts one `embed` request may carry; the client splits larger inputs into batches of its own size. */
export const EMBED_MAX_TEXTS_PER_REQUEST = 256;
/** Longer strings are cut before tokenizing: 256 word pieces never need more than this many characters. */
export const EMBED_MAX_CHARS = 100_000;

/** Which model to use; every request carries it, so a restarted worker needs no separate "open" step. */
export const EmbedModelParamsSchema = z.object({
  /** Folder holding model.onnx and tokenizer.json (scripts/models/setup-embedding-model.sh installs it). */
  modelDir: z.string().min(1),
  /** onnxruntime intra-op threads; 1 keeps a 2-core machine responsive while indexing. */
  intraOpThreads: z.number().int().min(1).max(64).default(1),
});
export type EmbedModelParams = z.input<typeof EmbedModelParamsSchema>;

export const EmbedInfoSchema = z.object({
  model: z.string(),
  dims: z.literal(EMBED_DIMS),
  maxTokens: z.number().int().positive(),
  modelDir: z.string(),
  intraOpThreads: z.number().int().positive(),
  runtime: z.string(),
});
export type EmbedInfo = z.infer<typeof EmbedInfoSchema>;

export const EmbedTextsParamsSchema = z.object({
  model: EmbedModelParamsSchema,
  texts: z.array(z.string().max(EMBED_MAX_CHARS * 10)).max(EMBED_MAX_TEXTS_PER_REQUEST),
});

export const EmbedResultSchema = z.object({
  /** One L2-normalised 384-d vector per text, in input order (Float32Array survives the structured-clone IPC). */
  vectors: z.array(z.instanceof(Float32Array)),
  /** Tokens fed to the model, special tokens included, after truncation. */
  tokens: z.number().int().nonnegative(),
  /** How many texts were cut at maxTokens. */
  truncated: z.number().int().nonnegative(),
});
export type EmbedResult = z.infer<typeof EmbedResultSchema>;

export const TokenizeResultSchema = z.object({
  /** Token ids per text exactly as fed to the model ([CLS] … [SEP], truncated at maxTokens). */
  ids: z.array(z.array(z.number().int().nonnegative())),
});
export type TokenizeResult = z.infer<typeof TokenizeResultSchema>;
