// One optimisation run: inputs (given or model-written) → profile → k proposals from the codegen engine → for each,
// equivalence first and the benchmark only when it holds → offerDecision. Nothing is offered without both proofs.
import type { GenerateInput } from '../../../../common/codegen/engine';
import type { AuditEvent } from '../../../../common/store/audit';
import { EvolveError, isEvolveError, toErrorInfo } from '../../../../common/errors';
import { offerDecision } from '../../../../common/perf/offer';
import {
  OptimizeRequestSchema,
  type OptimizeEvent,
  type OptimizeReport,
  type OptimizeRequest,
  type Suggestion,
} from '../../../../common/perf/optimize';
import type { BenchResult, CodeVersion, EquivalenceResult, InputGenerator, ProfileResult } from '../../../../common/perf/types';
import { writeInputGenerator } from '../inputs/write';
import { proposeOptimization, type GeneratePort } from '../propose/propose';

type TestSuite = NonNullable<GenerateInput['extraSuites']>[number];
export type PerfSuggestionAudit = Extract<AuditEvent, { kind: 'perf.suggestion' }>['data'];

/** The lab's parts as this loop calls them; `lab-ports.ts` binds them to the real profile, equivalence and bench modules. */
export interface LabPorts {
  generate: GeneratePort;
  profile(req: { version: CodeVersion; inputs: InputGenerator; n: number }, signal?: AbortSignal): Promise<ProfileResult>;
  prove(
    req: { before: CodeVersion; after: CodeVersion; inputs: InputGenerator; tests?: TestSuite[] },
    signal?: AbortSignal,
  ): Promise<EquivalenceResult>;
  bench(req: { before: CodeVersion; after: CodeVersion; inputs: InputGenerator }, signal?: AbortSignal): Promise<BenchResult>;
  /** Audit of each decision (what was offered or rejected, and why): the store's 'perf.suggestion' rows. */
  audit?(data: PerfSuggestionAudit): Promise<void>;
}

/** Sizes an input generator gets when the caller names none, model-written or given (the benchmark calibrates calls per batch). */
export const DEFAULT_SIZES = [100, 400, 1600] as const;

const message = (e: unknown): string => toErrorInfo(e).message;

function rethrowCancel(e: unknown, signal?: AbortSignal): void {
  if (signal?.aborted || (isEvolveError(e) && e.code === 'CANCELLED')) throw new EvolveError('CANCELLED', 'Optimisation cancelled');
}

/**
 * The profile rows the model sees: only functions of the code under test. The lab's own harness, the standard
 * library and built-ins (`__evolve_input__.py:16`, `json/__init__.py`, `<method 'match' …>`) are not the user's to
 * change, and a small model pasted such lines into its answer as code.
 */
export function ownHotFunctions(profile: ProfileResult | null, version: CodeVersion): ProfileResult['hot'] {
  return (profile?.hot ?? []).filter((h) => h.file !== undefined && version.files[h.file] !== undefined).slice(0, 8);
}

async function proveOne(
  index: number,
  before: CodeVersion,
  inputs: InputGenerator,
  tests: TestSuite[],
  req: { proposals: number; modelId?: string; callers?: string[]; projectId?: string },
  profile: ProfileResult | null,
  earlier: readonly string[],
  baseline: BenchResult | undefined,
  ports: LabPorts,
  emit: (e: OptimizeEvent) => void,
  signal?: AbortSignal,
): Promise<Suggestion> {
  emit({ kind: 'stage', stage: 'propose', proposal: index });
  let proposal;
  try {
    proposal = await proposeOptimization(
      {
        before,
        hot: ownHotFunctions(profile, before),
        // With a project the engine finds the project's tests itself; without one they go as visible tests.
        ...(req.projectId ? { projectId: req.projectId } : { tests }),
        callers: req.callers ?? [],
        earlier,
        // The current version's times and slope, once an earlier proposal of this run was benchmarked against it.
        ...(baseline ? { bench: baseline } : {}),
        seed: index + 1,
        ...(req.modelId ? { modelId: req.modelId } : {}),
      },
      ports.generate,
      signal,
    );
  } catch (e) {
    rethrowCancel(e, signal);
    const error = message(e);
    const decision = { offered: false, outcome: 'unavailable', cause: 'unavailable', label: 'No usable proposal', reason: error } as const;
    return { index, generationId: null, diffs: [], tests: null, decision, error };
  }
  emit({ kind: 'stage', stage: 'equivalence', proposal: index });
  const equivalence = await ports.prove({ before, after: proposal.after, inputs, tests }, signal);
  let bench: BenchResult | undefined;
  if (equivalence.status === 'equivalent') {
    emit({ kind: 'stage', stage: 'bench', proposal: index });
    bench = await ports.bench({ before, after: proposal.after, inputs }, signal);
  }
  const { speedup: _speedup, ...decision } = offerDecision(bench, equivalence);
  return {
    index,
    generationId: proposal.generationId,
    after: proposal.after,
    diffs: proposal.diffs,
    tests: proposal.tests,
    equivalence,
    ...(bench ? { bench } : {}),
    decision,
  };
}

