// Public surface of the lab's SQL plans (issue 15.5): find queries, build the scratch schema, explain, propose, verify.
export { findQueries } from './find-queries';
export { scratchSchema, type SchemaWithModels } from './schema';
export { explainQuery, POSTGRES_NOTE, type ExplainOptions } from './explain';
export { proposeIndexes } from './propose';
export { verifyIndex, type IndexSizeResult, type VerifyOptions } from './verify';
export type { IndexProposal, IndexVerification } from '../../../../common/perf/types';
export type { ScratchSchema, SchemaColumn, SchemaIndex, SchemaTable, SkippedConstruct } from './types';
