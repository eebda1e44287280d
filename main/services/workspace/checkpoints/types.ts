// Types of the checkpoint store: what a checkpoint is, what a diff and a restore report, and the audit sink it writes to.
import { z } from 'zod';
import type { AuditEvent } from '../../../../common/store/audit';

export const CheckpointIdSchema = z.string().regex(/^[0-9a-f]{40}$/, 'a checkpoint id is a 40-character hex commit id');

/** Labels are one short line (they become the first line of a shadow commit). */
export const CheckpointLabelSchema = z
  .string()
  .transform((s) =>
    Array.from(s, (c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? ' ' : c))
      .join('')
      .replace(/ {2,}/g, ' ')
      .trim(),
  )
  .pipe(z.string().min(1, 'a checkpoint needs a label').max(200));

/** Paths listed per checkpoint are capped so one huge first snapshot does not flood a list. */
export const MAX_LISTED_PATHS = 500;

export const CheckpointSchema = z.object({
  id: CheckpointIdSchema,
  /** Milliseconds since the epoch. */
  at: z.number().int().nonnegative(),
  label: z.string(),
  /** `checkpoint`: taken on request (before an apply). `pre-restore`: taken automatically before a restore/undo. */
  kind: z.enum(['checkpoint', 'pre-restore']),
  /** Paths that differ from the previous snapshot (first MAX_LISTED_PATHS). */
  files: z.array(z.string()),
  filesTotal: z.number().int().nonnegative(),
  /** Set on a pre-restore snapshot taken by undo: the checkpoint that undo went back to. */
  undoOf: CheckpointIdSchema.optional(),
  /** Set on a pre-restore snapshot: the checkpoint restored. */
  restoreOf: CheckpointIdSchema.optional(),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export const CheckpointFileChangeSchema = z.object({
  path: z.string(),
  /** Relative to the checkpoint: what the current files did to it. */
  status: z.enum(['added', 'modified', 'deleted', 'type-changed']),
  binary: z.boolean(),
  /** Unified diff text from the checkpoint to the current file (empty for binary files; capped). */
  patch: z.string(),
  truncated: z.boolean(),
});
export type CheckpointFileChange = z.infer<typeof CheckpointFileChangeSchema>;

export const CheckpointDiffSchema = z.object({ id: CheckpointIdSchema, files: z.array(CheckpointFileChangeSchema) });
export type CheckpointDiff = z.infer<typeof CheckpointDiffSchema>;

export const RestoredFileSchema = z.object({
  path: z.string(),
  /** SHA-256 of the bytes now on disk; null when restore deleted the file. */
  sha256: z.string().nullable(),
});
export type RestoredFile = z.infer<typeof RestoredFileSchema>;

export const RestoreResultSchema = z.object({
  /** The checkpoint the files are now back to. */
  restored: CheckpointIdSchema,
  /** The snapshot of the files just before the restore (restore it to undo the restore). */
  preRestore: CheckpointIdSchema,
  files: z.array(RestoredFileSchema),
});
export type RestoreResult = z.infer<typeof RestoreResultSchema>;

/** Where audit rows go: the app passes its AuditService (its `record` fits); tests pass a collecting array. */
export interface CheckpointAuditSink {
  record(ev: AuditEvent): Promise<unknown>;
}
