// Resolves a folder the user wants to index to its real path, once, and refuses roots that are too broad
// (the filesystem root, the home folder itself, system folders) or not folders at all.
import { realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EvolveError } from '../../../common/errors';

// Folders whose whole tree is the operating system's, not a project (POSIX, macOS, Windows).
const SYSTEM_POSIX = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/proc',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var',
  '/System',
  '/Library',
  '/Applications',
  '/private',
];
const SYSTEM_WIN = ['windows', 'program files', 'program files (x86)', 'programdata'];

export interface RootCheckOptions {
  home?: string;
  platform?: NodeJS.Platform;
}

/** Why `real` is too broad to index, or null. Exported for tests. */
export function tooBroad(real: string, opts: RootCheckOptions = {}): string | null {
  const platform = opts.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const norm = p.resolve(real);
  if (norm === p.parse(norm).root) return 'the root of a filesystem';
  const home = opts.home ?? os.homedir();
  if (home && p.resolve(home) === norm) return 'your home folder itself (pick a project folder inside it)';
  if (platform === 'win32') {
    const first = norm.slice(p.parse(norm).root.length).split(p.sep)[0]?.toLowerCase() ?? '';
    if (SYSTEM_WIN.includes(first)) return `a system folder (${norm})`;
    return null;
  }
  // A system folder itself or anything below it, except real projects under /var/home, /usr/local/src and the like
  // are rare enough that refusing them is the safer default.
  for (const s of SYSTEM_POSIX)
    if (norm === s || norm.startsWith(`${s}/`)) {
      // Temp folders live under /var on macOS (/private/var/folders) and are where tests and scratch projects go.
      if (/^\/(private\/)?var\/folders\//.test(norm) || norm.startsWith('/var/tmp/')) return null;
      return `a system folder (${s})`;
    }
  return null;
}

/** realpath + checks: NOT_FOUND when missing, INVALID_ARGUMENT when not a folder or too broad. */
export async function resolveProjectRoot(input: string, opts: RootCheckOptions = {}): Promise<string> {
  if (!input.trim()) throw new EvolveError('INVALID_ARGUMENT', 'Give the folder to index');
  if (!path.isAbsolute(input)) throw new EvolveError('INVALID_ARGUMENT', `Give an absolute path (got "${input}")`);
  let real: string;
  try {
    real = await realpath(input);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new EvolveError('NOT_FOUND', `No folder at ${input}`);
    throw new EvolveError('INVALID_ARGUMENT', `Cannot open ${input}: ${(e as Error).message}`);
  }
  if (!(await stat(real)).isDirectory()) throw new EvolveError('INVALID_ARGUMENT', `${input} is a file, not a folder`);
  const why = tooBroad(real, opts);
  if (why) throw new EvolveError('INVALID_ARGUMENT', `Refusing to index ${real}: it is ${why}`);
  return real;
}
