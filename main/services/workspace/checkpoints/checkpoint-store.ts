// CheckpointStore: snapshots of one project in a shadow git repository under the app's data dir (core.worktree =
// the project, as Roo Code's ShadowCheckpointService does), with list, diff, restore and undo — the user's own
// .git is never read for history or written. Every operation on a project runs one at a time.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SequencerByKey } from '../../../../common/base/sequencer';
import { EvolveError } from '../../../../common/errors';
import { resolveProjectRoot } from '../../projects/project-root';
import { GitRunner, type GitEnvPaths } from './git-runner';
import { applyPlan, checkPlan, hashOnDisk, planRestore } from './restore';
import { writeShadowInfo } from './shadow-files';
import { stageProject } from './snapshot';
import {
  CheckpointIdSchema,
  CheckpointLabelSchema,
  MAX_LISTED_PATHS,
  type Checkpoint,
  type CheckpointAuditSink,
  type CheckpointDiff,
  type RestoreResult,
} from './types';
import { parseLog, parseRawDiff, splitPatch, trailerText } from './log-format';

export interface CheckpointStoreOptions {
  /** The project folder (absolute). */
  projectRoot: string;
  /** The app's data dir; shadow repositories live in <dataDir>/checkpoints/. */
  dataDir: string;
  /** Recorded in audit rows. */
  projectId?: string;
  audit?: CheckpointAuditSink;
  /** PATH used to find git (default: this process's PATH). */
  pathEnv?: string;
  gitBinary?: string;
  /** Files larger than this are left out of snapshots and never touched by restore (default 50 MiB). */
  maxFileBytes?: number;
  now?: () => number;
}

const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_PATCH_CHARS = 256 * 1024;
const BRANCH = 'refs/heads/checkpoints';

/** One queue per shadow repository, shared by every store instance in this process. */
const queues = new SequencerByKey<string>();

/** Stable key of a project folder: the first 16 hex of SHA-256 of its real path. */
export function projectKey(realRoot: string): string {
  return createHash('sha256').update(realRoot).digest('hex').slice(0, 16);
}

export class CheckpointStore {
  private destroyed = false;

  private constructor(
    readonly root: string,
    readonly gitDir: string,
    private readonly git: GitRunner,
    private readonly opts: CheckpointStoreOptions,
    private readonly scratchIndex: string,
  ) {}

  /** Resolves the project, creates (or re-opens) its shadow repository. UNAVAILABLE when git is missing. */
  static async open(opts: CheckpointStoreOptions): Promise<CheckpointStore> {
    const root = await resolveProjectRoot(opts.projectRoot);
    const base = path.join(opts.dataDir, 'checkpoints');
    const envDir = path.join(base, '.git-env');
    const paths: GitEnvPaths = {
      gitDir: path.join(base, `${projectKey(root)}.git`),
      workTree: root,
      home: path.join(envDir, 'home'),
      emptyConfig: path.join(envDir, 'empty-gitconfig'),
      emptyHooks: path.join(envDir, 'no-hooks'),
    };
    for (const dir of [base, paths.home, paths.emptyHooks]) await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.writeFile(paths.emptyConfig, '', { flag: 'a' });
    const git = new GitRunner(paths, opts.pathEnv ?? process.env.PATH ?? '', opts.gitBinary);
    const store = new CheckpointStore(root, paths.gitDir, git, opts, path.join(base, `${projectKey(root)}.scratch-index`));
    await queues.queue(paths.gitDir, () => store.init());
    return store;
  }

  private async init(): Promise<void> {
    const exists = await fs
      .stat(path.join(this.gitDir, 'HEAD'))
      .then(() => true)
      .catch(() => false);
    if (!exists) {
      await this.git.run(['init', '-q', '--template=']);
      await this.git.run(['symbolic-ref', 'HEAD', BRANCH]);
    }
    const worktree = await this.git.text(['config', '--get', 'core.worktree'], { okCodes: [0, 1] });
    if (!worktree) {
      // New (or an init cut short before its config): also in the repo config, so a person inspecting the shadow
      // repo with plain git sees the same settings.
      for (const [k, v] of [
        ['core.bare', 'false'],
        ['core.autocrlf', 'false'],
        ['commit.gpgSign', 'false'],
        ['gc.auto', '0'],
        ['core.worktree', this.root],
      ] as const)
        await this.git.run(['config', k, v]);
    } else if (worktree !== this.root) {
      throw new EvolveError('CONFLICT', `The checkpoint repository ${this.gitDir} belongs to ${worktree}, not ${this.root}`);
    }
    await writeShadowInfo(this.gitDir, this.root, this.ownExcludes());
  }

