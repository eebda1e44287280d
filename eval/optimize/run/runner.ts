// The optimisation eval's loop: for each corpus problem one lab run (profile → K proposals from the model → equivalence
// → benchmark → offer decision) with the problem's slow module as "before", its tests and its input generator, then a
// compact record of every decision saved to the results file before the next problem starts.
import { EvolveError, isEvolveError, type ErrorCode } from '../../../common/errors';
import { largestSizeSpeedup } from '../../../common/perf/offer';
import { OptimizeReportSchema, type OptimizeReport, type OptimizeRequest, type Suggestion } from '../../../common/perf/optimize';
import { codeVersion, inputGenerator, type OptimizeProblem } from '../corpus';
import { openResults, saveResults, type ProblemRecord, type ResultsFile, type RunSettings, type SuggestionRecord } from './results';
import { summarize, type OptimizeSummary } from './summary';

/** A crash-like failure stops the run (its figures would be wrong); any other typed failure is that problem's record. */
const STOPS_THE_RUN: ReadonlySet<ErrorCode> = new Set(['CANCELLED', 'INTERNAL', 'INVALID_ARGUMENT']);
const MAX_AFTER_CHARS = 20_000;

export interface OptimizeEvalDeps {
  /** One lab run (optimize() on the real ports with the eval's model); its report is checked against the contract. */
  optimize(request: OptimizeRequest, signal?: AbortSignal): Promise<unknown>;
  /** Progress lines (stderr). */
  log(line: string): void;
  now?: () => number;
}

export interface OptimizeEvalOptions {
  problems: OptimizeProblem[];
  /** The results file (JSON), rewritten after every problem. */
  out: string;
  resume: boolean;
  settings: RunSettings;
  /** Passed to the engine; settings.model is the label kept in the file. */
  modelId?: string;
  signal?: AbortSignal;
}

export interface OptimizeEvalOutcome {
  results: ResultsFile;
  summary: OptimizeSummary;
  /** Problems run now (the others were already in the file). */
  ran: string[];
}

/** The lab request for one problem: its module as before, its tests, its generator with the run's sizes. */
export function requestFor(p: OptimizeProblem, settings: RunSettings, modelId?: string): OptimizeRequest {
  const inputs = inputGenerator(p);
  return {
    before: codeVersion(p, 'module'),
    inputs: settings.sizes ? { ...inputs, sizes: [...settings.sizes] } : inputs,
    tests: Object.entries(p.tests).map(([path, content]) => ({ path, content })),
    proposals: settings.proposals,
    ...(modelId ? { modelId } : {}),
  };
}

function suggestionRecord(s: Suggestion, module: string): SuggestionRecord {
  const eq = s.equivalence;
  const after = s.after?.files[module];
  const testsRun = s.tests;
  return {
    index: s.index,
    decision: s.decision,
    ...(s.error ? { error: s.error.slice(0, 2000) } : {}),
    ...(eq
      ? {
          equivalence: {
            status: eq.status,
            examples: eq.examples,
            ...(eq.coverage ? { coverage: eq.coverage } : {}),
            ...(eq.counterexample ? { counterexample: eq.counterexample } : {}),
            ...(eq.message ? { message: eq.message.slice(0, 2000) } : {}),
          },
        }
      : {}),
    ...(s.bench
      ? {
          bench: {
            n: Math.max(...s.bench.sizes.map((x) => x.n)),
            speedup: largestSizeSpeedup(s.bench),
            slope: s.bench.slope,
            verdict: s.bench.verdict,
            ...(s.bench.clock ? { clock: s.bench.clock } : {}),
            durationMs: s.bench.durationMs,
          },
        }
      : {}),
    ...(testsRun
      ? { visibleTests: { status: testsRun.status, passed: testsRun.cases.filter((c) => c.passed).length, cases: testsRun.cases.length } }
      : {}),
    ...(after !== undefined ? { afterModule: after.slice(0, MAX_AFTER_CHARS) } : {}),
  };
}

