// A TypeScript round that does not compile (TS2322) and fails its docstring example, as the engine produces it: shared
// by the stored-round tests (engine side, through the store adapter) and the review's rendering tests. No Node types:
// the renderer's test project type-checks it too.
import type { NamedCheck, TestRun } from '../../../common/codegen/engine';

export const TYPE_ERROR_CODE = 'export function add(a: number, b: number): number {\n  const s: string = a;\n  return a - b;\n}\n';
export const FIXED_CODE = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';

export const TS2322_CHECK: NamedCheck = {
  name: 'typescript',
  ok: false,
  findings: [
    {
      tool: 'tsc',
      ruleId: 'TS2322',
      severity: 'high',
      file: 'solution.ts',
      line: 2,
      message: "Type 'number' is not assignable to type 'string'.",
    },
  ],
  tools: [{ name: 'typescript', version: '5.9.3' }],
  durationMs: 120,
};

/** The example fails; a model-written test passes. */
export const FAILED_EXAMPLE_RUN: TestRun = {
  status: 'failed',
  runner: 'node --test',
  cases: [
    { id: 'examples.test.js::example 1', origin: 'docstring', passed: false, message: 'Expected values to be strictly equal:\n-1 !== 5' },
    { id: 'model.test.js::adds', origin: 'model', passed: true },
  ],
  output: 'AssertionError: -1 !== 5\n    at solution.ts:3',
  durationMs: 300,
};

export const FEEDBACK = 'Your code does not compile: solution.ts:2 TS2322';