  /**
   * Snapshot of the project's files now (call before every apply). `include`: the paths the apply will write — kept
   * in the snapshot even when the project ignores them, so undo can always bring them back.
   */
  checkpoint(label: string, opts: { include?: string[] } = {}): Promise<Checkpoint> {
    const parsed = CheckpointLabelSchema.safeParse(label);
    if (!parsed.success) return Promise.reject(new EvolveError('INVALID_ARGUMENT', parsed.error.issues[0]?.message ?? 'bad label'));
    return this.serial(async () => {
      const include = (opts.include ?? []).map((p) => this.relativeInside(p));
      await this.ensureRoot();
      const { tree } = await this.stage(include);
      return this.commit(tree, parsed.data, 'checkpoint', {});
    });
  }

  /** Newest first. */
  list(limit = 200): Promise<Checkpoint[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      return Promise.reject(new EvolveError('INVALID_ARGUMENT', 'list limit must be an integer from 1 to 10000'));
    return this.serial(() => this.readLog(limit));
  }

  /** What changed from checkpoint `id` to the files on disk now (what restoring `id` would undo). */
  diff(id: string): Promise<CheckpointDiff> {
    return this.serial(async () => {
      const commit = await this.resolveId(id);
      await this.ensureRoot();
      const { tree } = await this.stage();
      const common = ['-r', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', commit, tree];
      const raw = parseRawDiff((await this.git.run(['diff-tree', '--raw', ...common])).stdout);
      const patches = splitPatch((await this.git.run(['diff-tree', '-p', '--full-index', ...common.filter((a) => a !== '-z')])).stdout);
      const files = raw.map((r, i) => {
        const patch = patches[i] ?? '';
        const binary = /^Binary files /m.test(patch);
        const truncated = patch.length > MAX_PATCH_CHARS;
        return { path: r.path, status: r.status, binary, patch: binary ? '' : patch.slice(0, MAX_PATCH_CHARS), truncated };
      });
      return { id: commit, files };
    });
  }

  /** Files back to checkpoint `id` (files created since are deleted); a pre-restore snapshot makes it undoable. */
  restore(id: string): Promise<RestoreResult> {
    return this.serial(async () => this.restoreTo(await this.resolveId(id), 'restore'));
  }

  /** Back to the newest checkpoint not undone yet (the state before the last apply). NOT_FOUND when none is left. */
  undoLast(): Promise<RestoreResult> {
    return this.serial(async () => {
      const undone = new Set<string>();
      for (const cp of await this.readLog(100_000, false)) {
        if (cp.undoOf) undone.add(cp.undoOf);
        if (cp.kind === 'checkpoint' && !undone.has(cp.id)) return this.restoreTo(cp.id, 'undo');
      }
      throw new EvolveError('NOT_FOUND', 'Nothing to undo: no checkpoint left');
    });
  }

  /** Audit rows for an apply that followed checkpoint `checkpointId`: each path with the hash of its bytes now. */
  recordApplied(a: { checkpointId: string; paths: string[]; generationId?: string }): Promise<void> {
    return this.serial(async () => {
      const checkpointId = await this.resolveId(a.checkpointId);
      if (!this.opts.audit) return;
      for (const rel of a.paths.map((p) => this.relativeInside(p))) {
        const abs = path.join(this.root, rel);
        const sha256 = await hashOnDisk(abs);
        const bytes = sha256 ? (await fs.lstat(abs)).size : undefined;
        await this.opts.audit.record({
          kind: 'file.applied',
          data: {
            path: rel,
            checkpointId,
            ...(this.opts.projectId ? { projectId: this.opts.projectId } : {}),
            ...(a.generationId ? { generationId: a.generationId } : {}),
            ...(sha256 ? { sha256, bytes } : {}),
          },
        });
      }
    });
  }

  /**
   * Packs loose objects (each snapshot of a changed file adds one) when there are more than `minLoose`; returns the
   * loose count before and after. Auto-gc is off in the shadow repo, so the app calls this when idle.
   */
  compact(minLoose = 1000): Promise<{ looseBefore: number; looseAfter: number }> {
    return this.serial(async () => {
      const loose = async (): Promise<number> => Number(/^count: (\d+)$/m.exec(await this.git.text(['count-objects', '-v']))?.[1] ?? 0);
      const looseBefore = await loose();
      if (looseBefore > minLoose) {
        await this.git.run(['repack', '-a', '-d', '-q']);
        await this.git.run(['prune-packed', '-q']);
      }
      return { looseBefore, looseAfter: await loose() };
    });
  }

  /** Deletes this project's shadow repository (every checkpoint); the project's files are not touched. */
  destroy(): Promise<void> {
    return this.serial(async () => {
      this.destroyed = true;
      await fs.rm(this.gitDir, { recursive: true, force: true });
      await fs.rm(this.scratchIndex, { force: true });
    });
  }

  private async restoreTo(commit: string, mode: 'restore' | 'undo'): Promise<RestoreResult> {
    await this.ensureRoot();
    const target = await this.git.text(['rev-parse', `${commit}^{tree}`]);
    // Everything the restore may overwrite goes into the pre-restore snapshot, ignored files included.
    const targetPaths = (await this.git.run(['ls-tree', '-r', '-z', '--name-only', target])).stdout
      .toString('utf8')
      .split('\0')
      .filter((p) => p.length > 0);
    const { tree: current } = await this.stage(targetPaths);
    const plan = await planRestore(this.git, current, target);
    await checkPlan(this.root, plan); // throws before anything is written or committed
    const pre = await this.commit(current, mode === 'undo' ? 'before undo' : 'before restore', 'pre-restore', {
      [mode === 'undo' ? 'Undo-Of' : 'Restore-Of']: commit,
    });
    let files;
    try {
      files = await applyPlan(this.git, this.root, target, plan, this.scratchIndex);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new EvolveError('INTERNAL', `Restore stopped part-way (${why}); restore checkpoint ${pre.id} to go back to before it`, {
        preRestore: pre.id,
      });
    }
    const result: RestoreResult = { restored: commit, preRestore: pre.id, files };
    await this.opts.audit?.record({
      kind: mode === 'undo' ? 'checkpoint.undo' : 'checkpoint.restore',
      data: {
        checkpointId: commit,
        preRestoreId: pre.id,
        files: files.slice(0, MAX_LISTED_PATHS),
        filesTotal: files.length,
        ...(this.opts.projectId ? { projectId: this.opts.projectId } : {}),
      },
    });
    return result;
  }

  private async commit(tree: string, label: string, kind: Checkpoint['kind'], trailers: Record<string, string>): Promise<Checkpoint> {
    const at = (this.opts.now ?? Date.now)();
    const parent = await this.head();
    const message = `${label}\n\n${trailerText({ Kind: kind, At: String(at), ...trailers })}`;
    const date = `@${Math.floor(at / 1000)} +0000`;
    const id = await this.git.text(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'], {
      input: message,
      env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
    await this.git.run(['update-ref', BRANCH, id, parent ?? '0'.repeat(40)]);
    const [cp] = await this.readLog(1);
    if (!cp || cp.id !== id) throw new EvolveError('INTERNAL', 'the checkpoint was written but cannot be read back');
    return cp;
  }

  /** `withFiles: false` skips the per-commit path lists (undo only needs kinds and trailers). */
  private async readLog(limit: number, withFiles = true): Promise<Checkpoint[]> {
    if (!(await this.head())) return [];
    const names = withFiles ? ['--no-renames', '--name-only'] : [];
    const out = await this.git.run(['log', '-z', ...names, `-n${limit}`, '--format=%x1e%H%x1f%B%x1f', BRANCH]);
    return parseLog(out.stdout, MAX_LISTED_PATHS);
  }

  private async head(): Promise<string | null> {
    const r = await this.git.run(['rev-parse', '--verify', '-q', `${BRANCH}^{commit}`], { okCodes: [0, 1] });
    return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
  }

  private async resolveId(id: string): Promise<string> {
    const parsed = CheckpointIdSchema.safeParse(id);
    if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `Not a checkpoint id: ${JSON.stringify(id).slice(0, 60)}`);
    const r = await this.git.run(['cat-file', '-e', `${parsed.data}^{commit}`], { okCodes: [0, 1, 128] });
    if (r.code !== 0) throw new EvolveError('NOT_FOUND', `No checkpoint ${parsed.data} for ${this.root}`);
    return parsed.data;
  }

  private async stage(extra: string[] = []): ReturnType<typeof stageProject> {
    await writeShadowInfo(this.gitDir, this.root, this.ownExcludes());
    const opts = { maxFileBytes: this.opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, scratchIndex: this.scratchIndex };
    return stageProject(this.git, this.root, opts, extra);
  }

  /** When the app's data dir lies inside the project, its checkpoints folder must never be snapshotted or restored. */
  private ownExcludes(): string[] {
    const rel = path.relative(this.root, path.dirname(this.gitDir));
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return [];
    return [`/${rel.split(path.sep).join('/')}/`];
  }

  /** A caller's path as a clean project-relative one; refuses absolute paths, `..` and anything in a .git folder. */
  private relativeInside(p: string): string {
    const abs = path.resolve(this.root, p);
    const rel = path.relative(this.root, abs).split(path.sep).join('/');
    if (path.isAbsolute(p) || !rel || rel === '..' || rel.startsWith('../') || rel.split('/').includes('.git'))
      throw new EvolveError('INVALID_ARGUMENT', `${p} is not a path inside the project`);
    if (this.ownExcludes().some((own) => `/${rel}/`.startsWith(own)))
      throw new EvolveError('INVALID_ARGUMENT', `${p} is inside the checkpoints folder itself`);
    return rel;
  }

  private async ensureRoot(): Promise<void> {
    const st = await fs.stat(this.root).catch(() => null);
    if (!st?.isDirectory()) throw new EvolveError('NOT_FOUND', `The project folder ${this.root} no longer exists; nothing was changed`);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    return queues.queue(this.gitDir, () => {
      if (this.destroyed) throw new EvolveError('CONFLICT', 'These checkpoints were deleted; open the checkpoint store again');
      return task();
    });
  }
}
