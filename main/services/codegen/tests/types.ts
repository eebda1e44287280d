// Schemas and types of a test run of a generated candidate (suites in, per-case results and trimmed output out).
import { type z } from 'zod';
import type { CodeFile, Language } from '../../../../common/codegen/types';
import type { SandboxLimits, SandboxResult, SandboxSupport, RunInSandboxInput } from '../sandbox';
import type { TEST_ORIGIN_WEIGHTS } from '../score';
import { type TestCaseResultSchema, TestRunSchema, type TestOrigin } from '../../../../common/codegen/engine';

// The run's wire shapes live in common (the `codegen` contract carries them); this module re-exports them.
export { TestCaseResultSchema, TestOriginSchema, TestRunSchema, type TestOrigin, type TestRun } from '../../../../common/codegen/engine';
export type TestCaseResult = z.infer<typeof TestCaseResultSchema>;
export const TEST_RUN_STATUSES = TestRunSchema.shape.status.options;
// Compile-time check that the origins and the score's weights stay the same list.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
export const ORIGINS_MATCH_SCORE: SameKeys<Record<TestOrigin, 1>, typeof TEST_ORIGIN_WEIGHTS> = true;

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
