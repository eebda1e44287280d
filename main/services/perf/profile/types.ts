// Request schema of profileCode: what to profile (a function on generated input, a script, or a test) and how long.
import { z } from 'zod';
import { CodeVersionSchema, InputGeneratorSchema, PerfLanguageSchema } from '../../../../common/perf/types';

const RelPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), { message: 'a relative path inside the code' });
const Files = z.record(RelPath, z.string());

/** A function called on make_input(n, seed + i) for i < calls; inputs are built before profiling starts. */
export const FunctionTargetSchema = z
  .object({
    kind: z.literal('function'),
    code: CodeVersionSchema,
    input: InputGeneratorSchema,
    n: z.number().int().positive(),
    seed: z.number().int().nonnegative().default(0),
    calls: z.number().int().min(1).max(100).default(3),
  })
  .strict();

/** A script run as __main__ (Python) or as the entry module (node) with its arguments. */
export const ScriptTargetSchema = z
  .object({
    kind: z.literal('script'),
    language: PerfLanguageSchema,
    files: Files,
    path: RelPath,
    args: z.array(z.string()).max(64).default([]),
  })
  .strict();

/**
 * A test: a pytest node id ('tests/test_x.py::test_a') or a node:test file, optionally 'file::name' to run the tests
 * whose name matches exactly. Failing tests still yield a profile (time is what is measured here).
 */
export const TestTargetSchema = z
  .object({
    kind: z.literal('test'),
    language: PerfLanguageSchema,
    files: Files,
    test: z.string().min(1),
  })
  .strict();

export const ProfileTargetSchema = z.discriminatedUnion('kind', [FunctionTargetSchema, ScriptTargetSchema, TestTargetSchema]);
export type ProfileTarget = z.output<typeof ProfileTargetSchema>;

export const ProfileRequestSchema = z
  .object({
    target: ProfileTargetSchema,
    /** The project whose .venv / venv or node_modules the runs mount read-only (else the tools venv). */
    projectRoot: z.string().startsWith('/').optional(),
    /** A separate tracemalloc / heap-sampling run for the memory peak (it slows the code down, so never timed). */
    memory: z.boolean().default(true),
    /** Wall limit of each sandboxed run (sampling, call counts, memory are separate runs). */
    wallMs: z.number().int().min(1000).max(600_000).default(60_000),
    /** Rows of the hot-functions table. */
    limit: z.number().int().min(1).max(500).default(30),
  })
  .strict();
export type ProfileRequestInput = z.input<typeof ProfileRequestSchema>;
export type ProfileRequest = z.output<typeof ProfileRequestSchema>;

/** Language of a target. */
export function targetLanguage(t: ProfileTarget): z.infer<typeof PerfLanguageSchema> {
  return t.kind === 'function' ? t.code.language : t.language;
}

/** Files of a target (for a function: the code version's files). */
export function targetFiles(t: ProfileTarget): Record<string, string> {
  return t.kind === 'function' ? t.code.files : t.files;
}
