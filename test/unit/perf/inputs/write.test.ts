// The input-generator request (a function generation validated by its suite) and when a written generator is refused.
import { describe, expect, it } from 'vitest';
import type { GenerateResult, TestRun } from '../../../../common/codegen/engine';
import type { CodeVersion } from '../../../../common/perf/types';
import { inputGeneratorRequest } from '../../../../main/services/perf/inputs/request';
import { writeInputGenerator } from '../../../../main/services/perf/inputs/write';

const version: CodeVersion = {
  language: 'python',
  module: 'pairs.py',
  function: 'pairs',
  files: { 'pairs.py': 'def pairs(xs, target):\n    ...\n' },
};
const GEN = 'import random\n\ndef make_input(n, seed):\n    r = random.Random(seed)\n    return ([r.randrange(n) for _ in range(n)], n)\n';

function result(tests: TestRun | null, content = GEN): GenerateResult {
  return {
    generationId: null,
    selected: 0,
    code: content,
    files: content ? [{ path: 'perf_inputs.py', content }] : [],
    diffs: [],
    candidates: [],
    tests,
    scan: { ok: true, findings: [], tools: [], durationMs: 0 },
    score: { score: 0, breakdown: [] },
    budget: { contextTokens: 4096, reservedForAnswer: 512, used: 1, parts: [] },
    checked: 'full',
    timings: { totalMs: 0, generateMs: 0, checkMs: 0, testMs: 0 },
  };
}
const run = (status: TestRun['status'], cases: TestRun['cases'] = []): TestRun => ({
  status,
  runner: 'pytest',
  cases,
  output: '',
  durationMs: 1,
});

describe('inputGeneratorRequest', () => {
  it('asks for make_input in its own file, keeps the signature on its own line, and validates with the suite', () => {
    const req = inputGeneratorRequest({ version, sizes: [100, 1000, 10_000], exampleTests: ['assert pairs([1, 2], 3) == [(1, 2)]'] });
    expect(req.type).toBe('function');
    expect(req.entry).toEqual({ file: 'perf_inputs.py', exports: ['make_input'] });
    expect(req.prompt).toMatch(/^def make_input\(n: int, seed: int\) -> tuple:$/m);
    expect(req.prompt).toContain('assert pairs([1, 2], 3)');
    expect(req.extraSuites?.[0]?.files[0]?.path).toBe('test_perf_inputs.py');
    expect(req.extraSuites?.[0]?.files[0]?.content).toContain('make_input(100, 7)');
  });
});

describe('writeInputGenerator', () => {
  const sizes = [1000, 100, 10_000];
  it('returns the generator with sorted sizes when its suite passed', async () => {
    expect(await writeInputGenerator({ version, sizes }, async () => result(run('passed')))).toEqual({
      source: GEN,
      sizes: [100, 1000, 10_000],
    });
  });

  it('refuses too few sizes, no code, an unchecked generator and a failing one, naming the failing check', async () => {
    await expect(writeInputGenerator({ version, sizes: [1, 2, 2] }, async () => result(run('passed')))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(writeInputGenerator({ version, sizes }, async () => result(run('passed'), ''))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await expect(writeInputGenerator({ version, sizes }, async () => result(run('unavailable')))).rejects.toMatchObject({
      message: expect.stringContaining('could not be checked'),
    });
    const failing = run('failed', [
      { id: 'test_perf_inputs.py::test_the_function_accepts_it', origin: 'docstring', passed: false, message: 'TypeError: bad\nmore' },
    ]);
    await expect(writeInputGenerator({ version, sizes }, async () => result(failing))).rejects.toMatchObject({
      message: expect.stringContaining('test_the_function_accepts_it: TypeError: bad'),
    });
  });
});
