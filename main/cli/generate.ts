// `evolve generate [--project DIR] --type T --lang L [--max-rounds N] [--samples K] "PROMPT"`: one generation through
// the app's engine (checks, sandboxed tests, repair, selection, scan, score, stored); JSON on stdout, progress on stderr.
import { parseArgs } from 'node:util';
import { GenerateInputSchema, type GenerateEvent, type GenerateResult } from '../../common/codegen/engine';
import { EvolveError } from '../../common/errors';
import { openServices, projectFor } from './projects';

export const GENERATE_USAGE =
  'Usage: evolve generate [--project DIR [--trust]] [--file PATH] --type function --lang python [--max-rounds N] [--samples K] [--model ID] [--seed N] "PROMPT"\n' +
  '  --trust  trust the project first (recorded and audited): its tests and config run, in the sandbox, only once trusted';

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new EvolveError('INVALID_ARGUMENT', `--${name} must be an integer, got ${v}`);
  return n;
}

/** One progress line per stage event (tokens are not echoed: they would drown the rest). */
export function progressLine(e: GenerateEvent): string | undefined {
  switch (e.kind) {
    case 'context':
      return `context: ${e.budget.used}/${e.budget.contextTokens} tokens (${e.budget.parts.map((p) => `${p.name} ${p.tokens}`).join(', ')})`;
    case 'round':
      return e.phase === 'tests' ? 'writing tests…' : `candidate ${e.candidate} round ${e.round}: ${e.phase}…`;
    case 'check':
      return `  ${e.result.name}: ${e.result.findings.length} finding(s)${e.result.ok ? '' : ' (high)'} [${e.result.tools.map((t) => `${t.name} ${t.version}`).join(', ')}]`;
    case 'tests': {
      const passed = e.result.cases.filter((c) => c.passed).length;
      return `  tests: ${e.result.status} ${passed}/${e.result.cases.length} (${e.result.runner})${e.result.unavailableReason ? ` — ${e.result.unavailableReason}` : ''}`;
    }
    case 'scan':
      return `scan: ${e.result.findings.length} finding(s) [${e.result.tools.map((t) => t.name).join(', ')}]`;
    case 'score':
      return `candidate ${e.candidate} score ${e.score.score}`;
    case 'selected':
      return `selected candidate ${e.candidate}: ${e.reason}`;
    default:
      return undefined;
  }
}

/** The JSON the command prints: the code, every round in short, tests, scan, score (with breakdown) and timings. */
export function summary(r: GenerateResult) {
  return {
    generationId: r.generationId,
    code: r.code,
    files: r.files.map((f) => f.path),
    diffs: r.diffs,
    checked: r.checked,
    ...(r.checkedNote ? { checkedNote: r.checkedNote } : {}),
    selected: r.selected,
    rounds: r.candidates.flatMap((c) =>
      c.rounds.map((x) => ({
        candidate: c.index,
        round: x.round,
        // The round the candidate offers (its best, not always its last); the selected candidate's is `code`.
        kept: x.round === c.final.round,
        ...(x.error ? { error: x.error } : {}),
        findings: x.checks.reduce((s, k) => s + k.findings.length, 0),
        tests: x.tests
          ? { status: x.tests.status, passed: x.tests.cases.filter((t) => t.passed).length, total: x.tests.cases.length }
          : null,
        tokens: x.tokens,
        ms: Math.round(x.ms),
      })),
    ),
    tests: r.tests,
    scan: r.scan,
    score: r.score,
    ...(r.error ? { error: r.error } : {}),
    timings: r.timings,
  };
}

export async function generateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      project: { type: 'string' },
      trust: { type: 'boolean', default: false },
      file: { type: 'string' },
      type: { type: 'string', default: 'function' },
      lang: { type: 'string' },
      'max-rounds': { type: 'string' },
      samples: { type: 'string' },
      model: { type: 'string' },
      seed: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1 || !values.lang) throw new EvolveError('INVALID_ARGUMENT', GENERATE_USAGE);
  const maxRounds = int('max-rounds', values['max-rounds']);
  const samples = int('samples', values.samples);
  const seed = int('seed', values.seed);
  // Validated before the store opens: a bad language or an empty prompt costs nothing.
  const parsed = GenerateInputSchema.safeParse({
    type: values.type,
    language: values.lang,
    prompt: positionals[0],
    ...(values.file ? { targetFile: values.file } : {}),
    ...(maxRounds !== undefined ? { maxRounds } : {}),
    ...(samples !== undefined ? { samples } : {}),
    ...(values.model ? { modelId: values.model } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new EvolveError('INVALID_ARGUMENT', `${i?.path.join('.') || 'input'}: ${i?.message ?? 'invalid'}\n${GENERATE_USAGE}`);
  }
  const s = await openServices();
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const project = values.project ? await projectFor(s, values.project, true) : undefined;
    if (project && values.trust) await s.workspace.setTrust(project.id, true);
    else if (project && !(await s.workspace.trustState(project.id)).trusted) {
      throw new EvolveError(
        'FORBIDDEN',
        `${project.rootPath} is not trusted: its tests and configuration would run. Pass --trust to trust it.`,
      );
    }
    const result = await s.codegen.generate(
      { ...parsed.data, ...(project ? { projectId: project.id } : {}) },
      (e) => {
        const line = progressLine(e);
        if (line) process.stderr.write(`${line}\n`);
      },
      ac.signal,
    );
    process.stdout.write(`${JSON.stringify(summary(result), null, 2)}\n`);
    return result.error ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    await s.dispose();
  }
}
