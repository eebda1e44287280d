// Quality score of a candidate (issue 11, item 10): 0–100 from measured signals only, with its breakdown.
import { z } from 'zod';
import { FindingSchema, LanguageSchema, type Finding, type Language } from '../../../common/codegen/types';
import { EvolveError } from '../../../common/errors';

/**
 * Weights of the signals (they sum to 100). Only signals that were measured count: the score is
 * 100 × Σ points / Σ weights of the measured signals, so a signal that did not run neither adds nor removes points,
 * and `breakdown` lists it with `measured: false`. Why these weights: compiling and passing tests are what a user
 * can rely on (60 together); a security finding is worse than a style finding; complexity, docs and coverage are
 * tie-breakers between candidates that already work.
 */
export const SCORE_WEIGHTS = {
  compiles: 30,
  tests: 30,
  security: 15,
  lint: 10,
  complexity: 5,
  docs: 5,
  coverage: 5,
} as const;
export type ScoreSignal = keyof typeof SCORE_WEIGHTS;

/** Tests by origin: the user's own count most, docstring examples next, tests the model wrote least (they may be wrong). */
export const TEST_ORIGIN_WEIGHTS = { user: 3, docstring: 2, model: 1 } as const;
/** Penalty per finding: a value of 1 − Σ penalty / 10, floored at 0 (one high security finding zeroes the signal). */
export const LINT_PENALTY = { info: 0, low: 1, medium: 2, high: 4 } as const;
export const SECURITY_PENALTY = { info: 0, low: 1, medium: 3, high: 10 } as const;
/** Mean cyclomatic complexity per function: full marks up to 10 (McCabe's limit), none from 30. */
export const COMPLEXITY_FULL = 10;
export const COMPLEXITY_ZERO = 30;
/** A candidate that does not compile scores below this, and any that compiles scores at least this. */
export const NOT_COMPILING_CAP = 29;

const Count = z
  .object({ passed: z.number().int().nonnegative(), total: z.number().int().nonnegative() })
  .refine((c) => c.passed <= c.total, {
    message: 'passed must not exceed total',
  });

export const ScoreInputSchema = z.object({
  language: LanguageSchema,
  /** The candidate's code (complexity and docs are computed from it). */
  code: z.string().max(2_000_000),
  compiles: z.boolean(),
  /** Lint findings; absent when lint did not run. */
  lint: z.array(FindingSchema).max(10_000).optional(),
  /** Security findings; absent when the scan did not run. */
  security: z.array(FindingSchema).max(10_000).optional(),
  /** Tests by origin; an origin with total 0 or absent did not run. */
  tests: z.object({ user: Count.optional(), docstring: Count.optional(), model: Count.optional() }).optional(),
  /** Line coverage 0–1 where measured. */
  coverage: z.number().min(0).max(1).optional(),
  /** Complexity measured on the syntax tree (complexity.ts); absent: the token-based approximation below is used. */
  complexity: z
    .object({ mean: z.number().nonnegative(), max: z.number().nonnegative(), functions: z.number().int().nonnegative() })
    .optional(),
});
export type ScoreInput = z.input<typeof ScoreInputSchema>;

export const ScoreBreakdownItemSchema = z.object({
  signal: z.enum(Object.keys(SCORE_WEIGHTS) as [ScoreSignal, ...ScoreSignal[]]),
  measured: z.boolean(),
  /** The signal's value 0–1 (0 when not measured). */
  value: z.number().min(0).max(1),
  weight: z.number().nonnegative(),
  /** value × weight (0 when not measured). */
  points: z.number().nonnegative(),
  /** What was measured, in words (e.g. "5/6 tests passed (weighted 0.89)"). */
  detail: z.string(),
});
export const QualityScoreSchema = z.object({ score: z.number().int().min(0).max(100), breakdown: z.array(ScoreBreakdownItemSchema) });
export type QualityScore = z.infer<typeof QualityScoreSchema>;
type Item = z.infer<typeof ScoreBreakdownItemSchema>;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const round2 = (v: number) => Math.round(v * 100) / 100;

function item(signal: ScoreSignal, value: number | undefined, detail: string): Item {
  if (value === undefined) return { signal, measured: false, value: 0, weight: SCORE_WEIGHTS[signal], points: 0, detail };
  const v = clamp01(value);
  return { signal, measured: true, value: round2(v), weight: SCORE_WEIGHTS[signal], points: round2(v * SCORE_WEIGHTS[signal]), detail };
}

function findingsValue(findings: Finding[], penalty: Record<Finding['severity'], number>): { value: number; detail: string } {
  const by = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) by[f.severity]++;
  const p = findings.reduce((s, f) => s + penalty[f.severity], 0);
  return { value: 1 - p / 10, detail: `${by.high} high, ${by.medium} medium, ${by.low} low, ${by.info} info` };
}

