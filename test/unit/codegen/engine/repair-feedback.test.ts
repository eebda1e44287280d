// repairFeedback: what goes back to the model after a failed round — each failure once, the run's raw output only
// when no case carries its own message (a collection error), never an instruction the repair prompt already gives.
import { describe, expect, it } from 'vitest';
import { repairFeedback } from '../../../../main/services/codegen/engine/verify';
import { compileHint } from '../../../../main/services/codegen/engine/compile-hints';
import type { NamedCheck, TestRun } from '../../../../main/services/codegen/engine/types';
import type { Finding } from '../../../../common/codegen/types';

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

  it('adds a one-line fix under a TypeScript error a small model repeats, once per hint, and none to other errors', () => {
    const tsc = (line: number, ruleId: string, message: string): Finding => ({
      tool: 'tsc',
      ruleId,
      severity: 'high',
      file: 'solution.ts',
      line,
      message,
    });
    const code = [
      'export class CircuitBreaker {',
      "  state: 'open' | 'closed' = 'closed';",
      "  get state(): 'open' | 'closed' {",
      '    return this.state;',
      '  }',
      '}',
    ].join('\n');
    const checks: NamedCheck[] = [
      {
        name: 'typescript',
        ok: false,
        tools: [],
        durationMs: 1,
        findings: [
          tsc(2, 'TS2300', "Duplicate identifier 'state'."),
          tsc(3, 'TS2300', "Duplicate identifier 'state'."),
          tsc(4, 'TS2322', "Type 'number' is not assignable to type 'string'."),
        ],
      },
    ];
    const fb = repairFeedback(checks, null, [{ path: 'solution.ts', content: code }]);
    const lines = fb.split('\n');
    // Under the first TS2300 (after its quoted line), not repeated under the second; the TS2322 gets none.
    expect(lines[1]).toBe("solution.ts:2: Duplicate identifier 'state'.");
    expect(lines[2]).toContain("state: 'open'");
    expect(lines[3]).toMatch(/^ {4}Hint: a class cannot have a field and a getter or method both named `state`.*`#state`/);
    expect(fb.match(/Hint:/g)).toHaveLength(1);
    expect(fb).toContain("solution.ts:4: Type 'number' is not assignable to type 'string'.\n    4 |");
    expect(fb).not.toMatch(/string'\.\n.*\n {4}Hint/);
  });

  it('names the quoted identifier where the hint needs it, and gives nothing for codes or tools not in the table', () => {
    const f = (tool: string, ruleId: string, message: string): Finding => ({
      tool,
      ruleId,
      severity: 'high',
      file: 'a.ts',
      line: 1,
      message,
    });
    expect(compileHint(f('tsc', 'TS2588', "Cannot assign to 'count' because it is a constant."))).toContain('`count` with `let`');
    expect(compileHint(f('tsc', 'TS18047', "'current' is possibly 'null'."))).toContain('check `current` before using it');
    expect(compileHint(f('tsc', 'TS2595', "'assert' can only be imported by using a default import."))).toContain(
      "import assert from 'node:assert/strict'",
    );
    expect(compileHint(f('tsc', 'TS2366', 'Function lacks ending return statement.'))).toMatch(/final `return`/);
    expect(compileHint(f('tsc', 'TS2554', 'Expected 1 arguments, but got 2.'))).toBeUndefined();
    expect(compileHint(f('py_compile', 'TS2300', "Duplicate identifier 'x'."))).toBeUndefined();
  });
});
