// A read-only look at the USER's git for the Git panel: changed files (porcelain v2) and the diff text, run with the
// same sealed environment as the checkpoints' git (no global/system config, no hooks, no fsmonitor, no external diff
// or textconv, no optional index writes). Only for trusted projects: the repo's own config (filters) could run code.
import { readFile, stat, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitChange, GitStatus } from '../../../common/contracts/workspace';
import { EvolveError, isEvolveError } from '../../../common/errors';
import { GitRunner, type GitEnvPaths } from './checkpoints/git-runner';
import { realRoot } from './resolve-inside-root';

/** The diff text is capped so a huge change cannot flood the panel. */
export const MAX_GIT_DIFF_CHARS = 1024 * 1024;
/** At most this many changed files are listed (a huge unignored folder would otherwise flood the panel). */
export const MAX_GIT_FILES = 5000;

export interface GitStatusOptions {
  /** The app's data dir: git's private HOME and empty config live under <dataDir>/checkpoints/.git-env (shared). */
  dataDir: string;
  pathEnv?: string;
  gitBinary?: string;
}

/** The repository that holds `root`: the nearest `.git` folder (or `gitdir:` file) from the root upwards. */
export async function findUserRepo(root: string): Promise<{ gitDir: string; workTree: string } | null> {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    const st = await stat(dotGit).catch(() => null);
    if (st?.isDirectory()) return { gitDir: dotGit, workTree: dir };
    if (st?.isFile()) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8').catch(() => ''));
      if (m?.[1]) return { gitDir: path.resolve(dir, m[1]), workTree: dir };
    }
    if (path.dirname(dir) === dir) return null;
  }
}

function kindOf(type: string, xy: string): GitChange['kind'] {
  if (type === 'u') return 'unmerged';
  if (type === '?') return 'untracked';
  if (type === '2') return xy.includes('C') ? 'copied' : 'renamed';
  if (xy.includes('D')) return 'deleted';
  if (xy.includes('A')) return 'added';
  if (xy.includes('T')) return 'type-changed';
  return 'modified';
}

/** Parses `git status --porcelain=v2 -z --branch` output. Paths stay relative to the repository's top. */
export function parsePorcelainV2(out: Buffer): { branch: string | null; initial: boolean; files: GitChange[] } {
  const recs = out.toString('utf8').split('\0');
  let branch: string | null = null;
  let initial = false;
  const files: GitChange[] = [];
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]!;
    if (r === '') continue;
    if (r.startsWith('# branch.head ')) {
      const head = r.slice('# branch.head '.length);
      branch = head === '(detached)' ? null : head;
    } else if (r === '# branch.oid (initial)') initial = true;
    else if (r.startsWith('? ') || r.startsWith('! ')) {
      if (r[0] === '?') files.push({ path: r.slice(2), xy: '??', kind: 'untracked' });
    } else if (r.startsWith('1 ') || r.startsWith('2 ') || r.startsWith('u ')) {
      const type = r[0]!;
      // Fields before the path: 1 → 8, 2 → 9 (score), u → 10; the path may contain spaces, so split a fixed count.
      const fields = type === '1' ? 8 : type === '2' ? 9 : 10;
      const parts = r.split(' ');
      const xy = parts[1] ?? '..';
      const p = parts.slice(fields).join(' ');
      const change: GitChange = { path: p, xy, kind: kindOf(type, xy) };
      if (type === '2') change.origPath = recs[++i] ?? '';
      files.push(change);
    }
  }
  return { branch: initial && branch === null ? null : branch, initial, files };
}

function friendly(e: unknown): never {
  if (isEvolveError(e) && /dubious ownership/i.test(String((e.details as { stderr?: string } | undefined)?.stderr ?? e.message)))
    throw new EvolveError('FORBIDDEN', 'git refuses this repository: it belongs to another user (safe.directory)');
  throw e;
}

/** Changed files and `git diff HEAD` of the repository holding `root` (limited to the project folder); {repo:false} without one. */
export async function userGitStatus(root: string, o: GitStatusOptions): Promise<GitStatus> {
  const base = await realRoot(root);
  const repo = await findUserRepo(base);
  if (!repo) return { repo: false };
  const envDir = path.join(o.dataDir, 'checkpoints', '.git-env');
  const paths: GitEnvPaths = {
    gitDir: repo.gitDir,
    workTree: repo.workTree,
    home: path.join(envDir, 'home'),
    emptyConfig: path.join(envDir, 'empty-gitconfig'),
    emptyHooks: path.join(envDir, 'no-hooks'),
  };
  for (const dir of [paths.home, paths.emptyHooks]) await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(paths.emptyConfig, '', { flag: 'a' });
  const git = new GitRunner(paths, o.pathEnv ?? process.env.PATH ?? '', o.gitBinary);
  // Read-only: no optional index refresh writes (git status would otherwise update the user's index).
  const env = { GIT_OPTIONAL_LOCKS: '0' };
  const prefix = path.relative(repo.workTree, base).split(path.sep).join('/');
  const spec = prefix ? ['--', `${prefix}/`] : [];
  const st = await git
    .run(['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=all', '--no-renames', ...spec], { env })
    .catch(friendly);
  const parsed = parsePorcelainV2(st.stdout);
  const diffArgs = ['--no-ext-diff', '--no-textconv', '--no-color', '--no-renames'];
  let diff: string;
  if (parsed.initial) {
    // No commit yet: staged changes against the empty tree, then the unstaged ones.
    const staged = await git.run(['diff', '--cached', ...diffArgs, ...spec], { env }).catch(friendly);
    const unstaged = await git.run(['diff', ...diffArgs, ...spec], { env }).catch(friendly);
    diff = staged.stdout.toString('utf8') + unstaged.stdout.toString('utf8');
  } else {
    diff = (await git.run(['diff', 'HEAD', ...diffArgs, ...spec], { env }).catch(friendly)).stdout.toString('utf8');
  }
  const truncated = diff.length > MAX_GIT_DIFF_CHARS || parsed.files.length > MAX_GIT_FILES;
  const files = parsed.files.slice(0, MAX_GIT_FILES).map((f) => {
    const rel = (p: string) => (prefix && p.startsWith(`${prefix}/`) ? p.slice(prefix.length + 1) : p);
    return { ...f, path: rel(f.path), ...(f.origPath !== undefined ? { origPath: rel(f.origPath) } : {}) };
  });
  return { repo: true, branch: parsed.branch, files, diff: diff.slice(0, MAX_GIT_DIFF_CHARS), truncated };
}
