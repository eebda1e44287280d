// The Git panel's read-only view of the USER's repository with real git, under a hostile global and repo config
// (fsmonitor, hooks, external diff, textconv): changed files and diff are right, nothing runs, the user's index and
// `git status` are exactly as before; a folder without git is {repo:false}; a project inside a bigger repo is scoped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePorcelainV2, userGitStatus } from '../../../main/services/workspace/git-status';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-git-status-'));
const canary = path.join(tmp, 'canary.txt');
const hostileHome = path.join(tmp, 'hostile-home');
const dataDir = path.join(tmp, 'data');
const saved = { ...process.env };

function writeExec(p: string, body: string): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** The user's git for setting up (no hostile settings, so setup itself runs nothing). */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { PATH: saved.PATH ?? '', HOME: tmp, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' },
    encoding: 'utf8',
  });
}

function makeRepo(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'User');
  git(dir, 'config', 'user.email', 'user@example.invalid');
}

/** Settings in the repo's own config that would run programs if our git honoured them. */
function poisonRepoConfig(dir: string): void {
  for (const [k, v] of [
    ['core.fsmonitor', path.join(tmp, 'evil')],
    ['core.hooksPath', path.join(tmp, 'hooks')],
    ['diff.external', path.join(tmp, 'evil')],
    ['diff.evil.textconv', path.join(tmp, 'evil')],
  ])
    git(dir, 'config', k!, v!);
}

beforeAll(() => {
  writeExec(path.join(tmp, 'evil'), `echo "ran $0 $*" >> '${canary}'; cat "$1" 2>/dev/null; exit 0`);
  for (const h of ['pre-commit', 'post-index-change', 'post-checkout']) writeExec(path.join(tmp, 'hooks', h), `echo "hook" >> '${canary}'`);
  fs.mkdirSync(hostileHome, { recursive: true });
  fs.writeFileSync(
    path.join(hostileHome, '.gitconfig'),
    `[core]\n\tfsmonitor = ${path.join(tmp, 'evil')}\n\thooksPath = ${path.join(tmp, 'hooks')}\n\tautocrlf = true\n[diff]\n\texternal = ${path.join(tmp, 'evil')}\n`,
  );
  // What a careless runner would inherit.
  process.env.HOME = hostileHome;
  process.env.GIT_DIR = path.join(tmp, 'not-a-repo.git');
  process.env.GIT_INDEX_FILE = path.join(tmp, 'leaked-index');
});

