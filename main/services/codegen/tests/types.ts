// Schemas and types of a test run of a generated candidate (suites in, per-case results and trimmed output out).
import { z } from 'zod';
import type { CodeFile, Language } from '../../../../common/codegen/types';
import type { SandboxLimits, SandboxResult, SandboxSupport, RunInSandboxInput } from '../sandbox';
import type { TEST_ORIGIN_WEIGHTS } from '../score';

/** Where a test came from; the same keys as TEST_ORIGIN_WEIGHTS in score.ts (user 3, docstring 2, model 1). */
export const TestOriginSchema = z.enum(['user', 'docstring', 'model']);
export type TestOrigin = z.infer<typeof TestOriginSchema>;
// Compile-time check that the two lists stay the same.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
export const ORIGINS_MATCH_SCORE: SameKeys<Record<TestOrigin, 1>, typeof TEST_ORIGIN_WEIGHTS> = true;

export const TestCaseResultSchema = z.object({
  /** Stable id: "<test file>::<test name>" (pytest node id, or the node --test top-level name). */
  id: z.string(),
  origin: TestOriginSchema,
  passed: z.boolean(),
  /** Trimmed failure text (assertion + traceback lines inside the candidate's files). */
  message: z.string().optional(),
});
export type TestCaseResult = z.infer<typeof TestCaseResultSchema>;

export const TEST_RUN_STATUSES = ['passed', 'failed', 'error', 'unavailable', 'no-tests'] as const;

export const TestRunSchema = z.object({
  /**
   * passed: every case passed. failed: a case failed, or the run was killed (a hang → killedBy 'wall').
   * error: the runner could not collect the tests (syntax error in the candidate, import error) — a failed round too.
   * unavailable: the runner or the sandbox is missing: NOT a failed round (doctor and the UI say why).
   * no-tests: no suite was given or none had a test.
   */
  status: z.enum(TEST_RUN_STATUSES),
  /** e.g. 'pytest 9.2.0 (project .venv)', 'node --test (node 20.19.0)'. */
  runner: z.string(),
  cases: z.array(TestCaseResultSchema),
  /** Trimmed: assertion + traceback lines inside the generated code, capped (~2 KB); goes back to the model. */
  output: z.string(),
  unavailableReason: z.string().optional(),
  /** The sandbox's KilledBy when the run was killed (a hang → 'wall'). */
  killedBy: z.string().optional(),
  /**
   * Model-written test files that could not load through their own fault (a syntax error in the test, not in the
   * candidate): left out of `cases`, so they neither fail nor pass any candidate.
   */
  invalidTests: z.array(z.object({ file: z.string(), message: z.string() })).optional(),
  durationMs: z.number().nonnegative(),
});
export type TestRun = z.infer<typeof TestRunSchema>;

/** Test files written next to the candidate, all of one origin. */
export interface TestSuite {
  origin: TestOrigin;
  files: CodeFile[];
}

export interface RunTestsInput {
  language: Language;
  /** The candidate and its support files (paths relative to the project / virtual root). */
  files: CodeFile[];
  suites: TestSuite[];
  /** The project: its .venv / venv / node_modules are mounted read-only in the sandbox. */
  projectRoot?: string;
  signal?: AbortSignal;
  limits?: Partial<SandboxLimits>;
}

/** Injected for tests: a different sandbox, support report or tools venv. */
export interface RunTestsDeps {
  runInSandbox?: (input: RunInSandboxInput) => Promise<SandboxResult>;
  support?: () => Promise<SandboxSupport>;
  /** The app's tools venv (default ~/.cache/evolve-studio/tools/py); its pytest runs tests without a project venv. */
  toolsDir?: string;
}

/** Where generated code goes and what the tests import from it. */
export interface TestEntry {
  /** Path of the candidate's file, e.g. 'solution.py' or 'src/slug.ts'. */
  file: string;
  /** Names the tests import (the function/class the prompt asks for). */
  exports: string[];
}

export interface TestEnvironment {
  available: boolean;
  /** The runner that would be used, e.g. 'pytest 9.2.0 (tools venv)'. */
  runner: string;
  reason?: string;
}
