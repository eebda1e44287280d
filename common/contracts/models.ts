// Contract for the `models` domain: the local engine (backend, devices, memory), the model registry and
// catalog, fit estimates with manual overrides, load/unload, import, downloads and watched folders.
import { z } from 'zod';
import { EngineInfoSchema, LoadedModelSchema } from '../inference/engine';
import {
  CatalogEntrySchema,
  DownloadProgressSchema,
  FitEstimateSchema,
  RegistryEntrySchema,
  SpeculationModeSchema,
  SpeculationTrialSchema,
} from '../inference/models';
import { EmptyInput } from './app';
import { call, defineDomain, stream } from './define';

const ModelId = z.string().min(1).max(512);
const AbsPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path');
const GpuLayers = z.union([z.literal('auto'), z.number().int().min(0).max(10_000)]);
const ContextSize = z.union([z.literal('auto'), z.number().int().min(256).max(1_048_576)]);

export const ModelFolderSchema = z.object({ path: z.string(), source: z.string(), layout: z.enum(['gguf-tree', 'ollama']) });

export const LicenseTextsSchema = z.object({
  catalogId: z.string(),
  license: z.string(),
  files: z.array(z.object({ name: z.string(), text: z.string() })),
});

export const modelsContract = defineDomain('models', {
  /** The engine: GPU backend (CUDA/Vulkan/Metal/CPU), devices, VRAM/RAM, measured thread count. */
  engine: call({ input: EmptyInput, output: EngineInfoSchema, doc: 'Local engine info.' }),
  /** Every registered model (cache, imports, LM Studio/Jan/Ollama folders) and the ones loaded now. */
  list: call({
    input: EmptyInput,
    output: z.object({ models: z.array(RegistryEntrySchema), loaded: z.array(LoadedModelSchema) }),
    doc: 'List models.',
  }),
  /** Recommended models with size, quantization, context and licence. */
  catalog: call({
    input: EmptyInput,
    output: z.object({ defaultModelId: z.string(), models: z.array(CatalogEntrySchema) }),
    doc: 'Model catalog.',
  }),
  /** How a model would fit here (GPU layers, context, memory) with optional overrides; a suggestion when it does not. */
  estimate: call({
    input: z.object({ modelId: ModelId, gpuLayers: GpuLayers.optional(), contextSize: ContextSize.optional() }).strict(),
    output: FitEstimateSchema,
    doc: 'Estimate fit.',
  }),
  /** Saves manual GPU-layer / context overrides for a model ('auto' clears one). */
  setOverrides: call({
    input: z
      .object({
        modelId: ModelId,
        gpuLayers: GpuLayers.optional(),
        contextSize: ContextSize.optional(),
        speculation: SpeculationModeSchema.optional(),
        /** A registered model to draft with (speculation 'draft'); null clears the choice. */
        draftModelId: ModelId.nullable().optional(),
      })
      .strict(),
    output: RegistryEntrySchema,
    doc: 'Set overrides.',
  }),
  load: call({ input: z.object({ modelId: ModelId }).strict(), output: LoadedModelSchema, doc: 'Load (or keep warm) a model.' }),
  /**
   * Measures plain vs input-lookup vs draft-model decoding of a model on this machine (an edit task, greedy) and
   * saves the figures on its registry entry; speculation 'auto' then uses the winner. Each trial is an event.
   */
  measureSpeculation: stream({
    input: z.object({ modelId: ModelId, maxTokens: z.number().int().min(16).max(1024).optional() }).strict(),
    event: SpeculationTrialSchema,
    output: RegistryEntrySchema,
    doc: 'Measure speculative decoding.',
  }),
  unload: call({ input: z.object({ modelId: ModelId }).strict(), output: z.object({ unloaded: z.boolean() }), doc: 'Unload a model.' }),
  /** Registers an existing GGUF file in place (no copy). */
  import: call({ input: z.object({ path: AbsPath }).strict(), output: RegistryEntrySchema, doc: 'Import a GGUF file.' }),
  /** Downloads a catalog model with resume, progress and SHA-256 verification; cancel stops it (the part file is kept). */
  download: stream({
    input: z.object({ catalogId: z.string().min(1).max(200) }).strict(),
    event: DownloadProgressSchema,
    output: RegistryEntrySchema,
    doc: 'Download a catalog model.',
  }),
  /** The licence of a catalog model with the licence/notice files shipped for it (e.g. Qwen2.5-Coder's Apache-2.0 + NOTICE). */
  license: call({
    input: z.object({ catalogId: z.string().min(1).max(200) }).strict(),
    output: LicenseTextsSchema,
    doc: 'Licence texts of a catalog model.',
  }),
  folders: call({ input: EmptyInput, output: z.array(ModelFolderSchema), doc: 'Watched model folders.' }),
  addFolder: call({ input: z.object({ path: AbsPath }).strict(), output: z.array(ModelFolderSchema), doc: 'Watch a folder.' }),
  removeFolder: call({ input: z.object({ path: AbsPath }).strict(), output: z.array(ModelFolderSchema), doc: 'Stop watching a folder.' }),
});
