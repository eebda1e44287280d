// One optimisation proposal: the codegen engine writes it (generate → compile → the project's tests → repair →
// select), and the selected candidate becomes the "after" version the lab then proves equivalent and faster.
import type { GenerateInput, GenerateResult, TestRun } from '../../../../common/codegen/engine';
import type { FileDiff } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import type { CodeVersion } from '../../../../common/perf/types';
import { optimizationRequest, type OptimizationContext } from './request';

/** The codegen engine as the lab uses it (CodegenService.generate with its event stream bound by the caller). */
export type GeneratePort = (input: GenerateInput, signal?: AbortSignal) => Promise<GenerateResult>;

export interface Proposal {
  after: CodeVersion;
  generationId: string | null;
  diffs: FileDiff[];
  /** The engine's run of the visible tests on the selected candidate (null when there were none). */
  tests: TestRun | null;
  request: GenerateInput;
}

/**
 * Asks the engine for an optimised version of `ctx.before`. A generation that produced no usable code, or code that
 * leaves the module unchanged, is an error: there is nothing to prove.
 */
export async function proposeOptimization(ctx: OptimizationContext, generate: GeneratePort, signal?: AbortSignal): Promise<Proposal> {
  const request = optimizationRequest(ctx);
  const result = await generate(request, signal);
  if (result.error) throw new EvolveError('UNAVAILABLE', `The model proposed no usable optimisation: ${result.error}`);
  const files = { ...ctx.before.files };
  for (const f of result.files) {
    if (f.path.startsWith('/') || f.path.split('/').includes('..'))
      throw new EvolveError('INVALID_ARGUMENT', `The proposal wrote outside the code: ${f.path}`);
    files[f.path] = f.content;
  }
  if (files[ctx.before.module] === ctx.before.files[ctx.before.module] && result.diffs.length === 0) {
    throw new EvolveError('UNAVAILABLE', `The model left ${ctx.before.module} unchanged`);
  }
  return {
    after: { ...ctx.before, files },
    generationId: result.generationId,
    diffs: result.diffs,
    tests: result.tests,
    request,
  };
}
