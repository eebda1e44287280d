// Command-line options of `npm run eval:optimize` (parsed with node:util, checked with zod) and the fixed CI slice.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import { modelLabel } from '../../codegen/run/options';
import type { OptimizeProblem } from '../corpus';

/**
 * CI: one fast Python problem with the 0.5B model, one proposal and small sizes — it catches crashes and contract
 * breaks (every problem must come back with a decision), never whether the model found a speed-up.
 */
export const CI_SLICE = {
  problems: ['py-dedupe-keep-order'],
  model: 'qwen2.5-coder-0.5b-instruct-q4_k_m',
  proposals: 1,
  sizes: [200, 400, 800],
} as const;

export const USAGE = `npm run eval:optimize -- [options]
  --model ID|PATH    catalog id or .gguf path (default: the default coding model)
  --problems a,b     only these problem ids (default: all of eval/optimize/problems)
  --proposals K      proposals per problem, each proved and benchmarked (default 1, at most 5)
  --out FILE         results JSON (default artifacts/eval/optimize-<model>-k<K>.json)
  --resume           continue an existing results file (same model and K)
  --ci               the fixed CI slice: ${CI_SLICE.problems.join(', ')} with ${CI_SLICE.model}, K=${CI_SLICE.proposals}, sizes ${CI_SLICE.sizes.join('/')}`;

const OptionsSchema = z
  .object({
    model: z.string().min(1).optional(),
    problems: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .refine((ids) => ids.length > 0, 'name at least one problem id')
      .optional(),
    proposals: z.coerce.number().int().min(1).max(5).default(1),
    out: z.string().min(1).optional(),
    resume: z.boolean().default(false),
    ci: z.boolean().default(false),
    help: z.boolean().default(false),
  })
  .strict();

export interface OptimizeEvalOptions extends z.output<typeof OptionsSchema> {
  /** Benchmark sizes replacing each problem's meta.json sizes (the CI slice's small ones); absent: meta.json's. */
  sizes?: number[];
}

/** INVALID_ARGUMENT for an unknown flag or a bad value (the message names it); --ci overrides model, K, sizes and the set. */
export function parseOptimizeArgs(argv: string[]): OptimizeEvalOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: 'string' },
        problems: { type: 'string' },
        proposals: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean' },
        ci: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new EvolveError('INVALID_ARGUMENT', `${(err as Error).message}\n${USAGE}`);
  }
  const parsed = OptionsSchema.safeParse(values);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ');
    throw new EvolveError('INVALID_ARGUMENT', `${why}\n${USAGE}`);
  }
  const o = parsed.data;
  if (!o.ci) return o;
  return { ...o, problems: [...CI_SLICE.problems], model: CI_SLICE.model, proposals: CI_SLICE.proposals, sizes: [...CI_SLICE.sizes] };
}

/** The problems to run, in id order; NOT_FOUND names any --problems id that does not exist. */
export function selectOptimizeProblems(all: OptimizeProblem[], ids: readonly string[] | undefined): OptimizeProblem[] {
  if (!ids) return all;
  const known = new Set(all.map((p) => p.meta.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw new EvolveError('NOT_FOUND', `no such problem: ${missing.join(', ')}`);
  return all.filter((p) => ids.includes(p.meta.id));
}

export function defaultOutFile(repoRoot: string, o: { model: string; proposals: number }): string {
  const safe = modelLabel(o.model).replace(/[^A-Za-z0-9._-]+/g, '_');
  return path.join(repoRoot, 'artifacts', 'eval', `optimize-${safe}-k${o.proposals}.json`);
}
