// repairFeedback: what goes back to the model after a failed round — each failure once, the run's raw output only
// when no case carries its own message (a collection error), never an instruction the repair prompt already gives.
import { describe, expect, it } from 'vitest';
import { repairFeedback } from '../../../../main/services/codegen/engine/verify';
import type { TestRun } from '../../../../main/services/codegen/engine/types';

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