/** Runs the whole lab on one function; see the file header for the order and the rule. */
export async function optimize(
  raw: OptimizeRequest,
  ports: LabPorts,
  emit: (e: OptimizeEvent) => void = () => {},
  signal?: AbortSignal,
): Promise<OptimizeReport> {
  const started = Date.now();
  const parsed = OptimizeRequestSchema.safeParse(raw);
  if (!parsed.success)
    throw new EvolveError('INVALID_ARGUMENT', `Bad optimisation request: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const req = parsed.data;
  const { before } = req;
  if (before.files[before.module] === undefined)
    throw new EvolveError('INVALID_ARGUMENT', `The module ${before.module} is not among the files`);
  const tests: TestSuite[] = req.tests && req.tests.length > 0 ? [{ origin: 'user', files: req.tests }] : [];

  let inputs = req.inputs;
  const inputsWrittenByModel = !inputs;
  if (!inputs) {
    emit({ kind: 'stage', stage: 'inputs' });
    inputs = await writeInputGenerator(
      {
        version: before,
        sizes: req.sizes ?? [...DEFAULT_SIZES],
        exampleTests: (req.tests ?? []).map((f) => f.content),
        ...(req.modelId ? { modelId: req.modelId } : {}),
      },
      ports.generate,
      signal,
    );
  }

  emit({ kind: 'stage', stage: 'profile' });
  let profile: ProfileResult | null = null;
  let profileError: string | undefined;
  const sizes = [...inputs.sizes].sort((a, b) => a - b);
  try {
    profile = await ports.profile({ version: before, inputs, n: sizes[Math.floor(sizes.length / 2)]! }, signal);
    emit({ kind: 'profile', result: profile });
  } catch (e) {
    rethrowCancel(e, signal);
    // A profile helps the model but is not a proof: the run goes on without it and says why.
    profileError = message(e);
  }

  const suggestions: Suggestion[] = [];
  for (let i = 0; i < req.proposals; i++) {
    if (signal?.aborted) throw new EvolveError('CANCELLED', 'Optimisation cancelled');
    // Each later proposal hears why the earlier ones were turned down (never why one was offered: it stays as is).
    const earlier = suggestions.filter((x) => !x.decision.offered).map((x) => `${x.decision.label}: ${x.decision.reason}`);
    const baseline = suggestions.find((x) => x.bench)?.bench;
    const s = await proveOne(i, before, inputs, tests, req, profile, earlier, baseline, ports, emit, signal);
    suggestions.push(s);
    emit({ kind: 'suggestion', index: i });
    await ports.audit?.({
      module: before.module,
      function: before.function,
      index: i,
      outcome: s.decision.outcome,
      cause: s.decision.cause,
      label: s.decision.label,
      generationId: s.generationId,
    });
  }

  const medianOf = (s: Suggestion): number => {
    const largest = s.bench?.sizes.reduce((a, b) => (b.n > a.n ? b : a));
    return largest?.speedup.median ?? 0;
  };
  const offered = suggestions.filter((s) => s.decision.offered).sort((a, b) => medianOf(b) - medianOf(a))[0];
  return {
    before,
    inputs,
    inputsWrittenByModel,
    profile,
    ...(profileError ? { profileError } : {}),
    suggestions,
    offered: offered ? offered.index : null,
    durationMs: Date.now() - started,
  };
}
