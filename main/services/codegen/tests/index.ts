// Public surface of the codegen test runner: runs a candidate's tests (user, docstring, model-written) in the sandbox.
export * from './types';
