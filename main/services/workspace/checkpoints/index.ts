// Public surface of the checkpoint store (shadow-git snapshots of a project, undo and restore).
export { CheckpointStore, projectKey, type CheckpointStoreOptions } from './checkpoint-store';
export type { Checkpoint, CheckpointAuditSink, CheckpointDiff, CheckpointFileChange, RestoreResult, RestoredFile } from './types';
