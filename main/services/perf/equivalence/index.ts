// Public surface of the equivalence proof (issue 15.4): old and new version compared on generated inputs, with the old
// function's coverage, then the project's tests on the new one.
export { proveEquivalent, type ProveDeps } from './prove';
export { DEFAULT_EQUIVALENCE_WALL_MS, DEFAULT_MAX_EXAMPLES, ProveEquivalentRequestSchema, type ProveEquivalentRequest } from './request';
export { FLOAT_ABS_TOL, FLOAT_REL_TOL } from './python-driver';
