// `evolve optimize --project DIR --target FILE:FUNCTION [--inputs FILE] [--sizes a,b,c] [--proposals K] [--model ID]
// [--trust] [--json]`: the performance lab from a terminal — profile, proposals from the codegen engine, equivalence
// and benchmark proofs; a suggestion is offered only when both hold. Progress on stderr; the report on stdout.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EvolveError } from '../../common/errors';
import type { OptimizeEvent, OptimizeReport } from '../../common/perf/optimize';
import { InputGeneratorSchema, type InputGenerator } from '../../common/perf/types';
import { DEFAULT_SIZES } from '../services/perf/lab/optimize';
import { progressLine as generateProgress } from './generate';
import { openServices, projectFor } from './projects';

export const OPTIMIZE_USAGE =
  'Usage: evolve optimize --project DIR --target FILE:FUNCTION [--inputs FILE] [--sizes 100,400,1600] [--proposals K] [--model ID] [--trust] [--json]\n' +
  '  --inputs FILE  a module of the same language defining make_input(n, seed) / makeInput(n, seed) (else the model writes one)\n' +
  '  --trust        trust the project first (recorded and audited): its tests run, in the sandbox, only once trusted';

function sizesArg(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const xs = v.split(',').map((x) => Number(x.trim()));
  if (xs.length < 3 || xs.some((x) => !Number.isInteger(x) || x <= 0)) {
    throw new EvolveError('INVALID_ARGUMENT', `--sizes needs at least three positive integers, got ${v}`);
  }
  return xs;
}

export function optimizeProgress(e: OptimizeEvent): string | undefined {
  if (e.kind === 'stage') return `${e.stage}${e.proposal !== undefined ? ` (proposal ${e.proposal})` : ''}…`;
  if (e.kind === 'profile') {
    const top = e.result.hot.slice(0, 3).map((h) => `${h.name} ${h.selfPercent.toFixed(0)} %`);
    return `  hot: ${top.join(', ') || 'nothing sampled'}`;
  }
  return undefined;
}

/** The human-readable report: the profile's top, then each suggestion with its decision and proofs. */
export function reportText(r: OptimizeReport): string {
  const lines = [
    `${r.before.module}:${r.before.function} (${r.before.language}), sizes ${r.inputs.sizes.join(', ')}${r.inputsWrittenByModel ? ' (inputs written by the model)' : ''}`,
  ];
  if (r.profile) {
    lines.push('Hot functions:');
    for (const h of r.profile.hot.slice(0, 5))
      lines.push(`  ${h.selfPercent.toFixed(1).padStart(5)} %  ${h.name}${h.file ? ` (${h.file}${h.line ? `:${h.line}` : ''})` : ''}`);
  } else if (r.profileError) lines.push(`No profile: ${r.profileError}`);
  for (const s of r.suggestions) {
    lines.push(`Suggestion ${s.index}: ${s.decision.label}`, `  ${s.decision.reason}`);
    const cov = s.equivalence?.coverage;
    if (cov)
      lines.push(
        `  inputs reached ${cov.branches.percent.toFixed(0)} % of the original's branches (${cov.branches.covered}/${cov.branches.total})`,
      );
    if (s.bench) lines.push(`  time grows like n^${s.bench.slope.before.toFixed(2)} before, n^${s.bench.slope.after.toFixed(2)} after`);
    if (s.generationId) lines.push(`  generation ${s.generationId} (review and apply it in the Code section)`);
  }
  lines.push(r.offered === null ? 'Nothing offered.' : `Offered: suggestion ${r.offered}.`);
  return `${lines.join('\n')}\n`;
}

export async function optimizeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      project: { type: 'string' },
      target: { type: 'string' },
      inputs: { type: 'string' },
      sizes: { type: 'string' },
      proposals: { type: 'string' },
      model: { type: 'string' },
      trust: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0 || !values.project || !values.target) throw new EvolveError('INVALID_ARGUMENT', OPTIMIZE_USAGE);
  const proposals = values.proposals === undefined ? 1 : Number(values.proposals);
  if (!Number.isInteger(proposals) || proposals < 1 || proposals > 5) throw new EvolveError('INVALID_ARGUMENT', '--proposals must be 1-5');
  const sizes = sizesArg(values.sizes);
  let inputs: InputGenerator | undefined;
  if (values.inputs) {
    const source = await readFile(values.inputs, 'utf8').catch(() => {
      throw new EvolveError('NOT_FOUND', `--inputs: cannot read ${values.inputs}`);
    });
    const parsed = InputGeneratorSchema.safeParse({ source, sizes: sizes ?? [...DEFAULT_SIZES] });
    if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `--inputs: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    inputs = parsed.data;
  }

  const s = await openServices();
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const project = await projectFor(s, values.project, true);
    if (values.trust) await s.workspace.setTrust(project.id, true);
    else if (!(await s.workspace.trustState(project.id)).trusted) {
      throw new EvolveError('FORBIDDEN', `${project.rootPath} is not trusted: its code and tests would run. Pass --trust to trust it.`);
    }
    const say = (line: string | undefined) => line && process.stderr.write(`${line}\n`);
    // The same PerfService as the Performance tab: trust check, the target read from the project, its call sites from
    // the index, the loop on the real parts, and the 'perf.suggestion' audit rows.
    const report = await s.perf.optimize(
      {
        projectId: project.id,
        target: values.target,
        ...(inputs ? { inputs } : {}),
        ...(sizes ? { sizes } : {}),
        proposals,
        ...(values.model ? { modelId: values.model } : {}),
      },
      (p) => {
        if (p.event) say(optimizeProgress(p.event));
        if (p.generate) say(generateProgress(p.generate));
        if (p.bench) say(`  bench n=${p.bench.n}: ${p.bench.repeat}/${p.bench.repeats}`);
      },
      ac.signal,
    );
    if (values.json) {
      // The flame graph's samples can be large; the JSON keeps the hot table and the profile's totals.
      const profile = report.profile
        ? { hot: report.profile.hot, memory: report.profile.memory, totalMs: report.profile.profile.totalMs }
        : null;
      process.stdout.write(`${JSON.stringify({ ...report, profile }, null, 2)}\n`);
    } else process.stdout.write(reportText(report));
    return report.offered === null ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    await s.dispose();
  }
}
