// One level of a project's file tree for the Code section: the index's ignore rules (.gitignore, .evolveignore,
// .git/info/exclude, built-in ignores, nested files from the root down), no symlinks, devices or .git entries.
import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WORKSPACE_MAX_TREE_ENTRIES, type WorkspaceTree, type TreeEntry } from '../../../common/contracts/workspace';
import { EvolveError } from '../../../common/errors';
import { DEFAULT_IGNORES, IGNORE_FILES, isIgnored, makeRules, type IgnoreRules } from '../../../native/index/walk-rules';
import { realRoot, relativeSegments } from './resolve-inside-root';

async function ignoreSources(dirAbs: string): Promise<string[]> {
  // An unreadable ignore file counts as empty, as in the index walk (failing would hide the whole folder).
  return Promise.all(IGNORE_FILES.map((name) => readFile(path.join(dirAbs, name), 'utf8').catch(() => '')));
}

/**
 * The entries of `dir` ('' or undefined: the root). Refuses `..`, absolute paths, a symlinked folder on the way
 * (FORBIDDEN), a folder that is ignored or missing (NOT_FOUND), and a deleted project root (NOT_FOUND).
 */
export async function listTree(root: string, dir: string | undefined, maxEntries = WORKSPACE_MAX_TREE_ENTRIES): Promise<WorkspaceTree> {
  const base = await realRoot(root);
  const segs = dir === undefined || dir === '' || dir === '.' || dir === './' ? [] : relativeSegments(dir);
  const gitExclude = await readFile(path.join(base, '.git', 'info', 'exclude'), 'utf8').catch(() => '');
  let rules: IgnoreRules = makeRules(undefined, '', [DEFAULT_IGNORES.join('\n'), gitExclude, ...(await ignoreSources(base))]);
  let abs = base;
  for (let i = 0; i < segs.length; i++) {
    const rel = segs.slice(0, i + 1).join('/');
    abs = path.join(abs, segs[i]!);
    const st = await lstat(abs).catch(() => null);
    if (!st) throw new EvolveError('NOT_FOUND', `${rel}: no such folder in the project`);
    if (st.isSymbolicLink()) throw new EvolveError('FORBIDDEN', `${rel}: is a symlinked folder; the workspace does not follow links`);
    if (!st.isDirectory()) throw new EvolveError('INVALID_ARGUMENT', `${rel}: is not a folder`);
    if (isIgnored(rules, rel, true)) throw new EvolveError('NOT_FOUND', `${rel}: is ignored (.gitignore / .evolveignore)`);
    rules = makeRules(rules, rel, await ignoreSources(abs));
  }
  const dirRel = segs.join('/');
  let dirents: Dirent[];
  try {
    dirents = await readdir(abs, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new EvolveError('NOT_FOUND', `${dirRel || 'The project folder'} no longer exists`);
    if (code === 'EACCES' || code === 'EPERM') throw new EvolveError('FORBIDDEN', `${dirRel || 'The project folder'}: permission denied`);
    throw e;
  }
  const entries: TreeEntry[] = [];
  let truncated = false;
  const sorted = dirents
    .filter((d) => d.isDirectory() || d.isFile()) // symlinks, FIFOs, sockets, devices: never listed
    .sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of sorted) {
    const rel = dirRel ? `${dirRel}/${d.name}` : d.name;
    if (d.name === '.git' || isIgnored(rules, rel, d.isDirectory())) continue;
    if (entries.length >= maxEntries) {
      truncated = true;
      break;
    }
    // A file removed between readdir and stat is simply left out.
    const size = d.isFile()
      ? await lstat(path.join(abs, d.name)).then(
          (s) => s.size,
          () => -1,
        )
      : 0;
    if (size < 0) continue;
    entries.push({ path: rel, name: d.name, kind: d.isDirectory() ? 'dir' : 'file', size });
  }
  return { dir: dirRel, entries, truncated };
}
