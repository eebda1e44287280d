// What the engine is asked for one eval problem: the rendered prompt, support files, the entry (solution file +
// exports) and, when the engine would not find them in the prompt itself, the visible examples as a 'docstring' suite.
// The hidden tests and the reference never go in.
import { type CodeFile } from '../../../common/codegen/types';
import { type GenerateInput } from '../../../common/codegen/engine';
import { type GenerationType } from '../../../common/store/codegen-requests';
import { docstringTests } from '../../../main/services/codegen/tests/docstring-tests';
import { exampleTestSource, renderPrompt } from '../prompt';
import { SOLUTION_FILE, type CodegenProblem, type ProblemType } from '../schema';

const GENERATION_TYPE: Record<ProblemType, GenerationType> = {
  function: 'function',
  class: 'class',
  module: 'module',
  test: 'test',
  edit: 'edit',
  'api-endpoint': 'api-endpoint',
  'db-model': 'db-model',
  component: 'ui-component',
};

/** The example file names verify.ts uses, so a visible-test run looks like the validator's. */
export const EXAMPLES_FILE = { python: 'test_examples.py', typescript: 'examples.test.ts' } as const;

export interface GenerationSettings {
  samples: number;
  maxRounds: number;
  modelId?: string;
  seed: number;
}

/**
 * True when the engine's own docstring suite, made from the rendered prompt, holds every line of every example. It
 * did for all 58 problems with examples; passing them again as a suite ran each example twice and sent each failure
 * back to the model twice.
 */
export function examplesInPromptSuite(p: CodegenProblem, prompt: string): boolean {
  const suite = docstringTests(p.lang, prompt, { file: SOLUTION_FILE[p.lang], exports: p.exports });
  const text = suite?.files.map((f) => f.content).join('\n') ?? '';
  return p.examples.every((ex) => ex.split('\n').every((line) => !line.trim() || text.includes(line.trim())));
}

export function generateInputFor(p: CodegenProblem, s: GenerationSettings): GenerateInput {
  const solution = SOLUTION_FILE[p.lang];
  const prompt = renderPrompt(p);
  const files: CodeFile[] = Object.entries(p.files).map(([path, content]) => ({ path, content }));
  // An edit changes the solution file: it is given as a file, and named as the target.
  if (p.original !== undefined) files.push({ path: solution, content: p.original });
  const input: GenerateInput = {
    type: GENERATION_TYPE[p.type],
    language: p.lang,
    prompt,
    maxRounds: s.maxRounds,
    samples: s.samples,
    seed: s.seed,
    entry: { file: solution, exports: p.exports },
  };
  if (files.length > 0) input.files = files;
  if (p.original !== undefined) input.targetFile = solution;
  if (s.modelId !== undefined) input.modelId = s.modelId;
  if (p.examples.length > 0 && !examplesInPromptSuite(p, prompt)) {
    input.extraSuites = [{ origin: 'docstring', files: [{ path: EXAMPLES_FILE[p.lang], content: exampleTestSource(p) }] }];
  }
  return input;
}
