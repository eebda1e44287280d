// Public surface of the sandbox that every execution of generated code and its tests goes through.
export { runInSandbox, type RunInSandboxInput, type SandboxDeps } from './run';
export { sandboxSupport } from './support';
export { sweepStaleSandboxDirs } from './sweep';
export {
  DEFAULT_LIMITS,
  SandboxLimitsSchema,
  SandboxSpecSchema,
  type CapturedStream,
  type KilledBy,
  type SandboxLimits,
  type SandboxMethod,
  type SandboxResult,
  type SandboxSpec,
  type SandboxSpecInput,
  type SandboxSupport,
} from './types';
