// The real stage functions runGeneration chains (checks, scan, complexity, compile check, prompt assembly, tests);
// a test may replace single stages through EngineDeps.stages (orchestration tests only).
import { checkPython, checkTypeScript, scanSecurity } from '../checks';
import { measureComplexity } from '../complexity';
import { assemblePrompt, repairPrompt, testWritingPrompt, type AssembledPrompt } from '../prompt';
import { docstringTests, modelTestsEnd, parseModelTests, runTests } from '../tests';
import { compileCheck } from './compile-check';
import type { Stages } from './types';

export const DEFAULT_STAGES: Stages = {
  assemblePrompt: (input, deps) => assemblePrompt(input, deps),
  // The prompt passed back is the one assemblePrompt made (it carries the layout repairPrompt rebuilds from).
  repairPrompt: (prev, answer, feedback, files) => repairPrompt(prev as AssembledPrompt, answer, feedback, files ? { files } : {}),
  testWritingPrompt: (input) => testWritingPrompt(input),
  runTests: (input) => runTests(input),
  docstringTests,
  parseModelTests,
  modelTestsEnd,
  checkPython: (files, opts) => checkPython(files, opts.signal ? { signal: opts.signal } : {}),
  checkTypeScript: (files, opts) => checkTypeScript(files, opts),
  scanSecurity: (files, lang, opts) => scanSecurity(files, lang, opts.signal ? { signal: opts.signal } : {}),
  compileCheck,
  measureComplexity,
};

export function resolveStages(overrides?: Partial<Stages>): Stages {
  return { ...DEFAULT_STAGES, ...overrides };
}
