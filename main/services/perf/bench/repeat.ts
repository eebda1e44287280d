// Runs one repeat (one version, one size, one seed) in a fresh sandboxed process and turns what came back into seconds
// per call or a typed error naming the version and size.
import { randomBytes } from 'node:crypto';
import { EvolveError } from '../../../../common/errors';
import { runInSandbox, type SandboxResult, type SandboxSupport } from '../../codegen/sandbox';
import type { RepeatPlan } from './runtime';
import { DriverResultSchema, type DriverResult } from './types';

export interface RepeatInput {
  plan: RepeatPlan;
  which: 'before' | 'after';
  n: number;
  seed: number;
  batchMs: number;
  warmups: number;
  values: number;
  clock: 'cpu' | 'wall';
  wallMs: number;
  signal?: AbortSignal;
  support?: SandboxSupport;
}

function tail(text: string, max = 1500): string {
  const t = text.trim();
  return t.length > max ? `…${t.slice(-max)}` : t;
}

function findResult(stdout: string, nonce: string): DriverResult | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(nonce)) continue;
    try {
      const parsed = DriverResultSchema.safeParse(JSON.parse(line.slice(nonce.length)));
      if (parsed.success) return parsed.data;
    } catch {
      /* not ours */
    }
  }
  return undefined;
}

/** Maps a run without a result line (killed, crashed, exited early) to its typed error. */
function runFailure(r: SandboxResult, where: string, details: Record<string, unknown>): EvolveError {
  const stderr = tail(r.stderr.text);
  const why = stderr ? `:\n${stderr}` : '';
  switch (r.killedBy) {
    case 'cancel':
      return new EvolveError('CANCELLED', 'Benchmark cancelled', details);
    case 'wall':
    case 'cpu':
      return new EvolveError('TIMEOUT', `${where} ran past its time limit (${r.killedBy})`, details);
    case 'memory':
      return new EvolveError('RESOURCE_EXHAUSTED', `${where} ran out of memory${why}`, details);
    case 'output':
      return new EvolveError('RESOURCE_EXHAUSTED', `${where} wrote more output than the sandbox keeps`, details);
    default:
      return new EvolveError('INVALID_ARGUMENT', `${where} ended without a result (exit ${String(r.exitCode ?? r.signal)})${why}`, details);
  }
}

export interface RepeatTime {
  secPerCall: number;
  /** The clock the driver actually used (an async JS function is timed by the wall clock whatever was asked). */
  clock: 'cpu' | 'wall';
}

/** Seconds per call of one fresh process; throws EvolveError (the version and size in message and details). */
export async function runRepeat(input: RepeatInput): Promise<RepeatTime> {
  const { plan, which, n, seed } = input;
  const nonce = `@@evolve-bench-${randomBytes(8).toString('hex')}@@`;
  const config = {
    ...plan.config,
    nonce,
    n,
    seed,
    batchMs: input.batchMs,
    batchSec: input.batchMs / 1000,
    warmups: input.warmups,
    values: input.values,
    clock: input.clock,
  };
  const r = await runInSandbox(
    {
      files: plan.files,
      argv: plan.argv,
      env: plan.env,
      readOnlyPaths: plan.readOnlyPaths,
      stdin: JSON.stringify(config),
      limits: { wallMs: input.wallMs, cpuSeconds: Math.max(1, Math.min(3600, Math.ceil(input.wallMs / 1000))) },
      signal: input.signal,
    },
    input.support ? { support: input.support } : {},
  );
  const where = `The ${which} version at n=${n}`;
  const details = { version: which, n, seed };
  const result = findResult(r.stdout.text, nonce);
  if (!result) throw runFailure(r, where, details);
  if (result.ok) return { secPerCall: result.secPerCall, clock: result.clock };
  const info = { ...details, phase: result.phase, error: result.error, trace: result.trace };
  switch (result.phase) {
    case 'setup':
      throw new EvolveError('UNAVAILABLE', `The benchmark tool could not load: ${result.error}`, info);
    case 'input':
      throw new EvolveError('INVALID_ARGUMENT', `The input generator failed at n=${n} (seed ${seed}): ${result.error}`, info);
    case 'import':
      throw new EvolveError('INVALID_ARGUMENT', `${where} could not be loaded: ${result.error}`, info);
    case 'call':
      throw new EvolveError('INVALID_ARGUMENT', `${where} crashed: ${result.error}`, info);
    case 'clock':
      throw new EvolveError(
        'UNAVAILABLE',
        `${where} could not be timed: ${result.error} (a heavily loaded VM; use a longer batchMs or the wall clock)`,
        info,
      );
  }
}
