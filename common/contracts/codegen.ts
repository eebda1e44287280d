// Contract for the `codegen` domain: a generation as a stream (rounds, tokens, checks, tests, scan, score, then the
// result), the stored generations (list, get) and the user's accept/reject decision with a reason.
import { z } from 'zod';
import { GenerateEventSchema, GenerateRequestSchema, GenerateResultSchema } from '../codegen/engine';
import { CodegenGenerationDetailSchema, CodegenGenerationSchema, CODEGEN_LIMITS } from '../store/codegen-requests';
import { call, defineDomain, stream } from './define';

const Id = z.string().min(1).max(200);
const GenRef = z.object({ generationId: Id }).strict();

export const codegenContract = defineDomain('codegen', {
  /**
   * Generates code: k candidates, each checked, tested in the sandbox and repaired up to N rounds, then the best by
   * tests (CodeT agreement) is scanned and scored. Every round is stored; cancel stops the model and the sandbox.
   */
  generate: stream({
    input: GenerateRequestSchema,
    event: GenerateEventSchema,
    output: GenerateResultSchema,
    doc: 'Generate, check, test, repair, select, scan and score code.',
  }),
  /** Stored generations, newest first (projectId null: those without a project; absent: all). */
  list: call({
    input: z.object({ projectId: Id.nullable().optional(), limit: z.number().int().positive().max(1000).optional() }).strict(),
    output: z.array(CodegenGenerationSchema),
    doc: 'List generations.',
  }),
  /** One generation with every round of every candidate and its decisions. */
  get: call({ input: GenRef, output: CodegenGenerationDetailSchema, doc: 'A generation with its rounds.' }),
  /** The user accepts a finished generation (the reason is optional; it becomes experience for later prompts). */
  accept: call({
    input: GenRef.extend({ reason: z.string().max(CODEGEN_LIMITS.reason).optional() }).strict(),
    output: CodegenGenerationSchema,
    doc: 'Accept a generation.',
  }),
  /** The user rejects a generation, saying why (required: later prompts learn from it). */
  reject: call({
    input: GenRef.extend({ reason: z.string().trim().min(1).max(CODEGEN_LIMITS.reason) }).strict(),
    output: CodegenGenerationSchema,
    doc: 'Reject a generation with a reason.',
  }),
});
