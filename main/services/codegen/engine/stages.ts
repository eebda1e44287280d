// The real stage functions runGeneration chains (checks, scan, complexity, compile check, prompt assembly, tests);
// a test may replace single stages through EngineDeps.stages (orchestration tests only).
import { EvolveError } from '../../../../common/errors';
import { checkPython, checkTypeScript, scanSecurity } from '../checks';
import { measureComplexity } from '../complexity';
import { compileCheck } from './compile-check';
import type { Stages } from './types';

const missing = (name: string) => () => {
  throw new EvolveError('UNAVAILABLE', `codegen stage ${name} is not wired`);
};

export const DEFAULT_STAGES: Stages = {
  assemblePrompt: missing('assemblePrompt'),
  repairPrompt: missing('repairPrompt'),
  testWritingPrompt: missing('testWritingPrompt'),
  runTests: missing('runTests'),
  docstringTests: missing('docstringTests'),
  parseModelTests: missing('parseModelTests'),
  checkPython: (files, opts) => checkPython(files, opts.signal ? { signal: opts.signal } : {}),
  checkTypeScript: (files, opts) => checkTypeScript(files, opts),
  scanSecurity: (files, lang, opts) => scanSecurity(files, lang, opts.signal ? { signal: opts.signal } : {}),
  compileCheck,
  measureComplexity,
};

export function resolveStages(overrides?: Partial<Stages>): Stages {
  return { ...DEFAULT_STAGES, ...overrides };
}
