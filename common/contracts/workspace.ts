// Contract for the `workspace` domain: the Code section's backend — workspace trust, the file tree, reading and
// saving files inside a project root, applying a generation's accepted hunks (gate → checkpoint → write → audit),
// rejecting one, checkpoints with undo/restore, and a read-only view of the user's own git changes.
import { z } from 'zod';
import { Sha256Schema } from '../codegen/types';
import { CodegenGenerationSchema } from '../store/codegen-requests';
import { call, defineDomain } from './define';

const Id = z.string().min(1).max(200);
/** A path relative to the project root, '/' separators (the service refuses `..`, absolute paths and symlinks). */
const RelPath = z.string().min(1).max(4096);
const ProjectRef = z.object({ projectId: Id }).strict();
const CheckpointId = z.string().regex(/^[0-9a-f]{40}$/, 'a checkpoint id is a 40-character hex commit id');

/** Files larger than this are not opened in the editor (RESOURCE_EXHAUSTED with details {size, limit}). */
export const WORKSPACE_MAX_READ_BYTES = 2 * 1024 * 1024;
/** One tree call lists at most this many entries of a folder (then `truncated`). */
export const WORKSPACE_MAX_TREE_ENTRIES = 5000;

export const TrustStateSchema = z.object({
  projectId: Id,
  /** Until true, nothing of the project's code, tests or configuration runs (codegen checks refuse). */
  trusted: z.boolean(),
  /** When the user last decided (ms since epoch); null: never asked yet (the UI asks on first open). */
  decidedAt: z.number().int().nonnegative().nullable(),
});
export type TrustState = z.infer<typeof TrustStateSchema>;

export const TreeEntrySchema = z.object({
  /** Relative to the project root, '/' separators. */
  path: z.string(),
  name: z.string(),
  kind: z.enum(['file', 'dir']),
  /** Bytes for files; 0 for folders. */
  size: z.number().int().nonnegative(),
});
export type TreeEntry = z.infer<typeof TreeEntrySchema>;

export const TreeSchema = z.object({
  /** The folder listed ('' = the project root). */
  dir: z.string(),
  /** Folders first, then files, each by name. Ignored paths (.gitignore, .evolveignore, the index's defaults) left out. */
  entries: z.array(TreeEntrySchema),
  truncated: z.boolean(),
});
export type WorkspaceTree = z.infer<typeof TreeSchema>;

export const EolSchema = z.enum(['lf', 'crlf', 'mixed', 'none']);
export type Eol = z.infer<typeof EolSchema>;

export const FileContentSchema = z.object({
  path: z.string(),
  /** The text without the BOM (decoded UTF-8; line endings as on disk). */
  content: z.string(),
  /** SHA-256 of the bytes on disk (BOM included): pass it back as writeFile's baseHash. */
  hash: Sha256Schema,
  /** 'none' when the file has no line break. */
  eol: EolSchema,
  bom: z.boolean(),
  size: z.number().int().nonnegative(),
});
export type FileContent = z.infer<typeof FileContentSchema>;

export const WrittenFileSchema = z.object({ path: z.string(), hash: Sha256Schema });

export const WorkspaceCheckpointSchema = z.object({
  id: CheckpointId,
  at: z.number().int().nonnegative(),
  label: z.string(),
  kind: z.enum(['checkpoint', 'pre-restore']),
  files: z.array(z.string()),
  filesTotal: z.number().int().nonnegative(),
  undoOf: CheckpointId.optional(),
  restoreOf: CheckpointId.optional(),
});
export type WorkspaceCheckpoint = z.infer<typeof WorkspaceCheckpointSchema>;

export const CheckpointDiffSchema = z.object({
  id: CheckpointId,
  files: z.array(
    z.object({
      path: z.string(),
      status: z.enum(['added', 'modified', 'deleted', 'type-changed']),
      binary: z.boolean(),
      patch: z.string(),
      truncated: z.boolean(),
    }),
  ),
});

export const RestoreResultSchema = z.object({
  /** The checkpoint the files are now back to. */
  restored: CheckpointId,
  /** Snapshot taken just before (restore it to undo the undo). */
  preRestore: CheckpointId,
  files: z.array(z.object({ path: z.string(), sha256: Sha256Schema.nullable() })),
});
export type WorkspaceRestoreResult = z.infer<typeof RestoreResultSchema>;

export const GitChangeSchema = z.object({
  path: z.string(),
  /** For renames/copies: the old path. */
  origPath: z.string().optional(),
  /** Porcelain v2 XY: index and worktree status letters ('.' unchanged), or '??' untracked, '!!' ignored. */
  xy: z.string().length(2),
  kind: z.enum(['modified', 'added', 'deleted', 'renamed', 'copied', 'untracked', 'unmerged', 'type-changed']),
});
export type GitChange = z.infer<typeof GitChangeSchema>;

export const GitStatusSchema = z.discriminatedUnion('repo', [
  z.object({ repo: z.literal(false) }),
  z.object({
    repo: z.literal(true),
    /** Current branch name; null when HEAD is detached or there is no commit yet. */
    branch: z.string().nullable(),
    files: z.array(GitChangeSchema),
    /** `git diff HEAD` (staged + unstaged, tracked files) as unified diff text; capped at 1 MiB. */
    diff: z.string(),
    /** The diff or the file list (at most 5000) was cut. */
    truncated: z.boolean(),
  }),
]);
export type GitStatus = z.infer<typeof GitStatusSchema>;

