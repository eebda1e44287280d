// The request of an equivalence proof (two versions of one function, an input generator, optional project tests) and
// its validation: a bad request is an INVALID_ARGUMENT error before anything is written or run.
import { z } from 'zod';
import { CodeFileSchema } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { CodeVersionSchema, InputGeneratorSchema, type CodeVersion, type InputGenerator } from '../../../../common/perf/types';

/** Hypothesis' own default; each example is one call of each version on the same fresh input. */
export const DEFAULT_MAX_EXAMPLES = 100;
/** Wall limit of the whole property run (a hang in either version is killed here and reported as 'error'). */
export const DEFAULT_EQUIVALENCE_WALL_MS = 60_000;

export const ProveEquivalentRequestSchema = z
  .object({
    before: CodeVersionSchema,
    after: CodeVersionSchema,
    inputs: InputGeneratorSchema,
    /** The project's own tests, run on the AFTER version with the codegen test runner (any failure → 'different'). */
    projectTests: z
      .object({ files: z.array(CodeFileSchema).min(1).max(100) })
      .strict()
      .optional(),
    /** The project: its .venv / node_modules are mounted read-only so both versions can import their dependencies. */
    projectRoot: z.string().startsWith('/').optional(),
    maxExamples: z.number().int().min(1).max(10_000).optional(),
    /** Python: also draw arguments from the old function's type hints (default true). Off when only the generator's
     * inputs are meaningful (e.g. `float` hints would bring inf / NaN the code never sees). */
    typeHintInputs: z.boolean().optional(),
    /** Seed of the property run (fast-check's seed; Hypothesis runs derandomized), so a verdict reproduces. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    wallMs: z.number().int().min(1000).max(600_000).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.before.language !== r.after.language) {
      ctx.addIssue({ code: 'custom', path: ['after', 'language'], message: 'before and after must be in the same language' });
    }
    if (r.before.module !== r.after.module || r.before.function !== r.after.function) {
      ctx.addIssue({ code: 'custom', path: ['after'], message: 'before and after must name the same module and function' });
    }
    for (const side of ['before', 'after'] as const) {
      if (!(r[side].module in r[side].files)) {
        ctx.addIssue({ code: 'custom', path: [side, 'module'], message: `${r[side].module} is not one of the ${side} files` });
      }
      for (const p of Object.keys(r[side].files)) {
        if (p.startsWith('.evolve-')) ctx.addIssue({ code: 'custom', path: [side, 'files', p], message: '.evolve-* is reserved' });
      }
    }
    const py = r.before.language === 'python';
    if (py && !/\.py$/.test(r.before.module)) {
      ctx.addIssue({ code: 'custom', path: ['before', 'module'], message: 'a Python module must be a .py file' });
    }
    if (!py && !/\.(?:[cm]?[jt]s|[jt]sx)$/.test(r.before.module)) {
      ctx.addIssue({ code: 'custom', path: ['before', 'module'], message: 'a TS/JS module must be a .ts/.js file' });
    }
  });

export interface ProveEquivalentRequest {
  before: CodeVersion;
  after: CodeVersion;
  inputs: InputGenerator;
  projectTests?: { files: { path: string; content: string }[] };
  projectRoot?: string;
  maxExamples?: number;
  typeHintInputs?: boolean;
  seed?: number;
  wallMs?: number;
}

/** The request, validated; throws INVALID_ARGUMENT naming every problem. */
export function parseRequest(req: unknown): ProveEquivalentRequest {
  const parsed = ProveEquivalentRequestSchema.safeParse(req);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
    throw new EvolveError('INVALID_ARGUMENT', `Invalid equivalence request: ${why}`);
  }
  return parsed.data;
}
