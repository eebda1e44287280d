// `npm run eval:codegen`: runs the codegen engine on the eval problems with a local model and prints pass@1 for single
// shot, repair and repair + selection from the same run, seconds per problem and the score/hidden-test correlation.
// Progress goes to stderr, the summary to stdout; results are saved after each problem (resume with --resume).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type GenerateEvent } from '../../../common/codegen/engine';
import { EvolveError, isEvolveError } from '../../../common/errors';
import { runGeneration } from '../../../main/services/codegen/engine';
import { localModel } from '../../../main/services/codegen/engine/models';
import { compileErrors } from '../../../main/services/codegen/engine/verify';
import { loadProblems } from '../load';
import { assertContextDir, contextVectors, openEvalContext, type EvalContext } from './context-index';
import { contextEngineDeps } from './context-prompt';
import { createGrader } from './grade';
import { resolveEvalModel, startEvalModel, type EvalModelOptions } from './model';
import { DEFAULT_DRAFT_MODEL, defaultOutFile, parseEvalArgs, selectProblems, USAGE } from './options';
import { contextLabel, openResults, speculationLabel, type RunSettings } from './results';
import { runEval } from './runner';
import { formatSummary } from './summary';

const REPO = path.resolve(import.meta.dirname, '../../..');

function progress(e: GenerateEvent): void {
  if (e.kind === 'round') process.stderr.write(`  candidate ${e.candidate} round ${e.round}: ${e.phase}\n`);
  // The first compile error of a round: what its repair is fed, and why a candidate never reached the tests.
  else if (e.kind === 'check') {
    const f = compileErrors([e.result])[0];
    if (f) process.stderr.write(`    ${e.result.name}: ${f.file}:${f.line} ${f.ruleId} ${f.message.split('\n')[0]!.slice(0, 160)}\n`);
  } else if (e.kind === 'selected') process.stderr.write(`  selected candidate ${e.candidate}: ${e.reason}\n`);
}

async function main(argv: string[]): Promise<number> {
  const opts = parseEvalArgs(argv);
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const problems = selectProblems(loadProblems(), opts);
  if (problems.length === 0) throw new EvolveError('NOT_FOUND', 'no problem selected');
  const model = await resolveEvalModel(opts.model, REPO);
  // --speculation: the load option of the model, and the setting that names it in the results file.
  const speculation: EvalModelOptions['speculation'] =
    opts.speculation === 'draft'
      ? { mode: 'draft', draft: await resolveEvalModel(opts.draft ?? DEFAULT_DRAFT_MODEL, REPO) }
      : opts.speculation === 'lookup'
        ? { mode: 'lookup' }
        : undefined;
  if (opts.context !== undefined) assertContextDir(opts.context);
  // The context's file count is known after indexing; a resume compares folder and vectors, known now.
  const settings: RunSettings = {
    model: model.label,
    samples: opts.samples,
    maxRounds: opts.maxRounds,
    seed: opts.seed,
    ...(opts.context !== undefined ? { context: { dir: opts.context, files: 0, vectors: contextVectors() } } : {}),
    ...(speculation
      ? { speculation: { mode: speculation.mode, ...(speculation.mode === 'draft' ? { draft: speculation.draft.label } : {}) } }
      : {}),
  };
  // The CI slice starts fresh every time; a real run keeps its file for --resume.
  const ciDir = !opts.out && opts.ci ? mkdtempSync(path.join(tmpdir(), 'evolve-eval-ci-')) : undefined;
  const out = opts.out ? path.resolve(opts.out) : ciDir ? path.join(ciDir, 'results.json') : defaultOutFile(REPO, settings);
  process.stderr.write(
    `eval:codegen: ${problems.length} problems, model ${model.label} (${model.path}), k=${settings.samples}, N=${settings.maxRounds}, ` +
      `speculation ${speculationLabel(settings.speculation)} → ${out}\n`,
  );
  let context: EvalContext | undefined;
  if (settings.context) {
    // Before minutes of indexing: an existing file without --resume, or one run with other settings, stops here.
    openResults(out, settings, opts.resume);
    process.stderr.write(
      `context: indexing ${settings.context.dir} (${settings.context.vectors ? 'vectors on' : 'vectors off: no embedding model installed, BM25 only'})\n`,
    );
    context = await openEvalContext(settings.context.dir, (line) => process.stderr.write(`${line}\n`));
    settings.context = context.setting;
    process.stderr.write(`context: ${contextLabel(settings.context)}\n`);
  }
  // --lanes N: N model calls at once (the model tests and candidates, batched decode); default the engine's rule.
  const host = await startEvalModel(model, REPO, {
    ...(opts.lanes !== undefined ? { lanes: opts.lanes } : {}),
    ...(speculation ? { speculation } : {}),
  }).catch(async (err: unknown) => {
    await context?.close();
    throw err;
  });
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const { summary } = await runEval(
      { problems, out, resume: opts.resume, settings, modelId: model.label, signal: ac.signal },
      {
        grader: createGrader({ repoRoot: REPO }),
        log: (line) => process.stderr.write(`${line}\n`),
        generate: (input, signal) =>
          runGeneration(
            input,
            {
              model: (id, s) => localModel(host.sources, id, s, opts.lanes !== undefined ? { lanes: opts.lanes } : {}),
              // --context: retrieval bound to the indexed project as the app binds it; see context-prompt.ts for why
              // the project reaches only the assemble stage.
              ...(context ? contextEngineDeps(context) : {}),
            },
            progress,
            signal ?? ac.signal,
          ),
      },
    );
    // CI judges the pipeline, not the model: every problem must come back graded (pass or fail), none as an error.
    const ciFailed = opts.ci && summary.errors > 0;
    // The CI slice's own temp dir is removed after a passing run (test-all runs it every time, and the summary says
    // it all); after a failure or a crash it is kept, so the results named below can be read.
    const keep = !ciDir || ciFailed;
    process.stdout.write(`${formatSummary(summary, settings)}\n${keep ? `results: ${out}\n` : ''}`);
    if (ciFailed) {
      process.stderr.write(`eval:codegen --ci: ${summary.errors} problem(s) ended in a generation error (see ${out})\n`);
      return 1;
    }
    if (ciDir) rmSync(ciDir, { recursive: true, force: true });
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await host.close();
    await context?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const what = isEvolveError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`eval:codegen failed — ${what}\n`);
    process.exit(isEvolveError(err) && err.code === 'INVALID_ARGUMENT' ? 2 : 1);
  },
);
