// Atomic file replacement: a temp file in the same folder, fsync, rename, fsync the folder; mode and owner kept.
import { randomBytes } from 'node:crypto';
import { lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EvolveError } from '../../../common/errors';

export interface WriteAtomicOptions {
  /** Mode for a new file (an existing file keeps its own); the umask does not apply to it. Default 0o644. */
  mode?: number;
}

function mapFsError(e: unknown, path: string): EvolveError {
  const code = (e as NodeJS.ErrnoException).code;
  const msg = (e as Error).message;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new EvolveError('RESOURCE_EXHAUSTED', `No space left to write ${path}`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new EvolveError('FORBIDDEN', `Not allowed to write ${path} (${code})`);
  if (code === 'ENOENT') return new EvolveError('NOT_FOUND', `The folder of ${path} no longer exists`);
  return new EvolveError('INTERNAL', `Could not write ${path}: ${msg}`);
}

/**
 * Replaces (or creates) `abs` with `data` so that a reader sees either the old or the new bytes, never a mix, and a
 * crash leaves at most a stray `.<name>.<random>.evolve-tmp` next to it. The file's mode (and owner, when allowed)
 * is copied to the new inode; a symlink at `abs` is refused rather than replaced.
 */
export async function writeFileAtomic(abs: string, data: Uint8Array, opts: WriteAtomicOptions = {}): Promise<void> {
  const dir = dirname(abs);
  let mode = opts.mode ?? 0o644;
  let owner: { uid: number; gid: number } | undefined;
  try {
    const st = await lstat(abs);
    if (!st.isFile()) throw new EvolveError('FORBIDDEN', `${abs} is not a regular file`);
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch (e) {
    if (e instanceof EvolveError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw mapFsError(e, abs);
  }
  const tmp = join(dir, `.${basename(abs)}.${randomBytes(6).toString('hex')}.evolve-tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(data);
      // Owner first: chown can clear setuid/setgid bits, so the mode goes on after it.
      if (owner && (owner.uid !== process.getuid?.() || owner.gid !== process.getgid?.())) {
        await fh.chown(owner.uid, owner.gid).catch(() => undefined); // not allowed unless root: keep ours
      }
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, abs);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e instanceof EvolveError ? e : mapFsError(e, abs);
  }
  await syncDir(dir);
}

/** Makes the rename durable; not every platform can fsync a folder (Windows), which is not an error. */
async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // best effort
  } finally {
    await fh?.close();
  }
}
