// Puts the project's files back to a snapshot tree: plans from a diff of the current snapshot against the target,
// refuses before touching anything (read-only files, symlinked parents, unsnapshotted files in the way), then
// deletes what the target lacks and writes the rest with `git checkout-index` from a scratch index.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EvolveError } from '../../../../common/errors';
import type { GitRunner } from './git-runner';
import { symlinkedAncestor } from './snapshot';
import type { RestoredFile } from './types';

export interface RestorePlan {
  /** Paths to write from the target (changed, or missing now). */
  write: string[];
  /** Paths of those in `write` that the current snapshot does not have at all. */
  added: string[];
  /** Paths the current snapshot has and the target does not. */
  remove: string[];
}

/** `diff-tree --raw -z`: `:<mode> <mode> <sha> <sha> <status>\0<path>\0` per file. */
export async function planRestore(git: GitRunner, currentTree: string, targetTree: string): Promise<RestorePlan> {
  const out = await git.run(['diff-tree', '-r', '-z', '--raw', '--no-renames', currentTree, targetTree]);
  const tokens = out.stdout.toString('utf8').split('\0');
  const plan: RestorePlan = { write: [], added: [], remove: [] };
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const meta = tokens[i]!;
    const file = tokens[i + 1]!;
    const status = meta.trim().split(' ').pop() ?? '';
    if (status === 'D') plan.remove.push(file);
    else {
      plan.write.push(file);
      if (status === 'A') plan.added.push(file);
    }
  }
  return plan;
}

/** Refuses the whole restore (nothing changed yet) when any path would escape, clobber or hit a read-only file. */
export async function checkPlan(root: string, plan: RestorePlan): Promise<void> {
  const escapes: string[] = [];
  const readOnly: string[] = [];
  const inTheWay: string[] = [];
  const added = new Set(plan.added);
  const removeSet = new Set(plan.remove);
  for (const rel of [...plan.write, ...plan.remove]) {
    // A parent that is now a symlink is safe only when the restore deletes that link first (removals run first).
    const link = await symlinkedAncestor(root, rel);
    if (link && !removeSet.has(link)) escapes.push(rel);
    if (link) continue; // what lies behind the link is not the project's
    const st = await fs.lstat(path.join(root, rel)).catch(() => null);
    if (!st) continue;
    // Something is on disk where the target has a file, yet the current snapshot did not include it (ignored or
    // over the size limit): overwriting it would lose bytes no snapshot holds.
    if (added.has(rel)) {
      if (!st.isDirectory() || !(await onlyRemovedFilesUnder(root, rel, removeSet))) inTheWay.push(rel);
    }
    // Write bits off means the user made it read-only; honour that even when running as root.
    else if (st.isFile() && (st.mode & 0o222) === 0) readOnly.push(rel);
  }
  const list = (a: string[]): string => a.slice(0, 10).join(', ') + (a.length > 10 ? ` and ${a.length - 10} more` : '');
  if (escapes.length)
    throw new EvolveError('FORBIDDEN', `Restore refused: a parent folder is now a symbolic link (${list(escapes)}); nothing was changed`);
  if (readOnly.length)
    throw new EvolveError('FORBIDDEN', `Restore refused: read-only file(s) would change: ${list(readOnly)}; nothing was changed`, {
      paths: readOnly,
    });
  if (inTheWay.length)
    throw new EvolveError(
      'CONFLICT',
      `Restore refused: ${list(inTheWay)} exist(s) on disk but not in any snapshot (ignored or too large); move them away first. Nothing was changed`,
      { paths: inTheWay },
    );
}

/** True when every file below `rel` is one the restore deletes anyway (a folder the target has as a file). */
async function onlyRemovedFilesUnder(root: string, rel: string, removeSet: Set<string>): Promise<boolean> {
  const entries = await fs.readdir(path.join(root, rel), { recursive: true, withFileTypes: true }).catch(() => null);
  if (!entries) return false;
  return entries.every(
    (e) => e.isDirectory() || removeSet.has(path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/')),
  );
}

/** Applies a checked plan; returns each path with the SHA-256 of what is now on disk (null: deleted). */
export async function applyPlan(
  git: GitRunner,
  root: string,
  targetTree: string,
  plan: RestorePlan,
  scratchIndex: string,
): Promise<RestoredFile[]> {
  // Deletions first: a folder the target has as a file is emptied (and pruned) before the file is written.
  const removed = plan.remove;
  for (const rel of removed) {
    await fs.rm(path.join(root, rel), { force: true });
    await pruneEmptyParents(root, rel);
  }
  if (plan.write.length > 0) {
    await fs.rm(scratchIndex, { force: true });
    const env = { GIT_INDEX_FILE: scratchIndex };
    try {
      await git.run(['read-tree', targetTree], { env });
      await git.run(['checkout-index', '-f', '-z', '--stdin'], { env, input: plan.write.join('\0') + '\0' });
    } finally {
      await fs.rm(scratchIndex, { force: true });
    }
  }
  const files: RestoredFile[] = removed.map((p) => ({ path: p, sha256: null }));
  for (const rel of plan.write) files.push({ path: rel, sha256: await hashOnDisk(path.join(root, rel)) });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** SHA-256 of a file's bytes (of the link text for a symbolic link); null when it is not there. */
export async function hashOnDisk(abs: string): Promise<string | null> {
  const st = await fs.lstat(abs).catch(() => null);
  if (!st) return null;
  const bytes = st.isSymbolicLink() ? Buffer.from(await fs.readlink(abs), 'utf8') : await fs.readFile(abs);
  return createHash('sha256').update(bytes).digest('hex');
}

/** Removes folders left empty by a deletion, up to (not including) the root — as `git reset --hard` does. */
async function pruneEmptyParents(root: string, rel: string): Promise<void> {
  let dir = path.dirname(path.join(root, rel));
  while (dir.length > root.length && dir.startsWith(root + path.sep)) {
    const entries = await fs.readdir(dir).catch(() => null);
    if (!entries || entries.length > 0) return;
    await fs.rmdir(dir).catch(() => undefined);
    dir = path.dirname(dir);
  }
}
