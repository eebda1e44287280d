// Public surface of the codegen engine: runGeneration (the UI, the CLI and the eval call only this) and its types.
export { runGeneration, SAMPLE_TEMPERATURE } from './run-generation';
export { selectCandidate, dualAgreement, type SelectionEntry, type Selection } from './select';
export { compileCheck } from './compile-check';
export { DEFAULT_STAGES, resolveStages } from './stages';
export type * from './types';
