// Public surface of the codegen test runner: runs a candidate's tests (user, docstring, model-written) in the sandbox.
export * from './types';
export { runTests, DEFAULT_TEST_WALL_MS } from './run-tests';
export { testEnvironment, findRunner } from './environment';
export { OUTPUT_CAP_BYTES } from './trim';
export { docstringTests } from './docstring-tests';
export { parseModelTests, modelTestsEnd, MODEL_TEST_CASES } from './model-tests';
export { testCountsByOrigin } from './counts';