afterAll(() => {
  for (const k of ['HOME', 'GIT_DIR', 'GIT_INDEX_FILE']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the user's git, read-only", () => {
  it('lists modified, added, deleted and untracked files with the diff; runs nothing; the index is untouched', async () => {
    const repo = path.join(tmp, 'repo');
    makeRepo(repo);
    fs.writeFileSync(path.join(repo, '.gitattributes'), '*.txt diff=evil\n');
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'alpha\n');
    fs.writeFileSync(path.join(repo, 'gone.py'), 'G = 1\n');
    fs.writeFileSync(path.join(repo, 'main.py'), 'print("one")\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'first');
    poisonRepoConfig(repo);
    fs.writeFileSync(path.join(repo, 'main.py'), 'print("two")\n');
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'beta\n');
    fs.rmSync(path.join(repo, 'gone.py'));
    fs.writeFileSync(path.join(repo, 'staged.py'), 'S = 1\n');
    git(repo, 'add', 'staged.py');
    fs.writeFileSync(path.join(repo, 'new file.py'), 'N = 1\n');
    // Make the stat info stale so a refreshing git would rewrite the index.
    const future = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(repo, 'main.py'), future, future);

    const indexBefore = fs.readFileSync(path.join(repo, '.git', 'index'));
    const statusBefore = git(repo, 'status', '--porcelain=v1');
    const st = await userGitStatus(repo, { dataDir });
    expect(st.repo).toBe(true);
    if (!st.repo) return;
    expect(st.branch).toBe('main');
    expect(st.truncated).toBe(false);
    const byPath = Object.fromEntries(st.files.map((f) => [f.path, [f.kind, f.xy]]));
    expect(byPath).toEqual({
      'main.py': ['modified', '.M'],
      'notes.txt': ['modified', '.M'],
      'gone.py': ['deleted', '.D'],
      'staged.py': ['added', 'A.'],
      'new file.py': ['untracked', '??'],
    });
    expect(st.diff).toContain('-print("one")\n+print("two")');
    expect(st.diff).toContain('-alpha\n+beta'); // textconv would have rewritten this; external diff would have replaced it
    expect(st.diff).toContain('+S = 1');
    expect(fs.existsSync(canary) ? fs.readFileSync(canary, 'utf8') : '').toBe('');
    expect(fs.readFileSync(path.join(repo, '.git', 'index')).equals(indexBefore)).toBe(true);
    expect(git(repo, 'status', '--porcelain=v1')).toBe(statusBefore);
    expect(fs.existsSync(path.join(tmp, 'leaked-index'))).toBe(false);
  });

  it('a folder without git is {repo:false}; a project inside a bigger repo sees only its own files', async () => {
    const plain = path.join(tmp, 'plain');
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, 'a.py'), 'A = 1\n');
    expect(await userGitStatus(plain, { dataDir })).toEqual({ repo: false });

    const mono = path.join(tmp, 'mono');
    makeRepo(mono);
    fs.mkdirSync(path.join(mono, 'apps', 'web'), { recursive: true });
    fs.writeFileSync(path.join(mono, 'apps', 'web', 'index.ts'), 'export {};\n');
    fs.writeFileSync(path.join(mono, 'root.md'), '# root\n');
    git(mono, 'add', '-A');
    git(mono, 'commit', '-q', '-m', 'init');
    fs.writeFileSync(path.join(mono, 'apps', 'web', 'index.ts'), 'export const x = 1;\n');
    fs.writeFileSync(path.join(mono, 'root.md'), '# changed\n');
    const st = await userGitStatus(path.join(mono, 'apps', 'web'), { dataDir });
    expect(st.repo && st.files).toEqual([{ path: 'index.ts', xy: '.M', kind: 'modified' }]);
    expect(st.repo && st.diff).toContain('+export const x = 1;');
    expect(st.repo && st.diff).not.toContain('root.md');
  });

  it('a repository without a commit yet: staged and unstaged changes against the empty tree', async () => {
    const fresh = path.join(tmp, 'fresh');
    makeRepo(fresh);
    fs.writeFileSync(path.join(fresh, 'a.py'), 'A = 1\n');
    git(fresh, 'add', 'a.py');
    fs.writeFileSync(path.join(fresh, 'a.py'), 'A = 2\n');
    const st = await userGitStatus(fresh, { dataDir });
    expect(st.repo && st.files).toEqual([{ path: 'a.py', xy: 'AM', kind: 'added' }]);
    expect(st.repo && st.diff).toContain('+A = 1');
    expect(st.repo && st.diff).toContain('+A = 2');
  });

  it('a deleted project folder is NOT_FOUND', async () => {
    await expect(userGitStatus(path.join(tmp, 'no-such-folder'), { dataDir })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('parses porcelain v2 records: renames with their old path, unmerged, names with spaces', () => {
    const out = Buffer.from(
      [
        '# branch.oid 0123',
        '# branch.head feature/x',
        '2 R. N... 100644 100644 100644 aaaa bbbb R100 new name.py',
        'old name.py',
        'u UU N... 100644 100644 100644 100644 aaaa bbbb cccc both.py',
        '1 .T N... 100644 120000 120000 aaaa aaaa link',
        '? untracked dir/x.py',
        '',
      ].join('\0'),
    );
    expect(parsePorcelainV2(out)).toEqual({
      branch: 'feature/x',
      initial: false,
      files: [
        { path: 'new name.py', origPath: 'old name.py', xy: 'R.', kind: 'renamed' },
        { path: 'both.py', xy: 'UU', kind: 'unmerged' },
        { path: 'link', xy: '.T', kind: 'type-changed' },
        { path: 'untracked dir/x.py', xy: '??', kind: 'untracked' },
      ],
    });
  });
});
