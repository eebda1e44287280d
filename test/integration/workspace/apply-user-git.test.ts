// The whole apply path on a project that is the user's own git repository, under a hostile global git config
// (signing with a fake gpg, hooks, autocrlf, fsmonitor) with a nested repository and a big ignored folder:
// applyGeneration → gitStatus shows exactly the applied change → undo. The user's .git folders stay byte-identical
// throughout, `git log` never changes, and no configured program runs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFile } from '../../../main/services/codegen/edits/diff-files';
import { WorkspaceService } from '../../../main/services/workspace/workspace-service';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const sha = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');
const ORIGINAL = 'def total(xs):\n    return sum(xs)\n\n\n\n\n\n\ndef mean(xs):\n    return sum(xs) / len(xs)\n';
const UPDATED = 'def total(xs: list[float]) -> float:\n    return sum(xs)\n\n\n\n\n\n\ndef mean(xs):\n    return sum(xs) / len(xs)\n';

/** Every file under `dir` (relative path → SHA-256 of its bytes). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, abs), sha(fs.readFileSync(abs)));
  }
  return out;
}

describe('apply and undo on the user own git repository', () => {
  const tmp = tempDir('evolve-apply-user-git-');
  const canary = path.join(tmp.dir, 'canary.txt');
  const home = path.join(tmp.dir, 'home');
  const root = path.join(tmp.dir, 'repo');
  const saved = { ...process.env };
  let s: TestStore;
  let ws: WorkspaceService;
  let projectId: string;

  /** The user's git as the user runs it: the hostile global config applies, minus what would run our canary. */
  const userGit = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'commit.gpgsign=false', ...args], {
      cwd,
      env: { PATH: saved.PATH ?? '', HOME: home, LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  beforeAll(async () => {
    const evil = path.join(tmp.dir, 'evil');
    fs.writeFileSync(evil, `#!/bin/sh\necho "ran $0 $*" >> '${canary}'\nexit 1\n`, { mode: 0o755 });
    fs.mkdirSync(path.join(tmp.dir, 'hooks'));
    for (const h of ['pre-commit', 'post-index-change', 'post-checkout', 'reference-transaction'])
      fs.writeFileSync(path.join(tmp.dir, 'hooks', h), `#!/bin/sh\necho hook >> '${canary}'\n`, { mode: 0o755 });
    fs.mkdirSync(home);
    fs.writeFileSync(
      path.join(home, '.gitconfig'),
      [
        '[user]\n\tname = User\n\temail = user@example.invalid',
        `[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = ${evil}`,
        `[core]\n\thooksPath = ${path.join(tmp.dir, 'hooks')}\n\tautocrlf = true\n\tfsmonitor = ${evil}`,
        `[diff]\n\texternal = ${evil}`,
      ].join('\n') + '\n',
    );
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    userGit(root, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(root, '.gitignore'), 'data/\n');
    fs.writeFileSync(path.join(root, 'src', 'stats.py'), ORIGINAL);
    fs.mkdirSync(path.join(root, 'data', 'cache'), { recursive: true });
    for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(root, 'data', 'cache', `blob-${i}.bin`), `payload ${i}\n`);
    const nested = path.join(root, 'vendor', 'lib');
    fs.mkdirSync(nested, { recursive: true });
    userGit(nested, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(nested, 'lib.py'), 'L = 1\n');
    userGit(nested, 'add', '-A');
    userGit(nested, 'commit', '-q', '-m', 'nested');
    userGit(root, 'add', '.gitignore', 'src');
    userGit(root, 'commit', '-q', '-m', 'first');
    // A careless runner would inherit these.
    process.env.HOME = home;
    process.env.GIT_DIR = path.join(tmp.dir, 'not-a-repo.git');

    s = makeStore(path.join(tmp.dir, 'ws.db'), newKey(), { synchronous: 'NORMAL' });
    await s.client.open();
    ws = new WorkspaceService({ store: s.client, dataDir: path.join(tmp.dir, 'data-dir') });
    projectId = (await s.client.call('index.project.add', { name: 'repo', rootPath: root })).id;
    await ws.setTrust(projectId, true);
  }, 60_000);

  afterAll(async () => {
    for (const k of ['HOME', 'GIT_DIR']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await s.client.close();
    tmp.cleanup();
  });

  it('writes only the accepted change; the user sees exactly it in git; .git untouched; undo brings the bytes back', async () => {
    const logBefore = userGit(root, 'log', '--format=%H %s');
    const statusBefore = userGit(root, 'status', '--porcelain=v1');
    expect(statusBefore).toBe('?? vendor/\n');
    const gitBefore = snapshot(path.join(root, '.git'));
    const nestedGitBefore = snapshot(path.join(root, 'vendor', 'lib', '.git'));

    const d = diffFile('src/stats.py', ORIGINAL, UPDATED);
    const g = await ws.codegen.create({ projectId, request: 'type hints', type: 'function', lang: 'python', model: 'm' });
    await ws.codegen.finish({ generationId: g.id, status: 'done', code: UPDATED, diff: [d], score: 90 });
    const r = await ws.applyGeneration({ generationId: g.id, accept: [{ path: 'src/stats.py', hunkIds: [d.hunks[0]!.id] }] });
    expect(r.written).toEqual([{ path: 'src/stats.py', hash: sha(UPDATED) }]);

    const st = await ws.gitStatus(projectId);
    expect(st.repo && st.files).toEqual([
      { path: 'src/stats.py', xy: '.M', kind: 'modified' },
      { path: 'vendor/lib/', xy: '??', kind: 'untracked' }, // a nested repository shows as one entry
    ]);
    expect(st.repo && st.diff).toContain('-def total(xs):\n+def total(xs: list[float]) -> float:');
    // Our snapshot, apply and status changed nothing in either repository's own data.
    expect(snapshot(path.join(root, '.git'))).toEqual(gitBefore);
    expect(snapshot(path.join(root, 'vendor', 'lib', '.git'))).toEqual(nestedGitBefore);
    expect(userGit(root, 'status', '--porcelain=v1')).toBe(' M src/stats.py\n?? vendor/\n');
    expect(userGit(root, 'log', '--format=%H %s')).toBe(logBefore);

    await ws.undo(projectId);
    expect(fs.readFileSync(path.join(root, 'src', 'stats.py'), 'utf8')).toBe(ORIGINAL);
    expect(userGit(root, 'status', '--porcelain=v1')).toBe(statusBefore);
    expect(userGit(root, 'log', '--format=%H %s')).toBe(logBefore);
    expect(fs.readdirSync(path.join(root, 'data', 'cache'))).toHaveLength(3000);
    expect(fs.existsSync(canary) ? fs.readFileSync(canary, 'utf8') : '').toBe('');
  });
});
