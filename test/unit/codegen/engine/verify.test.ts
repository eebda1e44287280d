// repairFeedback: what goes back to the model after a failed round — each failure once, the run's raw output only
// when no case carries its own message (a collection error), never an instruction the repair prompt already gives.
// blocksTestRun: which compile errors keep a round's code from being run (TypeScript type errors alone do not).
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../common/codegen/types';
import { blocksTestRun, repairFeedback } from '../../../../main/services/codegen/engine/verify';
import type { NamedCheck, TestRun } from '../../../../main/services/codegen/engine/types';

const TRACE = 'test_examples.py:5: in test_example_1\n    assert f(2) == 4\nE   assert 5 == 4';

function run(cases: TestRun['cases'], output: string, status: TestRun['status'] = 'failed'): TestRun {
  return { status, runner: 'pytest', cases, output, durationMs: 5 };
}

describe('repairFeedback', () => {
  it('sends each failing case once, with its message, and not the output that repeats them', () => {
    const tests = run(
      [
        { id: 'test_examples.py::test_example_1', origin: 'docstring', passed: false, message: TRACE },
        { id: 'test_examples.py::test_example_2', origin: 'docstring', passed: true },
        { id: 'test_model.py::test_m', origin: 'model', passed: false, message: 'model test failure' },
      ],
      `FAILED test_examples.py::test_example_1\n${TRACE}\nFAILED test_model.py::test_m\nmodel test failure`,
    );
    const fb = repairFeedback([], tests);
    expect(fb.split('assert 5 == 4')).toHaveLength(2);
    expect(fb).toContain('1 test(s) failed:\n- test_examples.py::test_example_1: test_examples.py:5');
    expect(fb).not.toContain('model test failure');
    expect(fb).not.toMatch(/Fix the code|Reply with/);
  });

  it('falls back to the run output when the failing cases carry no message', () => {
    const fb = repairFeedback([], run([], 'ImportError while importing test module test_examples.py', 'error'));
    expect(fb).toContain('The tests could not run against the code:');
    expect(fb).toContain('ImportError while importing test module');
  });
});

describe('blocksTestRun', () => {
  const checks = (...findings: Partial<Finding>[]): NamedCheck[] => [
    {
      name: 'typescript',
      ok: findings.length === 0,
      tools: [],
      durationMs: 1,
      findings: findings.map((f) => ({
        tool: 'tsc',
        ruleId: 'TS2322',
        severity: 'high' as const,
        file: 'solution.ts',
        line: 1,
        message: 'm',
        ...f,
      })),
    },
  ];

  it('runs the tests of TypeScript code whose only errors are type errors', () => {
    expect(blocksTestRun(checks())).toBe(false);
    expect(blocksTestRun(checks({ ruleId: 'TS2322' }, { ruleId: 'TS18048' }, { ruleId: 'TS7006' }))).toBe(false);
    // A lint finding is not a compile error at all.
    expect(blocksTestRun(checks({ tool: 'eslint', ruleId: 'no-unused-vars', severity: 'medium' }))).toBe(false);
  });

  it('does not run code with a syntax error, an eslint parse error, or a compile error of another language', () => {
    expect(blocksTestRun(checks({ ruleId: 'TS2322' }, { ruleId: 'TS1005' }))).toBe(true);
    expect(blocksTestRun(checks({ tool: 'eslint', ruleId: 'parse-error' }))).toBe(true);
    expect(blocksTestRun(checks({ tool: 'py_compile', ruleId: 'E999', file: 'solution.py' }))).toBe(true);
    expect(blocksTestRun(checks({ tool: 'go', ruleId: 'compile-error', file: 'main.go' }))).toBe(true);
  });
});
