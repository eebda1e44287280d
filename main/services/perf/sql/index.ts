// Public surface of the lab's SQL plans (issue 15.5): find queries, build the scratch schema, explain, propose, verify.
export { findQueries } from './find-queries';
export { scratchSchema, type SchemaWithModels } from './schema';
export { explainQuery, POSTGRES_NOTE, type ExplainOptions } from './explain';
export { proposeIndexes, type IndexProposal } from './propose';
export { verifyIndex, type IndexSizeResult, type IndexVerification, type VerifyOptions } from './verify';
export type { ScratchSchema, SchemaColumn, SchemaIndex, SchemaTable, SkippedConstruct } from './types';
