// The eval's results file: settings of the run, one record per problem (written after each problem, atomically, so
// a run of hours can stop and resume), and the summary once the run ends. Schemas check what is read back.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StageUsageSchema, TestOriginSchema } from '../../../common/codegen/engine';
import { EvolveError } from '../../../common/errors';
import { PROBLEM_DIFFICULTIES, PROBLEM_LANGUAGES, PROBLEM_TYPES } from '../schema';

/** How one answer did against the problem's hidden tests. */
export const AnswerGradeSchema = z.object({
  passed: z.boolean(),
  passedTests: z.number().int().nonnegative(),
  totalTests: z.number().int().nonnegative(),
  /** First failing hidden tests with the tail of their message. */
  failures: z.array(z.string()),
  /** Why the answer could not be graded normally (killed by a limit, no report, no hidden test ran). */
  error: z.string().optional(),
});
export type AnswerGrade = z.infer<typeof AnswerGradeSchema>;

const TestCountsSchema = z.partialRecord(
  TestOriginSchema,
  z.object({ passed: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
);

/**
 * One round of a candidate graded with the hidden tests, beside the signals the engine had for it (usable code, its
 * own tests by origin): keep and selection orders can then be compared in one run, against the best round there was.
 */
export const RoundGradeSchema = z.object({
  round: z.number().int().nonnegative(),
  /** No extraction/edit error, code present, no compile error (engine select.ts roundUsable). */
  usable: z.boolean(),
  /** Compile errors of its checks (type errors included): a finer signal than `usable` for tie-break studies. */
  compileErrors: z.number().int().nonnegative().optional(),
  /** Hidden tests passed/total (a round without code fails them all). */
  hidden: z.object({ passed: z.boolean(), passedTests: z.number().int().nonnegative(), totalTests: z.number().int().nonnegative() }),
  tests: TestCountsSchema.optional(),
});
export type RoundGrade = z.infer<typeof RoundGradeSchema>;

export const CandidateRecordSchema = z.object({
  index: z.number().int().nonnegative(),
  /** The engine's quality score (0–100) of the round the candidate keeps (engine/select.ts keptRound). */
  score: z.number(),
  rounds: z.number().int().positive(),
  /** Hidden-test grade of the round the candidate keeps. */
  hidden: AnswerGradeSchema,
  /** The round the candidate keeps (absent in older runs, which kept the last). */
  kept: z.number().int().nonnegative().optional(),
  /** When it keeps an earlier round: the hidden-test grade of its last round, what it offered before keptRound. */
  lastHidden: AnswerGradeSchema.optional(),
  agreement: z.number().optional(),
  /**
   * The kept round's own tests, passed/total by origin (the examples as 'docstring', the model-written suite as
   * 'model'): how far the model's tests agree with the hidden ones is read from this next to `hidden`.
   */
  tests: TestCountsSchema.optional(),
  /** Every round, graded (absent in runs before 2026-12-05). */
  roundGrades: z.array(RoundGradeSchema).optional(),
});
export type CandidateRecord = z.infer<typeof CandidateRecordSchema>;

export const ProblemRecordSchema = z.object({
  id: z.string(),
  lang: z.enum(PROBLEM_LANGUAGES),
  type: z.enum(PROBLEM_TYPES),
  difficulty: z.enum(PROBLEM_DIFFICULTIES),
  /** 'error': the generation itself failed (a typed error); it counts as failed for all three answers. */
  status: z.enum(['done', 'error']),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Wall time of the whole pipeline for this problem (k candidates × up to N+1 rounds, checks, tests, scan). */
  pipelineMs: z.number().nonnegative(),
  /** Candidate 0, round 0: the single shot, generation plus its checks and visible tests. */
  singleShotMs: z.number().nonnegative(),
  /**
   * Where the single shot's time went: the model's answer, the static checks (their own durations) and the visible
   * test runs; the rest of `singleShotMs` is the security scan of a round that passed and bookkeeping.
   */
  singleShotSplit: z
    .object({ generateMs: z.number().nonnegative(), checkMs: z.number().nonnegative(), testMs: z.number().nonnegative() })
    .optional(),
  checked: z.string().optional(),
  selected: z.number().int().nonnegative().optional(),
  answers: z.object({ singleShot: AnswerGradeSchema, repair: AnswerGradeSchema, selected: AnswerGradeSchema }),
  /** The graded solution file of each of the three answers, to read why one failed (absent in older runs). */
  code: z.object({ singleShot: z.string(), repair: z.string(), selected: z.string() }).optional(),
  candidates: z.array(CandidateRecordSchema),
  gradeMs: z.number().nonnegative(),
  finishedAt: z.string(),
  /** Model calls and tokens per stage (tests / generate / repair), from the engine's result: load-independent cost. */
  usage: z
    .object({ tests: StageUsageSchema.optional(), generate: StageUsageSchema.optional(), repair: StageUsageSchema.optional() })
    .optional(),
  /** Candidates generated at once. */
  parallel: z.number().int().positive().optional(),
  /** Set when a candidate passed the visible tests and the scan and nothing further started. */
  earlyStop: z.object({ candidate: z.number().int().nonnegative(), round: z.number().int().nonnegative() }).optional(),
  /** Rounds whose repair loop stopped on a rule, by rule ('unchanged', 'same-failure', 'early-stop'). */
  stops: z.record(z.string(), z.number().int().nonnegative()).optional(),
  /** --context runs: what retrieval put into the prompt (the engine's budget split: tokens and chunks shown). */
  retrieved: z
    .object({
      tokens: z.number().int().nonnegative(),
      repoMapTokens: z.number().int().nonnegative(),
      chunks: z.number().int().nonnegative(),
    })
    .optional(),
});
export type ProblemRecord = z.infer<typeof ProblemRecordSchema>;

/** The --context project: the folder, how many files its index holds, and whether vectors were on (else BM25 only). */
export const ContextSettingSchema = z.object({
  dir: z.string(),
  files: z.number().int().nonnegative(),
  vectors: z.boolean(),
});
export type ContextSetting = z.infer<typeof ContextSettingSchema>;

/** Speculative decoding of the eval's model; absent in a run without it (and in every file older than the option). */
export const SpeculationSettingSchema = z.object({
  mode: z.enum(['lookup', 'draft']),
  /** --speculation draft: the draft model's label (catalog id or file base name). */
  draft: z.string().optional(),
});
export type SpeculationSetting = z.infer<typeof SpeculationSettingSchema>;

export const RunSettingsSchema = z.object({
  model: z.string(),
  samples: z.number().int().positive(),
  maxRounds: z.number().int().nonnegative(),
  seed: z.number().int().nonnegative(),
  /** Absent: no project context (the figures the issue's time goals are about). */
  context: ContextSettingSchema.optional(),
  speculation: SpeculationSettingSchema.optional(),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

/** `off`, `lookup` or `draft <model>`: how the summary header, the stderr header and a resume name the decoding. */
export function speculationLabel(s: SpeculationSetting | undefined): string {
  return s ? `${s.mode}${s.draft ? ` ${s.draft}` : ''}` : 'off';
}

/** `DIR (N files indexed, vectors on)`: how the summary header and the stderr header name the context. */
export function contextLabel(c: ContextSetting | undefined): string {
  return c ? `${c.dir} (${c.files} files indexed, vectors ${c.vectors ? 'on' : 'off'})` : 'none';
}

/**
 * What must match for a resume. The context compares by folder and vectors only: the file count moves whenever the
 * folder is edited (e.g. this repo), and refusing a resume for that would be noise, not protection.
 */
function settingValue(s: RunSettings, k: keyof RunSettings): string {
  if (k === 'context') return s.context ? `${s.context.dir} (vectors ${s.context.vectors ? 'on' : 'off'})` : 'none';
  if (k === 'speculation') return speculationLabel(s.speculation);
  return String(s[k]);
}

export const ResultsFileSchema = z.object({
  version: z.literal(1),
  settings: RunSettingsSchema,
  startedAt: z.string(),
  problems: z.record(z.string(), ProblemRecordSchema),
  summary: z.unknown().optional(),
});
export type ResultsFile = z.infer<typeof ResultsFileSchema>;

/**
 * Opens the results file: a new one when absent; with `resume`, the existing one (its settings must equal these, or
 * the rates would mix two configurations). An existing file without `resume` is refused: hours of results are not
 * overwritten by accident.
 */
export function openResults(file: string, settings: RunSettings, resume: boolean): ResultsFile {
  if (!existsSync(file)) return { version: 1, settings, startedAt: new Date().toISOString(), problems: {} };
  if (!resume) {
    throw new EvolveError('CONFLICT', `${file} exists: pass --resume to continue it, or another --out`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new EvolveError('INVALID_ARGUMENT', `${file} is not readable JSON (${(err as Error).message})`);
  }
  const parsed = ResultsFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EvolveError('INVALID_ARGUMENT', `${file} is not an eval results file: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  const was = parsed.data.settings;
  // Keys of both sides: a file run with --context resumed without it (or the reverse) differs in a key only one has.
  const keys = [...new Set([...Object.keys(was), ...Object.keys(settings)])] as (keyof RunSettings)[];
  const differs = keys.filter((k) => settingValue(was, k) !== settingValue(settings, k));
  if (differs.length > 0) {
    const what = differs.map((k) => `${k} ${settingValue(was, k)} → ${settingValue(settings, k)}`).join(', ');
    throw new EvolveError('INVALID_ARGUMENT', `${file} was run with other settings (${what}); use another --out`);
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
