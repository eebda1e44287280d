// Stages the project's current files into the shadow index and writes a tree: the project's .gitignore (and the
// shadow's own excludes) decide what is left out, nested repositories are walked as plain folders (their .git is not).
import fs from 'node:fs/promises';
import path from 'node:path';
import { Limiter } from '../../../../common/base/limiter';
import type { GitRunner } from './git-runner';

export interface SnapshotOptions {
  /** Files larger than this are left out of snapshots (and never touched by a restore). */
  maxFileBytes: number;
  /** A path for a scratch index file (listing uses an empty index so git reports every file). */
  scratchIndex: string;
}

export interface StagedTree {
  tree: string;
  /** Files left out because they are over maxFileBytes. */
  skippedLarge: string[];
}

function splitNul(buf: Buffer): string[] {
  return buf
    .toString('utf8')
    .split('\0')
    .filter((s) => s.length > 0);
}

/**
 * Every file git would add, relative to the project root. `ls-files --others` with an empty index lists untracked,
 * non-ignored files; a nested repository shows up as `dir/` and is listed again with its own root as the work tree
 * (its .gitignore applies there, its .git never does — git never lists a `.git` entry).
 */
export async function listProjectFiles(git: GitRunner, root: string, scratchIndex: string, prefix = '', depth = 0): Promise<string[]> {
  await fs.rm(scratchIndex, { force: true });
  const out = await git.run(['ls-files', '-z', '--others', '--exclude-standard'], {
    env: { GIT_INDEX_FILE: scratchIndex, GIT_WORK_TREE: path.join(root, prefix) },
  });
  const files: string[] = [];
  for (const entry of splitNul(out.stdout)) {
    if (entry.endsWith('/')) {
      // A nested repository (or submodule checkout). Bounded depth guards against pathological trees.
      if (depth < 8) files.push(...(await listProjectFiles(git, root, scratchIndex, prefix + entry, depth + 1)));
      continue;
    }
    files.push(prefix + entry);
  }
  return files;
}

/**
 * Makes the shadow index equal the project's current files and writes the tree; returns its id. `extra` paths are
 * included even when ignored (files an apply is about to write, files a restore is about to overwrite), so what
 * the store changes is always in a snapshot first.
 */
export async function stageProject(git: GitRunner, root: string, opts: SnapshotOptions, extra: string[] = []): Promise<StagedTree> {
  const listed = new Set(await listProjectFiles(git, root, opts.scratchIndex));
  await fs.rm(opts.scratchIndex, { force: true });
  // git refuses paths "beyond a symbolic link"; such an extra path is not a file of the project anyway.
  for (const rel of extra) if (!listed.has(rel) && !(await symlinkedAncestor(root, rel))) listed.add(rel);
  const keep: string[] = [];
  const skippedLarge: string[] = [];
  const limiter = new Limiter({ concurrency: 32 });
  const stats = await Promise.all([...listed].map((rel) => limiter.queue(() => fs.lstat(path.join(root, rel)).catch(() => null))));
  [...listed].forEach((rel, i) => {
    const st = stats[i];
    // Gone since listing, a folder (an extra path), or a FIFO/socket/device git cannot store: nothing to stage.
    if (!st || !(st.isFile() || st.isSymbolicLink())) return;
    if (st.isFile() && st.size > opts.maxFileBytes) skippedLarge.push(rel);
    else keep.push(rel);
  });
  const keepSet = new Set(keep);
  const indexed = splitNul((await git.run(['ls-files', '-z', '--cached'])).stdout);
  const drop = indexed.filter((p) => !keepSet.has(p));
  if (drop.length > 0) await git.run(['update-index', '-z', '--force-remove', '--stdin'], { input: drop.join('\0') + '\0' });
  // update-index re-reads only files whose stat changed, so a snapshot of an unchanged project is cheap.
  if (keep.length > 0) await git.run(['update-index', '-z', '--add', '--remove', '--stdin'], { input: keep.join('\0') + '\0' });
  const tree = await git.text(['write-tree']);
  return { tree, skippedLarge };
}

/** The first parent folder of `rel` (project-relative) that is a symbolic link on disk, or null. */
export async function symlinkedAncestor(root: string, rel: string): Promise<string | null> {
  const parts = rel.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const st = await fs.lstat(path.join(root, ...parts.slice(0, i))).catch(() => null);
    if (!st) return null; // the rest will be created as real folders
    if (st.isSymbolicLink()) return parts.slice(0, i).join('/');
  }
  return null;
}
