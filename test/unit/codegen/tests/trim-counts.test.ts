// Failure trimming (sandbox paths out, frames in own files only, the 2 KB cap) and the per-origin counts for the score.
import { describe, expect, it } from 'vitest';
import { OUTPUT_CAP_BYTES, testCountsByOrigin } from '../../../../main/services/codegen/tests';
import { joinFailures, stripSandboxPaths, trimNodeFailure, trimPythonFailure } from '../../../../main/services/codegen/tests/trim';
import { scoreCandidate } from '../../../../main/services/codegen/score';

describe('trimming', () => {
  it('strips the sandbox temp dir from paths and file URLs', () => {
    expect(stripSandboxPaths('File "/tmp/evolve-sbx-Ab12/solution.py", at file:///tmp/evolve-sbx-Ab12/a.js:1')).toBe(
      'File "solution.py", at a.js:1',
    );
  });

  it('keeps pytest frames in own files and E lines, drops site-packages frames', () => {
    const text = [
      'test_x.py:4: in test_a',
      '    assert f(1) == 2',
      '/root/venv/lib/python3.11/site-packages/lib.py:10: in helper',
      '    raise X',
      'solution.py:2: in f',
      '    return lib.helper()',
      'E   KeyError: 1',
    ].join('\n');
    expect(trimPythonFailure(text)).toBe(
      ['test_x.py:4: in test_a', '    assert f(1) == 2', 'solution.py:2: in f', '    return lib.helper()', 'E   KeyError: 1'].join('\n'),
    );
  });

  it('keeps the node error message and own frames, renaming emitted .js to the .ts the model wrote', () => {
    const stack = [
      'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
      '',
      '1 !== 2',
      '',
      '    at TestContext.<anonymous> (file:///tmp/evolve-sbx-x1/a.test.js:5:10)',
      '    at Test.runInAsyncScope (node:async_hooks:206:9)',
      '    at f (file:///tmp/evolve-sbx-x1/node_modules/dep/index.js:1:1)',
    ].join('\n');
    expect(trimNodeFailure(stack, new Map([['a.test.js', 'a.test.ts']]))).toBe(
      'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n1 !== 2\n    at TestContext.<anonymous> (a.test.ts:5:10)',
    );
  });

  it('caps the joined output, always shows the first failure and counts the ones left out', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ id: `t::${i}`, text: `E   assert ${i} == ${'x'.repeat(80)}` }));
    const out = joinFailures(many);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(OUTPUT_CAP_BYTES + 64);
    expect(out.startsWith('FAILED t::0\n')).toBe(true);
    expect(out).toMatch(/\.\.\. \d+ more failing tests not shown\n$/);
    const huge = joinFailures([
      { id: 'big', text: 'y'.repeat(10_000) },
      { id: 'next', text: 'z' },
    ]);
    expect(huge).toContain('FAILED big');
    expect(huge).toContain('... (cut)');
    expect(huge).toContain('... 1 more failing test not shown');
    expect(Buffer.byteLength(huge)).toBeLessThanOrEqual(OUTPUT_CAP_BYTES + 64);
  });
});

describe('testCountsByOrigin', () => {
  it('counts per origin, feeds the score, and measures nothing for unavailable runs', () => {
    const run = {
      status: 'failed' as const,
      runner: 'pytest',
      output: '',
      durationMs: 1,
      cases: [
        { id: 'a', origin: 'user' as const, passed: true },
        { id: 'b', origin: 'user' as const, passed: false },
        { id: 'c', origin: 'model' as const, passed: true },
      ],
    };
    const tests = testCountsByOrigin(run);
    expect(tests).toEqual({ user: { passed: 1, total: 2 }, model: { passed: 1, total: 1 } });
    const score = scoreCandidate({ language: 'python', code: 'def f():\n    return 1\n', compiles: true, tests });
    expect(score.breakdown.find((b) => b.signal === 'tests')).toMatchObject({ measured: true });
    expect(testCountsByOrigin({ ...run, status: 'unavailable', cases: [] })).toBeUndefined();
  });
});