/** Computes the score. Pure; INVALID_ARGUMENT for an input that fails its schema. */
export function scoreCandidate(raw: ScoreInput): QualityScore {
  const parsed = ScoreInputSchema.safeParse(raw);
  if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `Score input: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const input = parsed.data;
  const items: Item[] = [item('compiles', input.compiles ? 1 : 0, input.compiles ? 'compiles' : 'does not compile')];

  let wSum = 0;
  let wPassed = 0;
  const parts: string[] = [];
  for (const origin of ['user', 'docstring', 'model'] as const) {
    const c = input.tests?.[origin];
    if (!c || c.total === 0) continue;
    wSum += TEST_ORIGIN_WEIGHTS[origin] * c.total;
    wPassed += TEST_ORIGIN_WEIGHTS[origin] * c.passed;
    parts.push(`${origin} ${c.passed}/${c.total}`);
  }
  items.push(item('tests', wSum > 0 ? wPassed / wSum : undefined, wSum > 0 ? parts.join(', ') : 'no tests ran'));

  if (input.security) {
    const s = findingsValue(input.security, SECURITY_PENALTY);
    items.push(item('security', s.value, s.detail));
  } else items.push(item('security', undefined, 'scan did not run'));
  if (input.lint) {
    const l = findingsValue(input.lint, LINT_PENALTY);
    items.push(item('lint', l.value, l.detail));
  } else items.push(item('lint', undefined, 'lint did not run'));

  const measuredCx = input.complexity;
  const cx = measuredCx ?? cyclomaticComplexity(input.code, input.language);
  const how = measuredCx ? 'syntax tree' : 'token estimate';
  items.push(
    input.code.trim() === ''
      ? item('complexity', undefined, 'no code')
      : item(
          'complexity',
          1 - (cx.mean - COMPLEXITY_FULL) / (COMPLEXITY_ZERO - COMPLEXITY_FULL),
          `mean ${round2(cx.mean)} over ${cx.functions} unit(s), max ${cx.max} (${how})`,
        ),
  );
  const docs = hasEntryDocs(input.code, input.language);
  items.push(
    docs === undefined
      ? item('docs', undefined, 'no public entry found')
      : item('docs', docs ? 1 : 0, docs ? 'documented' : 'no docstring/JSDoc'),
  );
  items.push(
    input.coverage === undefined
      ? item('coverage', undefined, 'not measured')
      : item('coverage', input.coverage, `${Math.round(input.coverage * 100)} % of lines`),
  );

  const measured = items.filter((i) => i.measured);
  const weights = measured.reduce((s, i) => s + i.weight, 0);
  const points = measured.reduce((s, i) => s + i.value * i.weight, 0);
  let score = Math.round((100 * points) / weights);
  // Compiling is a gate, not just a weight: anything that compiles (≥ 30 % of the measured weight) outranks it.
  if (!input.compiles) score = Math.min(score, NOT_COMPILING_CAP);
  else score = Math.max(score, NOT_COMPILING_CAP + 1);
  return { score, breakdown: items };
}

// ---- Complexity fallback: a documented token-based approximation of McCabe's cyclomatic complexity, used when the
// caller did not measure it on the syntax tree (complexity.ts; Go/Rust/Java/C++ have no rules there yet) ----

const DECISIONS: Partial<Record<Language, RegExp>> = {
  python: /\b(?:if|elif|for|while|except|and|or|case)\b/g,
};
const C_LIKE = /\b(?:if|for|while|case|catch)\b|&&|\|\||\?\?|\?(?![.:?])/g;
const FUNCTIONS: Partial<Record<Language, RegExp>> = {
  python: /^\s*(?:async\s+)?def\s+\w+/gm,
  typescript:
    /\bfunction\b|=>|^\s*(?:(?:public|private|protected|static|async|get|set)\s+)*(?!if\b|for\b|while\b|switch\b|catch\b)\w+\s*\([^)]*\)\s*(?::[^{]+)?\{/gm,
};

/** Code with comments and string literals blanked, so keywords inside them are not counted. */
export function stripCommentsAndStrings(code: string, language: Language): string {
  const py = language === 'python';
  const re = py
    ? /("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|#[^\n]*)/g
    : /(\/\*[\s\S]*?\*\/|\/\/[^\n]*|`(?:\\.|[^`\\])*`|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/g;
  return code.replace(re, (m) => m.replace(/[^\n]/g, ' '));
}

/**
 * Cyclomatic complexity ≈ functions + decision points (if/elif/loops/case/catch/except, boolean operators, ternaries),
 * over code with comments and strings removed. Per function it is the mean (the sum over the file spread over its
 * functions); module-level code counts as one function when there is no function. An approximation: it does not
 * attribute decisions to the function holding them, which is enough to rank candidates for the same task.
 */
export function cyclomaticComplexity(code: string, language: Language): { total: number; functions: number; mean: number; max: number } {
  const clean = stripCommentsAndStrings(code, language);
  const decisions = (clean.match(language === 'python' ? (DECISIONS.python as RegExp) : C_LIKE) ?? []).length;
  const fnRe =
    language === 'python' ? FUNCTIONS.python : language === 'typescript' || language === 'javascript' ? FUNCTIONS.typescript : undefined;
  const fns = fnRe ? (clean.match(fnRe) ?? []).length : 0;
  const functions = Math.max(1, fns);
  const total = functions + decisions;
  const mean = total / functions;
  return { total, functions: fns, mean, max: Math.ceil(mean) };
}

/**
 * Whether the public entry (the first top-level def/class not starting with `_` in Python; the first exported — or
 * else first — function/class in JS/TS) has a docstring / JSDoc. undefined: no entry found or language not handled.
 */
export function hasEntryDocs(code: string, language: Language): boolean | undefined {
  if (language === 'python') {
    const m = /^(?:async\s+)?(?:def|class)\s+(?!_)\w+[^\n]*:\s*\n((?:[ \t]*\n)*)([ \t]+)(\S[^\n]*)/m.exec(code);
    if (!m) return /^(?:async\s+)?(?:def|class)\s+(?!_)\w+/m.test(code) ? false : undefined;
    return /^[rRuUbBfF]?("""|''')/.test(m[3] ?? '');
  }
  if (language === 'typescript' || language === 'javascript') {
    const entry =
      /^export\s+(?:default\s+)?(?:async\s+)?(?:function|class|const|let)\b/m.exec(code) ??
      /^(?:async\s+)?(?:function|class)\b/m.exec(code);
    if (!entry) return undefined;
    const before = code.slice(0, entry.index).trimEnd();
    return /\/\*\*[\s\S]*?\*\/$/.test(before);
  }
  return undefined;
}
