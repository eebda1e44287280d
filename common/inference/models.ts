// Zod schemas + types for model files: GGUF metadata, fit estimates, registry entries, catalog, download progress.
import { z } from 'zod';

/** A model's fill-in-the-middle tokens by role, as their text in the vocabulary (e.g. Qwen's "<|fim_prefix|>"). */
export const FimTokensSchema = z.object({
  prefix: z.string(),
  suffix: z.string(),
  middle: z.string(),
  /** Qwen's <|fim_pad|>: generation stops on it. */
  pad: z.string().optional(),
  /** Repository-level FIM: <|repo_name|> and <|file_sep|> in Qwen2.5-Coder. */
  repoName: z.string().optional(),
  fileSep: z.string().optional(),
});
export type FimTokens = z.infer<typeof FimTokensSchema>;

export const ModelMetadataSchema = z.object({
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  ggufVersion: z.number().int(),
  architecture: z.string(),
  name: z.string().optional(),
  /** e.g. "270M" from general.size_label, when the file says so. */
  sizeLabel: z.string().optional(),
  parameterCount: z.number().int().nonnegative(),
  /** GGUF general.file_type as a llama.cpp name, e.g. "Q4_K_M"; "unknown" if absent. */
  quantization: z.string(),
  fileType: z.number().int().optional(),
  contextLength: z.number().int().optional(),
  layerCount: z.number().int(),
  tensorCount: z.number().int(),
  chatTemplate: z.string().optional(),
  /** True when the file carries a chat template (instruction-tuned); base models have none. */
  hasChatTemplate: z.boolean(),
  /**
   * Fill-in-the-middle support found in the vocabulary: `{ supported: false }` when the model has no FIM tokens.
   * Absent in metadata read by an older version of the app (the registry re-reads those files).
   */
  fim: z.object({ supported: z.boolean(), tokens: FimTokensSchema.optional() }).optional(),
  license: z.string().optional(),
});
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;

export const FitEstimateSchema = z.object({
  gpuLayers: z.number().int(),
  totalLayers: z.number().int(),
  contextSize: z.number().int(),
  ramBytes: z.number(),
  vramBytes: z.number(),
  fits: z.boolean(),
  /** Set when it does not fit: what to change (smaller context, fewer GPU layers, smaller quant). */
  suggestion: z.string().optional(),
});
export type FitEstimate = z.infer<typeof FitEstimateSchema>;

export const ModelSourceSchema = z.enum(['cache', 'imported', 'lmstudio', 'jan', 'ollama', 'folder', 'download']);
export type ModelSource = z.infer<typeof ModelSourceSchema>;

export const SpeculationModeSchema = z.enum(['auto', 'off', 'lookup', 'draft']);
export type SpeculationMode = z.infer<typeof SpeculationModeSchema>;

/** Generation speed of one decoding mode on the probe's edit task. */
export const SpeculationTrialSchema = z.object({
  mode: z.enum(['off', 'lookup', 'draft']),
  generationTokensPerSecond: z.number().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  acceptedDraftTokens: z.number().int().nonnegative(),
  /** Speed ÷ plain ('off') in the same run. */
  ratio: z.number().nonnegative(),
});
export const SpeculationProbeSchema = z.object({
  at: z.number(),
  trials: z.array(SpeculationTrialSchema),
  draftModelId: z.string().optional(),
  /** Why the draft mode was not measured (no compatible smaller model registered, or it failed to load). */
  draftSkipped: z.string().optional(),
  /** The mode 'auto' uses: the fastest, and only when it beats plain by the win margin. */
  winner: z.enum(['off', 'lookup', 'draft']),
});
export type SpeculationProbe = z.infer<typeof SpeculationProbeSchema>;

export const RegistryEntrySchema = z.object({
  id: z.string().min(1),
  path: z.string().min(1),
  displayName: z.string(),
  source: ModelSourceSchema,
  sizeBytes: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  metadata: ModelMetadataSchema.optional(),
  /** Why the file could not be read, when it could not (kept so the UI can show it). */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  addedAt: z.number(),
  /** Manual overrides the user chose for this model. */
  overrides: z
    .object({
      gpuLayers: z.union([z.literal('auto'), z.number().int().min(0)]).optional(),
      contextSize: z.union([z.literal('auto'), z.number().int().min(16)]).optional(),
      /**
       * Speculative decoding: 'auto' (default) uses what the last measurement on this machine found fastest, and
       * nothing when never measured; 'lookup' = input lookup; 'draft' = the draft model below drafts tokens.
       */
      speculation: SpeculationModeSchema.optional(),
      /** Registry id of the draft model (same tokenizer, smaller) for 'draft'. */
      draftModelId: z.string().min(1).optional(),
    })
    .optional(),
  /** The last speculative-decoding measurement of this model on this machine (models.measureSpeculation). */
  speculationProbe: SpeculationProbeSchema.optional(),
});
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;

export const CatalogEntrySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  url: z.url(),
  fileName: z.string().regex(/\.gguf$/),
  sizeBytes: z.number().int().positive(),
  /** True when sizeBytes is the publisher's rounded figure (verify against Content-Length before trusting it). */
  sizeIsApproximate: z.boolean().default(false),
  quantization: z.string(),
  parameters: z.string(),
  contextLength: z.number().int().positive(),
  license: z.string(),
  /** Licence and notice files shipped with the app, relative to resources/models/ (shown in Models). */
  licenseFiles: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i)
        .refine((p) => !p.split('/').includes('..'), 'must stay inside resources/models'),
    )
    .default([]),
  instructionTuned: z.boolean(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** How this entry can be had without network (e.g. a PyPI package + setup script). */
  offlineSource: z.string().optional(),
  recommendedFor: z.array(z.string()).default([]),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;
export const CatalogSchema = z.object({ version: z.literal(1), defaultModelId: z.string(), models: z.array(CatalogEntrySchema).min(1) });
export type Catalog = z.infer<typeof CatalogSchema>;

export const DownloadProgressSchema = z.object({
  type: z.literal('progress'),
  receivedBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative().nullable(),
  /** Bytes per second over the last ~1 s window. */
  bytesPerSecond: z.number().nonnegative(),
  resumedFrom: z.number().int().nonnegative(),
});
export type DownloadProgress = z.infer<typeof DownloadProgressSchema>;
