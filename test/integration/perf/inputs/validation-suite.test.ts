// The input-generator validation suite run for real (sandbox + pytest / node --test): a good generator passes it; one
// that is not deterministic, ignores n, or builds arguments the function rejects fails the matching case.
import { describe, expect, it } from 'vitest';
import type { CodeVersion } from '../../../../common/perf/types';
import { runTests } from '../../../../main/services/codegen/tests';
import { generatorEntry, validationSuite } from '../../../../main/services/perf/inputs/validation-suite';

const SIZES = [10, 100, 1000];

const py: CodeVersion = {
  language: 'python',
  module: 'dedupe.py',
  function: 'dedupe',
  files: {
    'dedupe.py':
      'def dedupe(xs):\n    if not isinstance(xs, list):\n        raise TypeError("a list")\n    return list(dict.fromkeys(xs))\n',
  },
};
const ts: CodeVersion = {
  language: 'typescript',
  module: 'lib/words.ts',
  function: 'Counter.count',
  files: {
    'lib/words.ts':
      'export class Counter {\n  count(words: string[]): number {\n    if (!Array.isArray(words)) throw new TypeError("words");\n    return new Set(words).size;\n  }\n}\n',
  },
};

async function run(version: CodeVersion, generator: string) {
  const entry = generatorEntry(version.language);
  const files = [...Object.entries(version.files).map(([path, content]) => ({ path, content })), { path: entry.file, content: generator }];
  const r = await runTests({
    language: version.language,
    files,
    suites: [{ origin: 'docstring', files: [validationSuite(version, SIZES)] }],
  });
  return { status: r.status, failed: r.cases.filter((c) => !c.passed).map((c) => c.id.split('::').pop()) };
}

describe('input generator validation suite (python)', () => {
  it('passes a deterministic generator the function accepts', async () => {
    const good =
      'import random\n\ndef make_input(n, seed):\n    r = random.Random(seed)\n    return ([r.randrange(n) for _ in range(n)],)\n';
    expect(await run(py, good)).toEqual({ status: 'passed', failed: [] });
  });

  it('fails a generator that ignores its seed-determinism, its size, or the function contract', async () => {
    const random = 'import random\n\ndef make_input(n, seed):\n    return ([random.random() for _ in range(n)],)\n';
    expect((await run(py, random)).failed).toEqual(['test_same_size_and_seed_give_the_same_input']);
    const fixed = 'def make_input(n, seed):\n    return ([1, 2, 3],)\n';
    expect((await run(py, fixed)).failed).toEqual(['test_sizes_give_different_inputs']);
    const wrongType = 'def make_input(n, seed):\n    return (tuple(range(n)),)\n';
    expect((await run(py, wrongType)).failed).toEqual(['test_the_function_accepts_it']);
  });
});

describe('input generator validation suite (typescript, Class.method in a subfolder)', () => {
  it('passes a good generator and fails one that builds the wrong argument', async () => {
    const good =
      'export function makeInput(n: number, seed: number): unknown[] {\n  let s = seed >>> 0;\n  const next = () => (s = (s * 1664525 + 1013904223) >>> 0);\n  return [Array.from({ length: n }, () => `w${next() % n}`)];\n}\n';
    expect(await run(ts, good)).toEqual({ status: 'passed', failed: [] });
    const bad = 'export function makeInput(n: number, seed: number): unknown[] {\n  return [`${n}-${seed}`];\n}\n';
    const r = await run(ts, bad);
    expect(r.status).toBe('failed');
    expect(r.failed).toEqual(['the function accepts it']);
  });
});