/** Commit-message answers are short: a subject line and a few body lines. */
export const COMMIT_DRAFT_MAX_TOKENS = 200;

export const CommitDraftSchema = z.object({
  /** One line, at most 72 characters. */
  subject: z.string(),
  /** Wrapped prose after the blank line ('' when the model gave none). */
  body: z.string(),
  /** The subject has the conventional form `type(scope)?: summary`; false: the user should edit it before committing. */
  conventional: z.boolean(),
  /** The local model that wrote it. */
  model: z.string(),
  ms: z.number().nonnegative(),
  /** Characters of `git diff HEAD` and how many of them the model saw (the rest was cut at a line boundary). */
  diffChars: z.number().int().nonnegative(),
  sentChars: z.number().int().nonnegative(),
  cut: z.boolean(),
  /** Changed files listed to the model (untracked ones have no diff, only their name). */
  files: z.number().int().nonnegative(),
});
export type CommitDraft = z.infer<typeof CommitDraftSchema>;

export const ApplyGenerationResultSchema = z.object({
  /** The checkpoint taken before writing (undo/restore it to go back). */
  checkpointId: CheckpointId,
  written: z.array(WrittenFileSchema),
  /** Paths in the generation's diff with no accepted hunk: not touched. */
  skipped: z.array(z.string()),
  /** True when high-severity findings were overridden (audited as generation.gate_override). */
  overridden: z.boolean(),
});
export type ApplyGenerationResult = z.infer<typeof ApplyGenerationResultSchema>;

export const workspaceContract = defineDomain('workspace', {
  trustState: call({ input: ProjectRef, output: TrustStateSchema, doc: 'Whether the user trusts this project (its code may run).' }),
  setTrust: call({
    input: z.object({ projectId: Id, trusted: z.boolean() }).strict(),
    output: TrustStateSchema,
    doc: 'Trust or distrust a project (audited as workspace.trust).',
  }),
  tree: call({
    input: z.object({ projectId: Id, dir: z.string().max(4096).optional() }).strict(),
    output: TreeSchema,
    doc: 'One level of the project tree, ignore rules applied; symlinks, devices and .git are not listed.',
  }),
  readFile: call({
    input: z.object({ projectId: Id, path: RelPath }).strict(),
    output: FileContentSchema,
    doc: 'A text file for the editor. Binary → INVALID_ARGUMENT {binary: true}; over 2 MB → RESOURCE_EXHAUSTED {size, limit}.',
  }),
  writeFile: call({
    input: z
      .object({
        projectId: Id,
        path: RelPath,
        /** The editor's text (no BOM; the file's BOM is kept). */
        content: z.string().max(WORKSPACE_MAX_READ_BYTES * 2),
        /** The hash readFile returned; null to create a new file. Different from disk → CONFLICT, nothing written. */
        baseHash: Sha256Schema.nullable(),
      })
      .strict(),
    output: z.object({
      path: z.string(),
      hash: Sha256Schema,
      size: z.number().int().nonnegative(),
      /** The checkpoint taken before the write; null when the bytes were already the same (nothing written). */
      checkpointId: CheckpointId.nullable(),
    }),
    doc: "The editor's save: checkpoint first, then an atomic write keeping BOM and file mode.",
  }),
  applyGeneration: call({
    input: z
      .object({
        generationId: Id,
        accept: z
          .array(z.object({ path: RelPath, hunkIds: z.array(z.string().min(1).max(200)).min(1).max(1000) }).strict())
          .min(1)
          .max(200),
        /** Apply despite high-severity findings; the reason is audited. */
        override: z
          .object({ reason: z.string().min(1).max(4000) })
          .strict()
          .optional(),
        /** Why the user accepted (experience learning); optional. */
        reason: z.string().max(4000).optional(),
      })
      .strict(),
    output: ApplyGenerationResultSchema,
    doc: 'Gate → checkpoint → accepted hunks written (CONFLICT if a file changed since the generation) → accepted + audit.',
  }),
  rejectGeneration: call({
    input: z.object({ generationId: Id, reason: z.string().min(1).max(4000) }).strict(),
    output: CodegenGenerationSchema,
    doc: 'Reject a generation with a reason (audited; the next similar prompt sees it).',
  }),
  checkpoints: call({
    input: z.object({ projectId: Id, limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.array(WorkspaceCheckpointSchema),
    doc: "The project's checkpoints, newest first.",
  }),
  checkpointDiff: call({
    input: z.object({ projectId: Id, checkpointId: CheckpointId }).strict(),
    output: CheckpointDiffSchema,
    doc: 'What restoring this checkpoint would change (checkpoint → files now).',
  }),
  undo: call({
    input: ProjectRef,
    output: RestoreResultSchema,
    doc: 'Back to the state before the last apply or save (NOT_FOUND when none).',
  }),
  restore: call({
    input: z.object({ projectId: Id, checkpointId: CheckpointId }).strict(),
    output: RestoreResultSchema,
    doc: 'Files back to a checkpoint (a pre-restore snapshot makes it undoable).',
  }),
  gitStatus: call({
    input: ProjectRef,
    output: GitStatusSchema,
    doc: "The user's own git: changed files and the diff, read-only (sealed git environment); {repo:false} without one.",
  }),
  draftCommitMessage: call({
    input: z.object({ projectId: Id, modelId: z.string().min(1).max(512).optional() }).strict(),
    output: CommitDraftSchema,
    doc: 'A commit message drafted by the local model from the uncommitted diff (nothing is committed). Not a repo → NOT_FOUND; no changes → CONFLICT.',
  }),
});
