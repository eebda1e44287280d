// The workspace service behind the `workspace` contract: trust, tree, read/save files, apply/reject generations,
// checkpoints with undo/restore and the user's git status, for projects stored in the encrypted index. Writes,
// applies, undos and restores of one project run one at a time.
import { readFile } from 'node:fs/promises';
import { SequencerByKey } from '../../../common/base/sequencer';
import type {
  ApplyGenerationResult,
  CommitDraft,
  FileContent,
  GitStatus,
  TrustState,
  WorkspaceCheckpoint,
  WorkspaceRestoreResult,
  WorkspaceTree,
} from '../../../common/contracts/workspace';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { CodegenGeneration } from '../../../common/store/codegen-requests';
import type { Log } from '../../platform/log/logger';
import { CodegenStore, type StoreCaller } from '../codegen/codegen-store';
import type { EngineModel } from '../codegen/engine/types';
import { applyHunks } from '../codegen/edits/apply-hunks';
import { diffFile } from '../codegen/edits/diff-files';
import { decodeUtf8, sha256Hex } from '../codegen/edits/text';
import { applyGeneration, type ApplyGenerationInput } from './apply-generation';
import { CheckpointStore, type CheckpointDiff } from './checkpoints';
import { assertCommittable, draftCommitMessage } from './commit-message';
import { userGitStatus } from './git-status';
import { decodeText, hasBom, readProjectFile } from './read-file';
import { applyFileEdits, MAX_EDIT_FILE_BYTES, resolveInsideRoot } from './safe-write';
import { listTree } from './tree';
import { TrustStore } from './trust';
import { UserEditsTracker } from './user-edits';

export interface WorkspaceServiceOptions {
  store: StoreCaller;
  /** The app's data dir (shadow checkpoint repositories, git's sealed HOME). */
  dataDir: string;
  pathEnv?: string;
  gitBinary?: string;
  log?: Log;
  /** The model that drafts commit messages (the codegen engine's model port; the default coding model when unnamed). */
  commitModel?: (modelId: string | undefined, signal?: AbortSignal) => Promise<EngineModel>;
  /** Model work is interactive: background indexing waits while it runs. */
  interactive?: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
}

export interface SaveResult {
  path: string;
  hash: string;
  size: number;
  checkpointId: string | null;
}

/**
 * The bytes a save writes. Editors normalise line endings to LF: when the editor's text has no CR, only the lines the
 * user changed are replaced (a diff against the file, applied like an accepted generation), so every untouched line
 * keeps its own ending (CRLF or mixed files stay so), new lines take the file's dominant ending, and the BOM stays.
 * Text that carries CRs is written as given (with the file's BOM kept).
 */
export function saveBytes(rel: string, content: string, old: Uint8Array | null): Uint8Array {
  const text = content.startsWith('\uFEFF') ? content.slice(1) : content;
  if (!old) return new TextEncoder().encode(content);
  const oldText = decodeText(old) === null ? null : decodeUtf8(old, rel); // keeps the BOM character
  if (oldText !== null && !text.includes('\r')) {
    const d = diffFile(rel, oldText, text);
    return new TextEncoder().encode(
      applyHunks(
        oldText,
        d,
        d.hunks.map((h) => h.id),
      ),
    );
  }
  return new TextEncoder().encode(hasBom(old) ? `\uFEFF${text}` : text);
}

export class WorkspaceService {
  readonly trust: TrustStore;
  readonly codegen: CodegenStore;
  private readonly stores = new Map<string, Promise<CheckpointStore>>();
  private readonly queue = new SequencerByKey<string>();
  private readonly userEdits = new UserEditsTracker();

  constructor(private readonly o: WorkspaceServiceOptions) {
    this.trust = new TrustStore(o.store);
    this.codegen = new CodegenStore(o.store, o.log ? { log: o.log } : {});
  }

  /** For the codegen engine: FORBIDDEN unless the user trusts the project (call before running its code/tests/config). */
  assertTrusted(projectId: string): Promise<void> {
    return this.trust.assertTrusted(projectId);
  }

  async trustState(projectId: string): Promise<TrustState> {
    await this.rootOf(projectId);
    return this.trust.state(projectId);
  }

  async setTrust(projectId: string, trusted: boolean): Promise<TrustState> {
    await this.rootOf(projectId); // an unknown project is NOT_FOUND, not a stray setting
    return this.trust.set(projectId, trusted);
  }

  /** The stored root of a project (NOT_FOUND for an unknown id). */
  async rootOf(projectId: string): Promise<string> {
    return (await this.o.store.call('index.project.get', { projectId })).rootPath;
  }

  async tree(projectId: string, dir?: string): Promise<WorkspaceTree> {
    return listTree(await this.rootOf(projectId), dir);
  }

  async readFile(projectId: string, rel: string): Promise<FileContent> {
    return readProjectFile(await this.rootOf(projectId), rel);
  }

