// The optimisation eval's results file: settings of the run, one record per problem (written after each problem,
// atomically, so a run of hours can stop and resume), and the summary once the run ends. Schemas check what is read back.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import { OfferDecisionSchema } from '../../../common/perf/optimize';
import { CoverageFigureSchema, EquivalenceResultSchema, RatioIntervalSchema } from '../../../common/perf/types';
import { OptimizeCategorySchema } from '../corpus';

/** One proposal as the eval keeps it: the decision and both proofs' figures, and the proposed module for inspection. */
export const SuggestionRecordSchema = z.object({
  index: z.number().int().nonnegative(),
  decision: OfferDecisionSchema,
  /** Why the model gave nothing to prove (no usable code, module unchanged). */
  error: z.string().optional(),
  equivalence: z
    .object({
      status: EquivalenceResultSchema.shape.status,
      examples: z.number().int().nonnegative(),
      coverage: z.object({ branches: CoverageFigureSchema, lines: CoverageFigureSchema }).optional(),
      counterexample: EquivalenceResultSchema.shape.counterexample,
      message: z.string().optional(),
    })
    .optional(),
  /** The benchmark at the largest size (the verdict's size) and the fitted slopes; absent when never timed. */
  bench: z
    .object({
      n: z.number().int().positive(),
      speedup: RatioIntervalSchema,
      slope: z.object({ before: z.number(), after: z.number() }),
      verdict: z.string(),
      clock: z.string().optional(),
      durationMs: z.number().nonnegative(),
    })
    .optional(),
  /** The engine's run of the project's tests on the proposal. */
  visibleTests: z.object({ status: z.string(), passed: z.number().int().nonnegative(), cases: z.number().int().nonnegative() }).optional(),
  /** The proposed module's source (capped), to see what the model did. */
  afterModule: z.string().optional(),
});
export type SuggestionRecord = z.infer<typeof SuggestionRecordSchema>;

export const ProblemRecordSchema = z.object({
  id: z.string(),
  language: z.enum(['python', 'typescript']),
  category: OptimizeCategorySchema,
  sizes: z.array(z.number().int().positive()),
  /** 'error': the lab run itself failed with a typed error (no decision came back). */
  status: z.enum(['done', 'error']),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Index of the offered suggestion (best proven speed-up), null when none was offered. */
  offered: z.number().int().nonnegative().nullable(),
  suggestions: z.array(SuggestionRecordSchema),
  profileError: z.string().optional(),
  /** Wall time of the whole lab run for this problem (profile, proposals, proofs, benchmarks). */
  ms: z.number().nonnegative(),
  finishedAt: z.string(),
});
export type ProblemRecord = z.infer<typeof ProblemRecordSchema>;

export const RunSettingsSchema = z.object({
  model: z.string(),
  proposals: z.number().int().positive(),
  /** The sizes override (the CI slice), or null for each problem's meta.json sizes. */
  sizes: z.array(z.number().int().positive()).nullable(),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

export const ResultsFileSchema = z.object({
  version: z.literal(1),
  kind: z.literal('optimize'),
  settings: RunSettingsSchema,
  startedAt: z.string(),
  problems: z.record(z.string(), ProblemRecordSchema),
  summary: z.unknown().optional(),
});
export type ResultsFile = z.infer<typeof ResultsFileSchema>;

const sameSettings = (a: RunSettings, b: RunSettings): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Opens the results file: a new one when absent; with `resume`, the existing one (its settings must equal these, or
 * the figures would mix two configurations). An existing file without `resume` is refused (CONFLICT).
 */
export function openResults(file: string, settings: RunSettings, resume: boolean): ResultsFile {
  const fresh: ResultsFile = { version: 1, kind: 'optimize', settings, startedAt: new Date().toISOString(), problems: {} };
  if (!existsSync(file)) return fresh;
  if (!resume) throw new EvolveError('CONFLICT', `${file} exists: pass --resume to continue it, or another --out`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new EvolveError('INVALID_ARGUMENT', `${file} is not readable JSON (${(err as Error).message})`);
  }
  const parsed = ResultsFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EvolveError('INVALID_ARGUMENT', `${file} is not an optimize eval results file: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  if (!sameSettings(parsed.data.settings, settings)) {
    throw new EvolveError(
      'INVALID_ARGUMENT',
      `${file} was run with other settings (${JSON.stringify(parsed.data.settings)} ≠ ${JSON.stringify(settings)}); use another --out`,
    );
  }
  return parsed.data;
}

/** Writes the whole file through a temp file and a rename, so a kill mid-write leaves the previous version. */
export function saveResults(file: string, results: ResultsFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(results, null, 2) + '\n');
  renameSync(tmp, file);
}
