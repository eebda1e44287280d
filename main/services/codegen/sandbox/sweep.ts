// Removes sandbox temp dirs left behind when the app was killed mid-run (its processes die with it; its dir does not).
import { lstat, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeTempDir } from './files';

/** Matches mkdtemp's names in prepareTempDir only (not the tests' evolve-sbx-hostile-* or anything else). */
const NAME = /^evolve-sbx-[A-Za-z0-9]{6}$/;
/** Longer than the longest allowed wall limit (1 h), so a run in progress is never swept. */
export const DEFAULT_SWEEP_AGE_MS = 2 * 3600 * 1000;

export const RUN_UID_MIN = 2_100_000_000;
export const RUN_UID_MAX = 2_100_999_999;

/**
 * Sweeps stale dirs in the temp directory: a real directory (not a symlink) of ours (our uid, or as root a run uid)
 * untouched for olderThanMs. Returns the paths removed. Meant for app start.
 */
export async function sweepStaleSandboxDirs(opts: { olderThanMs?: number; dir?: string; now?: number } = {}): Promise<string[]> {
  const dir = opts.dir ?? tmpdir();
  const cutoff = (opts.now ?? Date.now()) - (opts.olderThanMs ?? DEFAULT_SWEEP_AGE_MS);
  const me = process.getuid?.() ?? -1;
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!NAME.test(name)) continue;
    const full = path.join(dir, name);
    const st = await lstat(full).catch(() => null);
    if (!st || !st.isDirectory() || st.mtimeMs > cutoff) continue;
    const ours = st.uid === me || (me === 0 && st.uid >= RUN_UID_MIN && st.uid <= RUN_UID_MAX);
    if (!ours) continue;
    await removeTempDir(full).catch(() => undefined);
    removed.push(full);
  }
  return removed;
}
