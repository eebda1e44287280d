// Reads small text files of a project for prompt assembly: inside the root only (symlinks resolved), capped, no binaries.
import fs from 'node:fs/promises';
import path from 'node:path';

/** Reads `absPath` (at most `maxBytes`), or null when absent, unreadable, not a regular file or binary. */
export type SmallFileReader = (absPath: string, maxBytes: number) => Promise<string | null>;

/**
 * The default reader: a file that resolves outside `root` (a symlinked AGENTS.md pointing at ~/.ssh/id_rsa) is
 * treated as absent, so project files can never pull other files of the user into a prompt (which may go to a cloud
 * model through the router). Only the first `maxBytes` are read; a NUL byte in them marks a binary file.
 */
export function rootedReader(root: string): SmallFileReader {
  let realRoot: Promise<string | null> | undefined;
  return async (absPath, maxBytes) => {
    realRoot ??= fs.realpath(root).catch(() => null);
    const base = await realRoot;
    if (!base) return null;
    let real: string;
    try {
      real = await fs.realpath(absPath);
    } catch {
      return null;
    }
    const rel = path.relative(base, real);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(real, 'r');
      const st = await handle.stat();
      if (!st.isFile()) return null;
      const buf = Buffer.alloc(Math.min(maxBytes, st.size));
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      const bytes = buf.subarray(0, bytesRead);
      if (bytes.includes(0)) return null;
      return bytes.toString('utf8');
    } catch {
      return null;
    } finally {
      await handle?.close();
    }
  };
}

/** Names in a folder inside the root (sorted), [] when it is absent or resolves outside the root. */
export async function listDir(root: string, rel: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    const [base, real] = await Promise.all([fs.realpath(root), fs.realpath(path.join(root, rel))]);
    const r = path.relative(base, real);
    if (r.startsWith('..') || path.isAbsolute(r)) return [];
    const entries = await fs.readdir(real, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, dir: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}
