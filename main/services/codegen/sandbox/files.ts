// The sandbox's temp dir: validated relative paths written into a fresh directory, handed to the run's uid, removed after.
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EvolveError } from '../../../../common/errors';

export const MAX_FILES = 1000;
export const MAX_TOTAL_FILE_BYTES = 32 * 1024 * 1024;

/** Checks one relative path: no absolute path, no '..', no empty or '.' segment, no NUL or backslash. */
export function validateRelPath(rel: string): string {
  const bad = (why: string): never => {
    throw new EvolveError('INVALID_ARGUMENT', `Sandbox file path ${JSON.stringify(rel)} ${why}`);
  };
  if (rel.length === 0 || rel.length > 1024) bad('must be 1-1024 characters');
  if (rel.includes('\0')) bad('contains NUL');
  if (rel.includes('\\')) bad('contains a backslash (use /)');
  if (path.posix.isAbsolute(rel)) bad('is absolute');
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) bad("has an empty, '.' or '..' segment");
  return parts.join('/');
}

/** Validates every path and size before anything is written, so bad input leaves nothing behind. */
export function validateFiles(files: Record<string, string>): Array<[string, string]> {
  const entries = Object.entries(files);
  if (entries.length > MAX_FILES) {
    throw new EvolveError('INVALID_ARGUMENT', `Too many sandbox files: ${entries.length} (at most ${MAX_FILES})`);
  }
  let total = 0;
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (const [rel, content] of entries) {
    const clean = validateRelPath(rel);
    // A file and a directory of the same name ('a' and 'a/b') cannot both exist.
    for (const other of seen) {
      if (other.startsWith(`${clean}/`) || clean.startsWith(`${other}/`)) {
        throw new EvolveError('INVALID_ARGUMENT', `Sandbox files ${other} and ${clean} collide (file vs directory)`);
      }
    }
    seen.add(clean);
    total += Buffer.byteLength(content);
    out.push([clean, content]);
  }
  if (total > MAX_TOTAL_FILE_BYTES) {
    throw new EvolveError('RESOURCE_EXHAUSTED', `Sandbox files total ${total} bytes (at most ${MAX_TOTAL_FILE_BYTES})`);
  }
  return out;
}

/** Resolves the working directory (relative to the temp dir) without letting it leave the temp dir. */
export function resolveCwd(tempDir: string, cwd: string | undefined): string {
  if (cwd === undefined || cwd === '' || cwd === '.') return tempDir;
  return path.join(tempDir, validateRelPath(cwd));
}

/** Creates the temp dir (0700) and writes the files; with an owner, hands the whole tree to that uid/gid. */
export async function prepareTempDir(
  files: Array<[string, string]>,
  cwdRel: string | undefined,
  owner?: { uid: number; gid: number },
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'evolve-sbx-'));
  try {
    await chmod(dir, 0o700);
    for (const [rel, content] of files) {
      const full = path.join(dir, rel);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, content, { mode: 0o644 });
    }
    const cwd = resolveCwd(dir, cwdRel);
    await mkdir(cwd, { recursive: true });
    if (owner) await chownTree(dir, owner.uid, owner.gid);
    return dir;
  } catch (e) {
    await removeTempDir(dir);
    throw e;
  }
}

async function chownTree(p: string, uid: number, gid: number): Promise<void> {
  await chown(p, uid, gid);
  const st = await lstat(p);
  if (!st.isDirectory()) return;
  for (const name of await readdir(p)) await chownTree(path.join(p, name), uid, gid);
}

/** Removes the temp dir even after the program chmod-ed parts of it to 000 (a non-root owner could not rm it). */
export async function removeTempDir(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
    return;
  } catch {
    await makeWritable(dir);
  }
  await rm(dir, { recursive: true, force: true });
}

async function makeWritable(p: string): Promise<void> {
  const st = await lstat(p).catch(() => null);
  if (!st || !st.isDirectory()) return;
  await chmod(p, 0o700).catch(() => undefined);
  for (const name of await readdir(p).catch(() => [] as string[])) await makeWritable(path.join(p, name));
}
