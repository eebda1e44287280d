// `npm run eval:optimize`: runs the performance lab on the eval corpus (eval/optimize/problems) with a local model and
// prints how many problems got a verified speed-up, their geometric mean, and why the other suggestions were rejected.
// Progress goes to stderr, the summary to stdout; results are saved after each problem (resume with --resume).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GenerateEvent } from '../../../common/codegen/engine';
import { EvolveError, isEvolveError } from '../../../common/errors';
import type { OptimizeEvent } from '../../../common/perf/optimize';
import { runGeneration } from '../../../main/services/codegen/engine';
import { localModel } from '../../../main/services/codegen/engine/models';
import { labPorts } from '../../../main/services/perf/lab/lab-ports';
import { optimize } from '../../../main/services/perf/lab/optimize';
import { resolveEvalModel, startEvalModel } from '../../codegen/run/model';
import { loadOptimizeProblems } from '../corpus';
import { defaultOutFile, parseOptimizeArgs, selectOptimizeProblems, USAGE } from './options';
import { runOptimizeEval } from './runner';
import { formatSummary } from './summary';

const REPO = path.resolve(import.meta.dirname, '../../..');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function generateProgress(e: GenerateEvent): void {
  if (e.kind === 'round') log(`    candidate ${e.candidate} round ${e.round}: ${e.phase}`);
  else if (e.kind === 'selected') log(`    selected candidate ${e.candidate}: ${e.reason}`);
}

function labProgress(e: OptimizeEvent): void {
  if (e.kind === 'stage') log(`  ${e.stage}${e.proposal !== undefined ? ` (proposal ${e.proposal})` : ''}`);
  else if (e.kind === 'profile') log(`  profile: ${e.result.hot.length} hot functions`);
}

async function main(argv: string[]): Promise<number> {
  const started = performance.now();
  const opts = parseOptimizeArgs(argv);
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const problems = selectOptimizeProblems(loadOptimizeProblems(), opts.problems);
  if (problems.length === 0) throw new EvolveError('NOT_FOUND', 'no problem selected');
  const model = await resolveEvalModel(opts.model, REPO);
  const settings = { model: model.label, proposals: opts.proposals, sizes: opts.sizes ?? null };
  // The CI slice starts fresh every time; a real run keeps its file for --resume.
  const ciDir = !opts.out && opts.ci ? mkdtempSync(path.join(tmpdir(), 'evolve-eval-optimize-ci-')) : undefined;
  const out = opts.out ? path.resolve(opts.out) : ciDir ? path.join(ciDir, 'results.json') : defaultOutFile(REPO, settings);
  log(`eval:optimize: ${problems.length} problems, model ${model.label} (${model.path}), K=${settings.proposals} → ${out}`);
  const host = await startEvalModel(model, REPO);
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  let lastBenchLog = 0;
  const ports = labPorts({
    generate: (input, signal) =>
      runGeneration(input, { model: (id, s) => localModel(host.sources, id, s) }, generateProgress, signal ?? ac.signal),
    onBenchProgress: (p) => {
      // One line per ~10 s is enough to see a long benchmark move.
      if (performance.now() - lastBenchLog < 10_000 && p.done < p.total) return;
      lastBenchLog = performance.now();
      log(`    bench n=${p.n} repeat ${p.repeat}/${p.repeats} (${p.done}/${p.total} pairs)`);
    },
  });
  try {
    const { summary } = await runOptimizeEval(
      { problems, out, resume: opts.resume, settings, modelId: model.label, signal: ac.signal },
      { log, optimize: (request, signal) => optimize(request, ports, labProgress, signal ?? ac.signal) },
    );
    // CI judges the lab's contract, not the model: every problem must come back with a decision per proposal.
    const ciFailed = opts.ci && summary.errors > 0;
    // The CI slice's own temp dir is removed after a passing run (test-all runs it every time, and the summary
    // says it all); after a failure or a crash it is kept, so the results named below can be read.
    const keep = !ciDir || ciFailed;
    process.stdout.write(`${formatSummary(summary, settings, (performance.now() - started) / 1000)}\n${keep ? `results: ${out}\n` : ''}`);
    if (ciFailed) {
      log(`eval:optimize --ci: ${summary.errors} problem(s) came back without a decision (see ${out})`);
      return 1;
    }
    if (ciDir) rmSync(ciDir, { recursive: true, force: true });
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await host.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const what = isEvolveError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`eval:optimize failed — ${what}\n`);
    process.exit(isEvolveError(err) && err.code === 'INVALID_ARGUMENT' ? 2 : 1);
  },
);