export function recordOf(p: OptimizeProblem, report: OptimizeReport, sizes: number[], ms: number): ProblemRecord {
  return {
    id: p.meta.id,
    language: p.meta.language,
    category: p.meta.category,
    sizes,
    status: 'done',
    offered: report.offered,
    suggestions: report.suggestions.map((s) => suggestionRecord(s, p.meta.module)),
    ...(report.profileError ? { profileError: report.profileError.slice(0, 2000) } : {}),
    ms,
    finishedAt: new Date().toISOString(),
  };
}

async function runProblem(
  p: OptimizeProblem,
  opts: OptimizeEvalOptions,
  deps: OptimizeEvalDeps,
  now: () => number,
): Promise<ProblemRecord> {
  const request = requestFor(p, opts.settings, opts.modelId);
  const sizes = request.inputs!.sizes;
  const started = now();
  try {
    const raw = await deps.optimize(request, opts.signal);
    const parsed = OptimizeReportSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((x) => `${x.path.join('.')}: ${x.message}`);
      throw new EvolveError('INTERNAL', `lab report breaks the optimize contract for ${p.meta.id}: ${issues.join('; ')}`);
    }
    const report = parsed.data;
    if (report.suggestions.length !== opts.settings.proposals) {
      throw new EvolveError('INTERNAL', `${p.meta.id}: ${report.suggestions.length} decisions for ${opts.settings.proposals} proposals`);
    }
    return recordOf(p, report, sizes, now() - started);
  } catch (err) {
    if (!isEvolveError(err) || STOPS_THE_RUN.has(err.code)) throw err;
    return {
      id: p.meta.id,
      language: p.meta.language,
      category: p.meta.category,
      sizes,
      status: 'error',
      error: { code: err.code, message: err.message.slice(0, 2000) },
      offered: null,
      suggestions: [],
      ms: now() - started,
      finishedAt: new Date().toISOString(),
    };
  }
}

function outcomeLine(r: ProblemRecord): string {
  if (r.status === 'error') return `  error ${r.error?.code}: ${r.error?.message}`;
  const parts = r.suggestions.map((s) => {
    const b = s.bench
      ? ` ${s.bench.speedup.median.toFixed(2)}× [${s.bench.speedup.low.toFixed(2)}–${s.bench.speedup.high.toFixed(2)}]`
      : '';
    return `#${s.index} ${s.decision.cause}${b}`;
  });
  return `  ${r.offered !== null ? 'OFFERED' : 'not offered'} · ${parts.join(' · ')} · ${(r.ms / 1000).toFixed(0)} s`;
}

export async function runOptimizeEval(opts: OptimizeEvalOptions, deps: OptimizeEvalDeps): Promise<OptimizeEvalOutcome> {
  const now = deps.now ?? (() => performance.now());
  const results = openResults(opts.out, opts.settings, opts.resume);
  const todo = opts.problems.filter((p) => results.problems[p.meta.id]?.status !== 'done');
  if (todo.length < opts.problems.length) deps.log(`resume: ${opts.problems.length - todo.length} problems already done in ${opts.out}`);
  const ran: string[] = [];
  for (const [i, p] of todo.entries()) {
    if (opts.signal?.aborted) throw new EvolveError('CANCELLED', 'eval cancelled');
    deps.log(`[${i + 1}/${todo.length}] ${p.meta.id} (${p.meta.language}, ${p.meta.category})`);
    const record = await runProblem(p, opts, deps, now);
    results.problems[p.meta.id] = record;
    saveResults(opts.out, results);
    ran.push(p.meta.id);
    deps.log(outcomeLine(record));
  }
  const records = opts.problems.flatMap((p) => results.problems[p.meta.id] ?? []);
  const summary = summarize(records);
  results.summary = summary;
  saveResults(opts.out, results);
  return { results, summary, ran };
}
