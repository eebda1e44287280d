// Command-line options of `npm run eval:codegen` (parsed with node:util, checked with zod) and the fixed CI slice.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import { type CodegenProblem } from '../schema';

/** CI: one Python and one TypeScript problem with the 0.5B model, k=2, N=1 — it catches crashes and contract breaks. */
export const CI_SLICE = {
  only: ['py-chunk-list', 'ts-kebab-case'],
  model: 'qwen2.5-coder-0.5b-instruct-q4_k_m',
  samples: 2,
  maxRounds: 1,
} as const;

/** The draft of `--speculation draft`: the catalog's 0.5B of the same family and tokenizer as the default 1.5B. */
export const DEFAULT_DRAFT_MODEL = 'qwen2.5-coder-0.5b-instruct-q4_k_m';

export const USAGE = `npm run eval:codegen -- [options]
  --samples K        candidates per problem (default 3)
  --max-rounds N     repair rounds after the first answer (default 3)
  --model ID|PATH    catalog id or .gguf path (default: the default coding model)
  --only a,b         only these problem ids
  --limit N          only the first N problems (after --only)
  --out FILE         results JSON (default artifacts/eval/codegen-<model>-k<K>-n<N>[-ctx].json)
  --resume           continue an existing results file (same model, k, N, seed, context)
  --seed S           base seed of the sampled candidates (default 1)
  --lanes N          model calls at once (k candidates + the model tests, batched); default: 1 on CPU, all on GPU
  --speculation M    decoding of the eval's model: off (default), lookup (input lookup: the answer's tokens that repeat
                     the prompt are verified in one batch), draft (a smaller model drafts, see --draft)
  --draft ID|PATH    the draft model of --speculation draft (default ${DEFAULT_DRAFT_MODEL})
  --context DIR      index DIR once as a project and give every prompt its retrieved code and repo map (the figures
                     "with retrieved context"; default out file gets a -ctx suffix)
  --ci               the fixed CI slice: ${CI_SLICE.only.join(', ')} with ${CI_SLICE.model}, k=${CI_SLICE.samples}, N=${CI_SLICE.maxRounds}`;

const count = (min: number) => z.coerce.number().int().min(min);

const OptionsSchema = z
  .object({
    samples: count(1).max(16).default(3),
    maxRounds: count(0).max(10).default(3),
    model: z.string().min(1).optional(),
    only: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .optional(),
    limit: count(1).optional(),
    out: z.string().min(1).optional(),
    resume: z.boolean().default(false),
    seed: count(0).default(1),
    lanes: count(1).max(15).optional(),
    speculation: z.enum(['off', 'lookup', 'draft']).default('off'),
    draft: z.string().min(1).optional(),
    /** Absolute (resolved against the working directory): the folder indexed as the context project. */
    context: z
      .string()
      .min(1)
      .transform((d) => path.resolve(d))
      .optional(),
    ci: z.boolean().default(false),
    help: z.boolean().default(false),
  })
  .strict();
export type EvalCliOptions = z.output<typeof OptionsSchema>;

/** INVALID_ARGUMENT for an unknown flag or a bad value (the message names it); --ci overrides model, k, N and the set. */
export function parseEvalArgs(argv: string[]): EvalCliOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        samples: { type: 'string' },
        'max-rounds': { type: 'string' },
        model: { type: 'string' },
        only: { type: 'string' },
        limit: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean' },
        seed: { type: 'string' },
        lanes: { type: 'string' },
        speculation: { type: 'string' },
        draft: { type: 'string' },
        context: { type: 'string' },
        ci: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new EvolveError('INVALID_ARGUMENT', `${(err as Error).message}\n${USAGE}`);
  }
  const { 'max-rounds': maxRounds, ...rest } = values;
  const parsed = OptionsSchema.safeParse({ ...rest, ...(maxRounds !== undefined ? { maxRounds } : {}) });
  if (!parsed.success) {
    const flag = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const why = parsed.error.issues.map((i) => `${flag(i.path.join('.'))}: ${i.message}`).join('; ');
    throw new EvolveError('INVALID_ARGUMENT', `${why}\n${USAGE}`);
  }
  const o = parsed.data;
  if (o.draft !== undefined && o.speculation !== 'draft') {
    throw new EvolveError('INVALID_ARGUMENT', `--draft names the draft model of --speculation draft, not of ${o.speculation}`);
  }
  if (!o.ci) return o;
  // Refused rather than ignored: a CI run that silently dropped a flag would report a figure nobody asked for.
  if (o.context !== undefined) {
    throw new EvolveError('INVALID_ARGUMENT', '--ci runs a fixed slice; --context is not part of it');
  }
  if (o.speculation !== 'off') {
    throw new EvolveError('INVALID_ARGUMENT', '--ci runs a fixed slice; --speculation is not part of it');
  }
  return {
    ...o,
    only: [...CI_SLICE.only],
    model: CI_SLICE.model,
    samples: CI_SLICE.samples,
    maxRounds: CI_SLICE.maxRounds,
    limit: undefined,
  };
}

/** The problems to run, in id order; NOT_FOUND names any --only id that does not exist. */
export function selectProblems(all: CodegenProblem[], o: Pick<EvalCliOptions, 'only' | 'limit'>): CodegenProblem[] {
  let chosen = all;
  if (o.only) {
    const ids = new Set(all.map((p) => p.id));
    const missing = o.only.filter((id) => !ids.has(id));
    if (missing.length > 0) throw new EvolveError('NOT_FOUND', `no such problem: ${missing.join(', ')}`);
    chosen = all.filter((p) => o.only!.includes(p.id));
  }
  return o.limit !== undefined ? chosen.slice(0, o.limit) : chosen;
}

/** A short label of the model for file names and the report: the catalog id, or a .gguf file's base name. */
export function modelLabel(model: string): string {
  return path.basename(model).replace(/\.gguf$/i, '');
}

/**
 * With a context project the name gets `-ctx`, so the figures with and without retrieved context never share a file;
 * a speculative run gets `-lookup` / `-draft` for the same reason.
 */
export function defaultOutFile(
  repoRoot: string,
  o: { model: string; samples: number; maxRounds: number; context?: unknown; speculation?: { mode: string; draft?: string } },
): string {
  const safe = modelLabel(o.model).replace(/[^A-Za-z0-9._-]+/g, '_');
  const ctx = o.context !== undefined ? '-ctx' : '';
  // Likewise a speculative run: its seconds are the figure compared against the plain run's.
  const spec = o.speculation ? `-${o.speculation.mode}` : '';
  return path.join(repoRoot, 'artifacts', 'eval', `codegen-${safe}-k${o.samples}-n${o.maxRounds}${ctx}${spec}.json`);
}
