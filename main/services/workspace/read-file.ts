// Reads one project file for the editor: inside the root only (no symlinks, devices, .git), text only, at most 2 MB;
// reports its hash (the save's base), line-ending style and BOM so a save can keep them.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { WORKSPACE_MAX_READ_BYTES, type Eol, type FileContent } from '../../../common/contracts/workspace';
import { EvolveError } from '../../../common/errors';
import { sha256Hex } from '../codegen/edits/text';
import { resolveInsideRoot } from './resolve-inside-root';

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

export function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

/** 'crlf' / 'lf' when every line break is that one, 'mixed' otherwise (a lone '\r' counts as mixed), 'none' without any. */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else other++;
    } else if (c === 10) lf++;
  }
  if (crlf + lf + other === 0) return 'none';
  if (other === 0 && lf === 0) return 'crlf';
  if (other === 0 && crlf === 0) return 'lf';
  return 'mixed';
}

/** Strict UTF-8 text of `bytes` without its BOM; null when the bytes are binary (a NUL byte or invalid UTF-8). */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The file at `rel`. NOT_FOUND when missing (or the project folder is gone); FORBIDDEN for symlinks, devices, paths
 * outside the root; RESOURCE_EXHAUSTED {size, limit} above 2 MB (decided by size, the bytes are not read);
 * INVALID_ARGUMENT {binary: true} for a binary or non-UTF-8 file.
 */
export async function readProjectFile(root: string, rel: string, limit = WORKSPACE_MAX_READ_BYTES): Promise<FileContent> {
  const target = await resolveInsideRoot(root, rel);
  if (!target.exists) throw new EvolveError('NOT_FOUND', `${target.rel}: no such file in the project`);
  // O_NOFOLLOW / O_NONBLOCK: a path swapped for a symlink or a FIFO after the check cannot redirect or hang the read;
  // the handle's own stat must still be a regular file.
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const fh = await open(target.abs, flags).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ELOOP') throw new EvolveError('FORBIDDEN', `${target.rel}: is a symlink; the workspace does not follow links`);
    if (e.code === 'ENOENT') throw new EvolveError('NOT_FOUND', `${target.rel}: no such file in the project`);
    throw e;
  });
  let bytes: Buffer;
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new EvolveError('FORBIDDEN', `${target.rel}: is not a regular file`);
    const { size } = st;
    if (size > limit) {
      throw new EvolveError(
        'RESOURCE_EXHAUSTED',
        `${target.rel} is ${size} bytes; the editor opens files up to ${limit} bytes (the file is unchanged)`,
        { size, limit },
      );
    }
    // Read through the handle we stat'ed, at most limit+1 bytes: a file grown since still cannot flood memory.
    const buf = Buffer.alloc(Math.min(size, limit) + 1);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > limit)
      throw new EvolveError('RESOURCE_EXHAUSTED', `${target.rel} grew past ${limit} bytes while being read`, { size: n, limit });
    bytes = buf.subarray(0, n);
  } finally {
    await fh.close();
  }
  const text = decodeText(bytes);
  if (text === null) {
    throw new EvolveError('INVALID_ARGUMENT', `${target.rel} is a binary file (or not UTF-8); the editor shows text files only`, {
      binary: true,
      size: bytes.length,
    });
  }
  const bom = hasBom(bytes);
  return { path: target.rel, content: text, hash: sha256Hex(bytes), eol: detectEol(text), bom, size: bytes.length };
}
