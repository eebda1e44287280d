// Public surface of the benchmark harness (issue 15.2): benchmark(), its request schema and the shared statistics.
export { benchmark } from './benchmark';
export { fitSlope, median, ratioInterval, verdict, type RatioIntervalOptions, type Verdict } from './stats';
export { BenchRequestSchema, type BenchOptions, type BenchProgress, type BenchRequest, type BenchRequestInput } from './types';
