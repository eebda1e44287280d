// Builds the score's input from the check and scan results that actually ran, so the breakdown shows exactly them.
import type { CheckResult, Finding, Language } from '../../../common/codegen/types';
import type { ComplexityMeasure } from './complexity';
import type { ScoreInput } from './score';

/** A finding that means the code does not compile/parse: the compiler's errors and the linters' parse errors. */
export function isCompileError(f: Finding): boolean {
  if (f.severity !== 'high') return false;
  return (
    f.tool === 'py_compile' ||
    f.tool === 'tsc' ||
    (f.tool === 'eslint' && f.ruleId === 'parse-error') ||
    f.ruleId === 'invalid-syntax' ||
    // Go/Rust/Java/C++ compilers run by engine/compile-check.ts.
    f.ruleId === 'compile-error'
  );
}

/**
 * A compile error that keeps the code from running at all: every compile error but TypeScript's type errors (tsc
 * codes from 2000 on; TS1xxx are parser and grammar errors). Code with type errors only runs once its types are
 * erased, so its tests still run: they tell candidates apart and go back to the model with the errors. In the eval's
 * k=3 run, 45 of the 72 TypeScript candidates ran no test, nearly all for a strict-mode type error (`possibly 'null'`,
 * a missing return after a loop) — ts-retry's only right candidate among them.
 */
export function isSyntaxError(f: Finding): boolean {
  if (!isCompileError(f)) return false;
  const typeError = f.tool === 'tsc' && !/^TS1\d{3}$/.test(f.ruleId);
  return !typeError;
}

export interface ChecksForScore {
  language: Language;
  code: string;
  /** checkPython / checkTypeScript: compile errors decide `compiles`, the rest are lint findings. */
  staticCheck: CheckResult;
  /** scanSecurity; absent when the scan did not run. */
  security?: CheckResult;
  tests?: ScoreInput['tests'];
  coverage?: number;
  complexity?: ComplexityMeasure;
}

export function scoreInputFromChecks(c: ChecksForScore): ScoreInput {
  const compileErrors = c.staticCheck.findings.filter(isCompileError);
  return {
    language: c.language,
    code: c.code,
    compiles: compileErrors.length === 0,
    // A compile error is counted once, by the compile signal, not again as lint.
    lint: c.staticCheck.findings.filter((f) => !isCompileError(f)),
    ...(c.security ? { security: c.security.findings } : {}),
    ...(c.tests ? { tests: c.tests } : {}),
    ...(c.coverage === undefined ? {} : { coverage: c.coverage }),
    ...(c.complexity ? { complexity: { mean: c.complexity.mean, max: c.complexity.max, functions: c.complexity.functions.length } } : {}),
  };
}
