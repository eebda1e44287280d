// The request for a model-written input generator (`make_input(n, seed)` / `makeInput(n, seed)`): a function
// generation whose visible test is the validation suite, so the engine repairs it until the target accepts its inputs.
import type { GenerateInput } from '../../../../common/codegen/engine';
import type { CodeVersion } from '../../../../common/perf/types';
import { generatorEntry, validationSuite } from './validation-suite';

export interface InputRequestContext {
  version: CodeVersion;
  sizes: readonly number[];
  /** The project's tests of the function: they show the model what realistic arguments look like. */
  exampleTests?: readonly string[];
  modelId?: string;
  maxRounds?: number;
}

function signature(language: CodeVersion['language']): string {
  if (language === 'python')
    return 'def make_input(n: int, seed: int) -> tuple:\n    """Arguments of one call of size n; deterministic for (n, seed)."""';
  return 'export function makeInput(n: number, seed: number): unknown[]';
}

export function inputGeneratorRequest(ctx: InputRequestContext): GenerateInput {
  const { version } = ctx;
  const entry = generatorEntry(version.language);
  const source = version.files[version.module] ?? '';
  const rng =
    version.language === 'python'
      ? 'Use random.Random(seed) for randomness.'
      : 'Use a small seeded generator (e.g. mulberry32(seed)) for randomness, never Math.random.';
  const prompt = [
    `Write this function in ${entry.file}:`,
    '',
    signature(version.language),
    '',
    `It returns the arguments of one call of \`${version.function}\` from ${version.module} whose work grows with n`,
    `(n is a size such as ${ctx.sizes.join(', ')}: the number of items, the length of a string, the depth of a recursion).`,
    `The same (n, seed) must give the same arguments; a different seed should give different data of the same size. ${rng}`,
    'The arguments must be realistic for the function (the types it expects, a realistic mix of duplicates and distinct',
    `values) and valid: calling it with them must not raise. Do not import ${version.module}; only build its arguments.`,
    '',
    `${version.module}:`,
    '```',
    source.slice(0, 12_000),
    '```',
    ...(ctx.exampleTests && ctx.exampleTests.length > 0
      ? ['', 'Its tests show how it is called:', '```', ctx.exampleTests.join('\n\n').slice(0, 6000), '```']
      : []),
  ].join('\n');
  return {
    type: 'function',
    language: version.language,
    prompt,
    files: Object.entries(version.files).map(([path, content]) => ({ path, content })),
    entry: { file: entry.file, exports: [entry.name] },
    extraSuites: [{ origin: 'docstring', files: [validationSuite(version, ctx.sizes)] }],
    samples: 1,
    maxRounds: ctx.maxRounds ?? 2,
    ...(ctx.modelId ? { modelId: ctx.modelId } : {}),
  };
}
