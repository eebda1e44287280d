// Provider configuration (never holds secrets: keys live in the keychain and are fetched per call by provider id).
import { z } from 'zod';

const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"');

const HttpUrlSchema = z.url({ protocol: /^https?$/ });

/** PEM file of a private CA to trust for an https URL (a company gateway, a self-hosted vLLM); the system CAs always apply. */
const CaFileSchema = z.string().min(1).max(4096).optional();

const Common = {
  id: IdSchema,
  label: z.string().min(1).max(100),
  enabled: z.boolean().default(true),
  /** Model used when a capability route names none. */
  defaultModel: z.string().min(1).optional(),
};

export const ProviderConfigSchema = z.discriminatedUnion('kind', [
  z.object({ ...Common, kind: z.literal('local') }),
  z.object({
    ...Common,
    kind: z.literal('openai'),
    baseUrl: HttpUrlSchema.optional(),
    organization: z.string().optional(),
    caFile: CaFileSchema,
  }),
  z.object({ ...Common, kind: z.literal('anthropic'), baseUrl: HttpUrlSchema.optional(), caFile: CaFileSchema }),
  z.object({
    ...Common,
    kind: z.literal('huggingface'),
    /** A TGI / Inference Endpoint URL; without it the HF router is used. */
    endpointUrl: HttpUrlSchema.optional(),
    caFile: CaFileSchema,
  }),
  z.object({
    ...Common,
    kind: z.literal('openai-compatible'),
    /** e.g. http://127.0.0.1:11434/v1 (Ollama), http://127.0.0.1:1234/v1 (LM Studio), vLLM. */
    baseUrl: HttpUrlSchema,
    /** Some servers (Ollama) need no key. */
    requiresKey: z.boolean().default(false),
    caFile: CaFileSchema,
  }),
]);
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;
export type ProviderConfigInput = z.input<typeof ProviderConfigSchema>;
