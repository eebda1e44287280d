// The optimisation request (what the model is told) and how a generation becomes the "after" version.
import { describe, expect, it } from 'vitest';
import type { GenerateInput, GenerateResult } from '../../../../common/codegen/engine';
import type { CodeVersion } from '../../../../common/perf/types';
import { proposeOptimization } from '../../../../main/services/perf/propose/propose';
import { optimizationRequest } from '../../../../main/services/perf/propose/request';

const before: CodeVersion = {
  language: 'python',
  module: 'dedupe.py',
  function: 'dedupe',
  files: {
    'dedupe.py': 'def dedupe(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n',
    'helpers.py': 'X = 1\n',
  },
};

function result(files: GenerateResult['files'], extra: Partial<GenerateResult> = {}): GenerateResult {
  return {
    generationId: 'g1',
    selected: 0,
    code: files[0]?.content ?? '',
    files,
    diffs: files.map((f) => ({ path: f.path, hunks: [] })),
    candidates: [],
    tests: null,
    scan: { ok: true, findings: [], tools: [], durationMs: 0 },
    score: { score: 80, breakdown: [] },
    budget: { contextTokens: 4096, reservedForAnswer: 1024, used: 100, parts: [] },
    checked: 'full',
    timings: { totalMs: 1, generateMs: 1, checkMs: 0, testMs: 0 },
    ...extra,
  };
}

describe('optimizationRequest', () => {
  it('is a refactor of the module with the profile, the slope, the callers and the tests', () => {
    const req = optimizationRequest({
      before,
      hot: [{ name: 'dedupe', file: 'dedupe.py', line: 1, selfMs: 812.4, totalMs: 820, selfPercent: 97, calls: 3 }],
      bench: {
        sizes: [
          {
            n: 1000,
            beforeSec: [0.01, 0.012, 0.011],
            afterSec: [0.01],
            speedup: { median: 1, low: 1, high: 1, confidence: 0.95, method: 'bootstrap' },
          },
        ],
        slope: { before: 2.04, after: 2 },
      },
      callers: ['app.py:12 ids = dedupe(raw_ids)'],
      tests: [{ origin: 'user', files: [{ path: 'test_dedupe.py', content: 'from dedupe import dedupe\n' }] }],
    });
    expect(req.type).toBe('refactor');
    expect(req.targetFile).toBe('dedupe.py');
    expect(req.files?.map((f) => f.path).sort()).toEqual(['dedupe.py', 'helpers.py']);
    expect(req.prompt).toContain('Make `dedupe` in dedupe.py faster');
    expect(req.prompt).toContain('dedupe (dedupe.py:1): 812 ms self, 820 ms total, 97 % of the run, 3 calls');
    expect(req.prompt).toContain('n=1000: 11.0 ms');
    expect(req.prompt).toContain('grows like n^2.0');
    expect(req.prompt).toContain('app.py:12 ids = dedupe(raw_ids)');
    expect(req.extraSuites).toHaveLength(1);
  });

  it('lists the last three earlier rejections, each cut to a readable length', () => {
    const long = `Rejected: behaviour differs: ${'x'.repeat(1000)}`;
    const req = optimizationRequest({ before, earlier: ['first', 'No usable proposal: The model left m.py unchanged', long, 'fourth'] });
    expect(req.prompt).not.toContain('first');
    expect(req.prompt).toContain('- attempt 1: No usable proposal: The model left m.py unchanged');
    expect(req.prompt).toContain('- attempt 3: fourth');
    expect(req.prompt).toMatch(/x{300}…/);
    expect(req.prompt).not.toMatch(/x{401}/);
  });

  it('leaves out what it was not given', () => {
    const req = optimizationRequest({ before });
    expect(req.prompt).not.toContain('Profile');
    expect(req.prompt).not.toContain('Benchmark');
    expect(req.prompt).not.toContain('Earlier attempts');
    expect(req.extraSuites).toBeUndefined();
  });
});

describe('proposeOptimization', () => {
  const faster = 'def dedupe(xs):\n    return list(dict.fromkeys(xs))\n';

  it('overlays the selected candidate on the version and keeps the other files', async () => {
    let seen: GenerateInput | undefined;
    const p = await proposeOptimization({ before }, async (input) => {
      seen = input;
      return result([{ path: 'dedupe.py', content: faster }]);
    });
    expect(seen?.targetFile).toBe('dedupe.py');
    expect(p.after.files['dedupe.py']).toBe(faster);
    expect(p.after.files['helpers.py']).toBe('X = 1\n');
    expect(p.after.function).toBe('dedupe');
    expect(p.generationId).toBe('g1');
  });

  it('refuses a failed generation, an unchanged module and a path outside the code, with typed errors', async () => {
    await expect(proposeOptimization({ before }, async () => result([], { error: 'no code' }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await expect(proposeOptimization({ before }, async () => result([], { diffs: [] }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('unchanged'),
    });
    await expect(proposeOptimization({ before }, async () => result([{ path: '../x.py', content: faster }]))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
