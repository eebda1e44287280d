// Writes the input generator of a function with the codegen engine and accepts it only when the validation suite
// passed on it (the target accepts its inputs, it is deterministic, sizes differ) — otherwise a typed error.
import { EvolveError } from '../../../../common/errors';
import type { InputGenerator } from '../../../../common/perf/types';
import type { GeneratePort } from '../propose/propose';
import { inputGeneratorRequest, type InputRequestContext } from './request';
import { generatorEntry } from './validation-suite';

export async function writeInputGenerator(ctx: InputRequestContext, generate: GeneratePort, signal?: AbortSignal): Promise<InputGenerator> {
  const sizes = [...ctx.sizes].sort((a, b) => a - b);
  if (sizes.length < 3 || new Set(sizes).size !== sizes.length)
    throw new EvolveError('INVALID_ARGUMENT', 'An input generator needs at least three distinct sizes');
  const result = await generate(inputGeneratorRequest({ ...ctx, sizes }), signal);
  const file = generatorEntry(ctx.version.language).file;
  const source = result.files.find((f) => f.path === file)?.content ?? '';
  if (result.error || !source.trim()) throw new EvolveError('UNAVAILABLE', `No input generator was written: ${result.error ?? 'no code'}`);
  const tests = result.tests;
  if (!tests || tests.status === 'unavailable')
    throw new EvolveError('UNAVAILABLE', `The input generator could not be checked: ${tests?.unavailableReason ?? 'no test run'}`);
  if (tests.status !== 'passed') {
    const failed = tests.cases.filter((c) => !c.passed).map((c) => `${c.id}${c.message ? `: ${c.message.split('\n')[0]}` : ''}`);
    throw new EvolveError('UNAVAILABLE', `The written input generator fails its checks (${failed.join('; ') || tests.status})`);
  }
  return { source, sizes };
}
