// Resolves a project-relative path to a writable regular file inside the project root, refusing every way out.
import type { Stats } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';

export interface ResolvedPath {
  /** The real project root (symlinks of the root itself resolved). */
  root: string;
  /** Normalized project-relative path with '/' separators. */
  rel: string;
  /** Absolute path inside `root`; no component of it below the root is a symlink. */
  abs: string;
  /** The regular file's mode bits when it exists; undefined for a file to create. */
  mode?: number;
  exists: boolean;
}

const RelPathSchema = z.string().min(1).max(4096);

/** Splits a model- or UI-given relative path into clean segments; refuses absolute paths, `..`, NUL and `.git`. */
export function relativeSegments(rel: string): string[] {
  const parsed = RelPathSchema.safeParse(rel);
  if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', 'A file path must be 1 to 4096 characters');
  if (rel.includes('\0')) throw new EvolveError('INVALID_ARGUMENT', 'A file path cannot contain a NUL character');
  const p = rel.replace(/\\/g, '/'); // a backslash is a separator for a model on any OS: "..\\x" must not slip through
  if (isAbsolute(rel) || p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('~')) {
    throw new EvolveError('FORBIDDEN', `${rel}: absolute paths are refused; give a path inside the project`);
  }
  const segs = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.includes('..')) throw new EvolveError('FORBIDDEN', `${rel}: paths with ".." are refused`);
  // The user's own git data is never written by the assistant (checkpoints live in a shadow repository).
  if (segs.some((s) => s.toLowerCase() === '.git')) throw new EvolveError('FORBIDDEN', `${rel}: writing inside .git is refused`);
  if (segs.length === 0) throw new EvolveError('INVALID_ARGUMENT', `${rel}: names the project folder, not a file`);
  return segs;
}

function errCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await lstat(p);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return null;
    throw e;
  }
}

/** The real path of an existing project root folder. NOT_FOUND when it is gone (a deleted project folder). */
export async function realRoot(root: string): Promise<string> {
  if (!isAbsolute(root)) throw new EvolveError('INVALID_ARGUMENT', `The project root must be absolute: ${root}`);
  try {
    const real = await realpath(root);
    if (!(await stat(real)).isDirectory()) throw new EvolveError('INVALID_ARGUMENT', `The project root is not a folder: ${root}`);
    return real;
  } catch (e) {
    if (errCode(e) === 'ENOENT') throw new EvolveError('NOT_FOUND', `The project folder no longer exists: ${root}`);
    throw e;
  }
}

/**
 * Where `rel` lands inside `root`, checked on disk: every existing folder on the way must be a real folder (a
 * symlinked parent is refused even if it points inside: what it points at can change between check and write),
 * and an existing target must be a regular file (a symlink, FIFO, device, socket or folder is refused). Missing
 * folders are allowed (the writer creates them). A hard link is fine: the write replaces the link, never the
 * other name's bytes.
 */
export async function resolveInsideRoot(root: string, rel: string): Promise<ResolvedPath> {
  const segs = relativeSegments(rel);
  const base = await realRoot(root);
  let cur = base;
  for (let i = 0; i < segs.length - 1; i++) {
    cur = join(cur, segs[i]!);
    const st = await lstatOrNull(cur);
    if (!st) {
      const abs = join(base, ...segs);
      return { root: base, rel: segs.join('/'), abs, exists: false };
    }
    if (st.isSymbolicLink())
      throw new EvolveError('FORBIDDEN', `${rel}: goes through a symlinked folder (${segs.slice(0, i + 1).join('/')})`);
    if (!st.isDirectory()) throw new EvolveError('INVALID_ARGUMENT', `${rel}: ${segs.slice(0, i + 1).join('/')} is not a folder`);
  }
  const abs = join(base, ...segs);
  if (!abs.startsWith(base + sep)) throw new EvolveError('FORBIDDEN', `${rel}: resolves outside the project`);
  const st = await lstatOrNull(abs);
  if (!st) return { root: base, rel: segs.join('/'), abs, exists: false };
  if (st.isSymbolicLink()) throw new EvolveError('FORBIDDEN', `${rel}: is a symlink; the assistant does not write through links`);
  if (!st.isFile()) {
    const kind = st.isDirectory()
      ? 'a folder'
      : st.isFIFO()
        ? 'a FIFO'
        : st.isSocket()
          ? 'a socket'
          : st.isCharacterDevice() || st.isBlockDevice()
            ? 'a device file'
            : 'not a regular file';
    throw new EvolveError('FORBIDDEN', `${rel}: is ${kind}, not a regular file`);
  }
  return { root: base, rel: segs.join('/'), abs, mode: st.mode & 0o7777, exists: true };
}