  /** The editor's save: CONFLICT when the disk no longer holds `baseHash` (null: the file must not exist); checkpoint first. */
  writeFile(projectId: string, rel: string, content: string, baseHash: string | null): Promise<SaveResult> {
    return this.queue.queue(projectId, async () => {
      const root = await this.rootOf(projectId);
      const target = await resolveInsideRoot(root, rel);
      const old = target.exists ? await readFile(target.abs) : null;
      if (old && old.byteLength > MAX_EDIT_FILE_BYTES) throw new EvolveError('RESOURCE_EXHAUSTED', `${target.rel} is too large to save`);
      const actual = old ? sha256Hex(old) : null;
      if (actual !== baseHash) {
        throw new EvolveError(
          'CONFLICT',
          actual === null
            ? `${target.rel} was deleted on disk since it was opened; nothing was written`
            : baseHash === null
              ? `${target.rel} already exists; nothing was written`
              : `${target.rel} changed on disk since it was opened; nothing was written (reload or compare first)`,
          { conflicts: [{ path: target.rel, expectedHash: baseHash, actualHash: actual }] },
        );
      }
      const bytes = saveBytes(target.rel, content, old);
      const hash = sha256Hex(bytes);
      if (hash === actual) return { path: target.rel, hash, size: bytes.byteLength, checkpointId: null };
      const checkpoints = await this.checkpointsOf(projectId);
      const cp = await checkpoints.checkpoint(`Before saving ${target.rel}`, { include: [target.rel] });
      await applyFileEdits(root, [{ path: target.rel, expectedHash: baseHash, newBytes: bytes }]);
      await checkpoints.recordApplied({ checkpointId: cp.id, paths: [target.rel] });
      await this.learnFromSave(projectId, target.rel, baseHash, bytes, hash);
      return { path: target.rel, hash, size: bytes.byteLength, checkpointId: cp.id };
    });
  }

  async applyGeneration(input: ApplyGenerationInput): Promise<ApplyGenerationResult> {
    const g = await this.codegen.get(input.generationId);
    const projectId = g.projectId;
    const deps = { codegen: this.codegen, rootOf: (id: string) => this.rootOf(id), checkpointsOf: (id: string) => this.checkpointsOf(id) };
    // A generation without a project fails inside, before anything is written.
    if (!projectId) return applyGeneration(deps, input);
    // Serialized with the project's saves, undos and restores.
    return this.queue.queue(projectId, async () => {
      const r = await applyGeneration(deps, input);
      await this.noteApplied(projectId, g.id, r.written);
      return r;
    });
  }

  /** Remembers what the apply wrote (read back and hash-checked) so the user's later saves teach the generation. */
  private async noteApplied(projectId: string, generationId: string, written: readonly { path: string; hash: string }[]): Promise<void> {
    const root = await this.rootOf(projectId);
    const files: { path: string; text: string; hash: string }[] = [];
    for (const w of written) {
      const bytes = await readFile((await resolveInsideRoot(root, w.path)).abs).catch(() => null);
      if (bytes && sha256Hex(bytes) === w.hash) files.push({ path: w.path, text: new TextDecoder().decode(bytes), hash: w.hash });
    }
    this.userEdits.noteApplied(projectId, generationId, files);
  }

  /**
   * A save that continues a file an accepted generation wrote records the user's edits on that generation (experience
   * learning). The save itself has succeeded: a failure to record is logged, and the save stands.
   */
  private async learnFromSave(projectId: string, rel: string, baseHash: string | null, bytes: Uint8Array, hash: string): Promise<void> {
    const edits = this.userEdits.onSaved(projectId, rel, baseHash, new TextDecoder().decode(bytes), hash);
    if (!edits) return;
    await this.codegen
      .recordUserEdits(edits.generationId, edits.userEdits)
      .catch((e: unknown) => this.o.log?.('warn', `recording the user's edits of ${rel} failed: ${toErrorInfo(e).message}`));
  }

  rejectGeneration(generationId: string, reason: string): Promise<CodegenGeneration> {
    return this.codegen.reject(generationId, reason);
  }

  async checkpoints(projectId: string, limit = 200): Promise<WorkspaceCheckpoint[]> {
    return (await this.checkpointsOf(projectId)).list(limit);
  }

  async checkpointDiff(projectId: string, checkpointId: string): Promise<CheckpointDiff> {
    return (await this.checkpointsOf(projectId)).diff(checkpointId);
  }

  undo(projectId: string): Promise<WorkspaceRestoreResult> {
    return this.queue.queue(projectId, async () => (await this.checkpointsOf(projectId)).undoLast());
  }

  restore(projectId: string, checkpointId: string): Promise<WorkspaceRestoreResult> {
    return this.queue.queue(projectId, async () => (await this.checkpointsOf(projectId)).restore(checkpointId));
  }

  /** The user's own git, read-only; trusted projects only (the repository's config could run filters). */
  async gitStatus(projectId: string): Promise<GitStatus> {
    const root = await this.rootOf(projectId);
    await this.trust.assertTrusted(projectId);
    return userGitStatus(root, { dataDir: this.o.dataDir, pathEnv: this.o.pathEnv, gitBinary: this.o.gitBinary });
  }

  /** A commit message for the uncommitted changes, drafted by the local model; trusted projects only (git status runs). */
  async draftCommitMessage(projectId: string, modelId?: string): Promise<CommitDraft> {
    const status = await this.gitStatus(projectId);
    assertCommittable(status); // not a repo / nothing to commit: said before any model loads
    const getModel = this.o.commitModel;
    if (!getModel) throw new EvolveError('UNAVAILABLE', 'No local model is wired for commit messages in this build');
    const run = async () => draftCommitMessage(status, await getModel(modelId));
    return this.o.interactive ? this.o.interactive('commit-message', run) : run();
  }

  /** One CheckpointStore per project, opened on first use (a failed open is retried next time). */
  private checkpointsOf(projectId: string): Promise<CheckpointStore> {
    let p = this.stores.get(projectId);
    if (!p) {
      p = this.rootOf(projectId).then((projectRoot) =>
        CheckpointStore.open({
          projectRoot,
          dataDir: this.o.dataDir,
          projectId,
          audit: { record: (ev) => this.o.store.call('audit.append', ev) },
          ...(this.o.pathEnv ? { pathEnv: this.o.pathEnv } : {}),
          ...(this.o.gitBinary ? { gitBinary: this.o.gitBinary } : {}),
        }),
      );
      p.catch(() => this.stores.delete(projectId));
      this.stores.set(projectId, p);
    }
    return p;
  }
}
