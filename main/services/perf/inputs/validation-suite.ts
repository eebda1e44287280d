// The visible test the codegen engine runs on a model-written input generator: it must return the argument list of
// one call, the same for the same (n, seed), different across sizes, and the target must accept it without raising.
import type { CodeFile } from '../../../../common/codegen/types';
import type { CodeVersion } from '../../../../common/perf/types';

/** Where the generator goes in the sandbox and what it exports, per language. */
export function generatorEntry(language: CodeVersion['language']): { file: string; name: string } {
  return language === 'python' ? { file: 'perf_inputs.py', name: 'make_input' } : { file: 'perf-inputs.ts', name: 'makeInput' };
}

const stripExt = (p: string): string => p.replace(/\.(py|ts|tsx|js|mjs|cjs)$/, '');

function pythonSuite(version: CodeVersion, sizes: readonly number[]): string {
  const mod = stripExt(version.module).replace(/\//g, '.');
  const [cls, method] = version.function.includes('.') ? version.function.split('.') : [undefined, version.function];
  const target = cls ? `getattr(target.${cls}(), ${JSON.stringify(method)})` : `target.${method}`;
  const [a, b] = sizes;
  return [
    'import importlib',
    'from perf_inputs import make_input',
    '',
    `target = importlib.import_module(${JSON.stringify(mod)})`,
    '',
    '',
    'def test_returns_the_argument_list_of_one_call():',
    `    assert isinstance(make_input(${a}, 1), (tuple, list))`,
    '',
    '',
    'def test_same_size_and_seed_give_the_same_input():',
    `    assert repr(make_input(${a}, 7)) == repr(make_input(${a}, 7))`,
    '',
    '',
    'def test_sizes_give_different_inputs():',
    `    assert repr(make_input(${a}, 1)) != repr(make_input(${b}, 1))`,
    '',
    '',
    'def test_the_function_accepts_it():',
    `    ${target}(*make_input(${a}, 3))`,
    '',
  ].join('\n');
}

function nodeSuite(version: CodeVersion, sizes: readonly number[]): string {
  const mod = `./${stripExt(version.module)}`;
  const [cls, method] = version.function.includes('.') ? version.function.split('.') : [undefined, version.function];
  const call = cls ? `new target.${cls}().${method}` : `target.${method}`;
  const [a, b] = sizes;
  return [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { makeInput } from './perf-inputs';",
    `import * as target from '${mod}';`,
    '',
    "test('returns the argument list of one call', () => {",
    `  assert.ok(Array.isArray(makeInput(${a}, 1)));`,
    '});',
    "test('same size and seed give the same input', () => {",
    `  assert.deepEqual(makeInput(${a}, 7), makeInput(${a}, 7));`,
    '});',
    "test('sizes give different inputs', () => {",
    `  assert.notDeepEqual(makeInput(${a}, 1), makeInput(${b}, 1));`,
    '});',
    "test('the function accepts it', async () => {",
    `  await ${call}(...(makeInput(${a}, 3) as unknown[]));`,
    '});',
    '',
  ].join('\n');
}

/** The validation suite for a generator of `version`'s function inputs at `sizes` (the two smallest are used). */
export function validationSuite(version: CodeVersion, sizes: readonly number[]): CodeFile {
  const small = [...sizes].sort((x, y) => x - y).slice(0, 2);
  return version.language === 'python'
    ? { path: 'test_perf_inputs.py', content: pythonSuite(version, small) }
    : { path: 'perf-inputs.test.ts', content: nodeSuite(version, small) };
}
