// CheckpointStore on real git: a user repo with history, a nested repo, a huge ignored folder, CRLF/binary/mode/
// symlink files and a hostile global git config — restore is byte for byte, the user's git is untouched, no hook runs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema, type AuditEvent } from '../../../common/store/audit';
import { CheckpointStore } from '../../../main/services/workspace/checkpoints/checkpoint-store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-checkpoints-'));
const hostileHome = path.join(tmp, 'hostile-home');
const hostileConfig = path.join(hostileHome, '.gitconfig');
const canary = path.join(tmp, 'CANARY');
/** Separate from CANARY: the user's own git legitimately runs their clean filter; ours never may. */
const filterCanary = path.join(tmp, 'FILTER-CANARY');
const savedEnv = { ...process.env };
let n = 0;

/** The user's own git: the hostile global config applies, except what would run our canary during setup. */
function userGit(cwd: string, args: string[]): string {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { PATH: savedEnv.PATH ?? '', HOME: hostileHome, GIT_CONFIG_GLOBAL: hostileConfig, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'], // the hostile autocrlf's "LF will be replaced" warnings stay out of the output
  });
}

function writeExec(file: string, body: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** A global config that would sign (with a canary "gpg"), run hooks and fsmonitor, and convert line endings. */
function writeHostileConfig(): void {
  const hooks = path.join(tmp, 'evil-hooks');
  for (const h of ['pre-commit', 'commit-msg', 'post-commit', 'post-checkout', 'reference-transaction', 'post-index-change', 'pre-auto-gc'])
    writeExec(path.join(hooks, h), `echo "hook $0" >> '${canary}'`);
  writeExec(path.join(tmp, 'evil-gpg'), `echo gpg >> '${canary}'; exit 1`);
  writeExec(path.join(tmp, 'evil-fsmonitor'), `echo fsmonitor >> '${canary}'; exit 1`);
  writeExec(path.join(tmp, 'evil-template', 'hooks', 'post-index-change'), `echo template >> '${canary}'`);
  writeExec(path.join(tmp, 'evil-filter'), `echo "filter $1" >> '${filterCanary}'; cat`);
  writeExec(path.join(tmp, 'evil-textconv'), `echo textconv >> '${filterCanary}'; cat "$1"`);
  fs.mkdirSync(hostileHome, { recursive: true });
  fs.writeFileSync(
    hostileConfig,
    [
      '[user]\n\tname = Hostile\n\temail = hostile@example.invalid',
      `[commit]\n\tgpgsign = true`,
      `[gpg]\n\tprogram = ${path.join(tmp, 'evil-gpg')}`,
      `[core]\n\thooksPath = ${hooks}\n\tautocrlf = true\n\tfsmonitor = ${path.join(tmp, 'evil-fsmonitor')}\n\teol = crlf`,
      `[init]\n\ttemplateDir = ${path.join(tmp, 'evil-template')}`,
      `[diff]\n\texternal = ${path.join(tmp, 'evil-gpg')}`,
      `[filter "evil"]\n\tclean = ${path.join(tmp, 'evil-filter')} clean\n\tsmudge = ${path.join(tmp, 'evil-filter')} smudge`,
      `[diff "evil"]\n\ttextconv = ${path.join(tmp, 'evil-textconv')}`,
    ].join('\n') + '\n',
  );
}

interface Entry {
  sha: string;
  mode: number;
  link?: string;
}

/** Every file of the project except .git folders and the ignored cache: content hash, mode, link target. */
function readTree(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (e.name === '.git' || rel === 'gen-cache') continue;
      if (e.isDirectory()) walk(abs);
      else {
        const st = fs.lstatSync(abs);
        if (!st.isFile() && !st.isSymbolicLink()) continue; // a FIFO would block a read
        const link = st.isSymbolicLink() ? fs.readlinkSync(abs) : undefined;
        const bytes = link === undefined ? fs.readFileSync(abs) : Buffer.from(link);
        out.set(rel, { sha: createHash('sha256').update(bytes).digest('hex'), mode: st.mode & 0o777, ...(link ? { link } : {}) });
      }
    }
  };
  walk(root);
  return out;
}

/** Hash of every file under a .git folder except the index (which `git status` itself may refresh). */
function gitDirHash(gitDir: string): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name !== 'index') h.update(abs).update(fs.readFileSync(abs));
    }
  };
  walk(gitDir);
  return h.digest('hex');
}

/** A fresh user project: committed history, a nested repo, CRLF/binary/executable/symlink files, a big ignored folder. */
function makeProject(files = 3000): string {
  const root = path.join(tmp, `project-${++n}`);
  const w = (rel: string, data: string | Buffer, mode?: number): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), data, mode ? { mode } : {});
  };
  w('.gitignore', 'gen-cache/\n*.log\n');
  w('.gitattributes', '* text=auto\n*.bin binary\n*.dat filter=evil diff=evil\n');
  w('data/x.dat', 'filtered?\r\n');
  w('src/main.ts', 'export const x = 1;\n');
  w('win/crlf.txt', 'line one\r\nline two\r\n');
  w('win/mixed.txt', 'a\r\nb\nc\rd'); // mixed endings, no final newline
  w('win/bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('bom\r\n')]));
  w('bin/data.bin', Buffer.from([0, 1, 2, 13, 10, 255, 0, 13, 10, 10]));
  w('script.sh', '#!/bin/sh\necho hi\n', 0o755);
  w('docs/ñ ü.md', '# unicode name\n');
  w('debug.log', 'ignored\n');
  fs.symlinkSync('src/main.ts', path.join(root, 'link-to-main'));
  userGit(tmp, ['init', '-q', '-b', 'main', root]);
  userGit(root, ['add', '-A']);
  userGit(root, ['commit', '-qm', 'first']);
  w('src/second.ts', 'export const y = 2;\n');
  userGit(root, ['add', '-A']);
  userGit(root, ['commit', '-qm', 'second']);
  // A nested repository with its own history.
  const nested = path.join(root, 'vendor', 'lib');
  w('vendor/lib/lib.js', 'module.exports = 1;\n');
  userGit(tmp, ['init', '-q', '-b', 'main', nested]);
  userGit(nested, ['add', '-A']);
  userGit(nested, ['commit', '-qm', 'nested first']);
  // Untracked by the user, not ignored: part of the snapshot.
  w('notes.md', 'my notes\n');
  // The huge ignored folder.
  for (let d = 0; d < 30; d++) {
    fs.mkdirSync(path.join(root, 'gen-cache', `d${d}`), { recursive: true });
    for (let i = 0; i < files / 30; i++) fs.writeFileSync(path.join(root, 'gen-cache', `d${d}`, `f${i}.js`), `// ${d}/${i}\n`);
  }
  fs.rmSync(canary, { force: true });
  return root;
}

function sink(): { events: AuditEvent[]; record(ev: AuditEvent): Promise<void> } {
  const events: AuditEvent[] = [];
  return {
    events,
    async record(ev) {
      events.push(AuditEventSchema.parse(ev)); // the same schema the DB worker enforces
    },
  };
}

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

beforeAll(() => {
  writeHostileConfig();
  // Everything a careless runner would inherit: a hostile HOME and global config, and GIT_* pointing elsewhere.
  process.env.HOME = hostileHome;
  process.env.XDG_CONFIG_HOME = hostileHome;
  process.env.GIT_CONFIG_GLOBAL = hostileConfig;
  process.env.GIT_DIR = path.join(tmp, 'not-a-repo.git');
  process.env.GIT_INDEX_FILE = path.join(tmp, 'leaked-index');
  process.env.GIT_WORK_TREE = tmp;
});

afterAll(() => {
  for (const k of ['HOME', 'XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL', 'GIT_DIR', 'GIT_INDEX_FILE', 'GIT_WORK_TREE']) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  fs.chmodSync(tmp, 0o755);
  fs.rmSync(tmp, { recursive: true, force: true });
});

afterEach(() => {
  expect(fs.existsSync(canary) ? fs.readFileSync(canary, 'utf8') : '').toBe('');
  expect(fs.existsSync(path.join(tmp, 'leaked-index'))).toBe(false);
});

describe('CheckpointStore', () => {
  it('restores byte for byte (CRLF, binary, modes, symlink, nested repo) and leaves the user git exactly as it was', async () => {
    const root = makeProject();
    const dataDir = path.join(tmp, 'data-1');
    const before = readTree(root);
    const statusBefore = userGit(root, ['status', '--porcelain', '--ignored']);
    const logBefore = userGit(root, ['log', '--format=%H %an %s']);
    const nestedStatusBefore = userGit(path.join(root, 'vendor/lib'), ['status', '--porcelain']);
    const nestedLogBefore = userGit(path.join(root, 'vendor/lib'), ['log', '--format=%H %s']);
    const gitBefore = gitDirHash(path.join(root, '.git'));
    const nestedGitBefore = gitDirHash(path.join(root, 'vendor/lib/.git'));

    const audit = sink();
    fs.rmSync(filterCanary, { force: true });
    const store = await CheckpointStore.open({ projectRoot: root, dataDir, projectId: 'p1', audit });
    expect(store.gitDir.startsWith(path.join(dataDir, 'checkpoints'))).toBe(true);
    const cp = await store.checkpoint('before apply 1');
    // The first snapshot lists every file it holds: the nested repo's files yes, .git folders and ignored files no.
    expect(cp.files).toEqual(expect.arrayContaining(['src/main.ts', 'vendor/lib/lib.js', 'notes.md', 'link-to-main', 'docs/ñ ü.md']));
    expect(cp.files.filter((f) => f.startsWith('gen-cache/') || f.includes('.git/') || f.endsWith('.log'))).toEqual([]);
    expect(cp.filesTotal).toBe(before.size - 1); // all but the ignored debug.log

    // The "apply" and a few more hands on the files.
    fs.writeFileSync(path.join(root, 'src/main.ts'), 'export const x = 42;\n');
    fs.writeFileSync(path.join(root, 'data/x.dat'), 'changed\n');
    fs.writeFileSync(path.join(root, 'win/crlf.txt'), 'line one\nline two\n');
    fs.rmSync(path.join(root, 'win/mixed.txt'));
    fs.mkdirSync(path.join(root, 'src/new/deep'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/new/deep/feature.ts'), 'export {};\n');
    fs.writeFileSync(path.join(root, 'vendor/lib/lib.js'), 'module.exports = 2;\n');
    fs.chmodSync(path.join(root, 'script.sh'), 0o644);
    fs.rmSync(path.join(root, 'link-to-main'));
    fs.symlinkSync('src/second.ts', path.join(root, 'link-to-main'));
    fs.writeFileSync(path.join(root, 'gen-cache', 'd0', 'made-later.js'), 'ignored, must survive restore\n');
    await store.recordApplied({ checkpointId: cp.id, paths: ['src/main.ts'], generationId: 'g1' });

    const diff = await store.diff(cp.id);
    const byPath = new Map(diff.files.map((f) => [f.path, f]));
    expect(byPath.get('src/main.ts')?.status).toBe('modified');
    expect(byPath.get('src/main.ts')?.patch).toContain('+export const x = 42;');
    expect(byPath.get('src/new/deep/feature.ts')?.status).toBe('added');
    expect(byPath.get('win/mixed.txt')?.status).toBe('deleted');
    expect(byPath.get('script.sh')?.status).toBe('modified');
    expect(byPath.get('data/x.dat')?.patch).toContain('+changed'); // plain diff: no textconv
    expect([...byPath.keys()].some((p) => p.startsWith('gen-cache/'))).toBe(false);

    const r = await store.restore(cp.id);
    expect(r.restored).toBe(cp.id);
    expect(fs.existsSync(filterCanary)).toBe(false); // no clean/smudge filter or textconv from any config ran
    // User's .git folders: not one byte written (checked before any user git command runs again).
    expect(gitDirHash(path.join(root, '.git'))).toBe(gitBefore);
    expect(gitDirHash(path.join(root, 'vendor/lib/.git'))).toBe(nestedGitBefore);
    expect(readTree(root)).toEqual(before);
    expect(fs.existsSync(path.join(root, 'src/new'))).toBe(false);
    expect(fs.readFileSync(path.join(root, 'gen-cache', 'd0', 'made-later.js'), 'utf8')).toContain('must survive');
    expect(userGit(root, ['status', '--porcelain', '--ignored'])).toBe(statusBefore);
    expect(userGit(root, ['log', '--format=%H %an %s'])).toBe(logBefore);
    expect(userGit(path.join(root, 'vendor/lib'), ['status', '--porcelain'])).toBe(nestedStatusBefore);
    expect(userGit(path.join(root, 'vendor/lib'), ['log', '--format=%H %s'])).toBe(nestedLogBefore);

    // Audit: the apply row and the restore row carry paths and content hashes.
    const applied = audit.events.find((e) => e.kind === 'file.applied');
    expect(applied?.data).toMatchObject({
      path: 'src/main.ts',
      checkpointId: cp.id,
      sha256: sha('export const x = 42;\n'),
      projectId: 'p1',
    });
    const restored = audit.events.find((e) => e.kind === 'checkpoint.restore');
    expect(restored?.kind === 'checkpoint.restore' && restored.data.checkpointId).toBe(cp.id);
    const files = restored?.kind === 'checkpoint.restore' ? restored.data.files : [];
    expect(files).toContainEqual({ path: 'src/new/deep/feature.ts', sha256: null });
    expect(files).toContainEqual({ path: 'src/main.ts', sha256: sha('export const x = 1;\n') });
    expect(files).toContainEqual({ path: 'win/mixed.txt', sha256: sha('a\r\nb\nc\rd') });

    // The restore is itself undoable: its pre-restore snapshot holds the changed state.
    const list = await store.list();
    expect(list.map((c) => c.kind)).toEqual(['pre-restore', 'checkpoint']);
    expect(list[0]).toMatchObject({ id: r.preRestore, restoreOf: cp.id });
    await store.restore(r.preRestore);
    expect(fs.readFileSync(path.join(root, 'src/main.ts'), 'utf8')).toBe('export const x = 42;\n');
    expect(fs.readlinkSync(path.join(root, 'link-to-main'))).toBe('src/second.ts');
    expect(fs.statSync(path.join(root, 'script.sh')).mode & 0o777).toBe(0o644);
  });

  it('undoes the last apply, then the one before, and says when nothing is left', async () => {
    const root = makeProject(30);
    const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-2') });
    const file = path.join(root, 'src/main.ts');
    await store.checkpoint('apply A');
    fs.writeFileSync(file, 'A\n');
    await store.checkpoint('apply B');
    fs.writeFileSync(file, 'B\n');
    fs.writeFileSync(path.join(root, 'src/b-only.ts'), 'b\n');
    const u1 = await store.undoLast();
    expect(fs.readFileSync(file, 'utf8')).toBe('A\n');
    expect(fs.existsSync(path.join(root, 'src/b-only.ts'))).toBe(false);
    expect(u1.files).toContainEqual({ path: 'src/b-only.ts', sha256: null });
    await store.undoLast();
    expect(fs.readFileSync(file, 'utf8')).toBe('export const x = 1;\n');
    await expect(store.undoLast()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Packing keeps every checkpoint restorable.
    const packed = await store.compact(0);
    expect(packed.looseBefore).toBeGreaterThan(10);
    expect(packed.looseAfter).toBe(0);
    await store.restore((await store.list()).at(-1)!.id);
    expect(fs.readFileSync(file, 'utf8')).toBe('export const x = 1;\n');
    const kinds = (await store.list()).map((c) => `${c.kind}:${c.label}`).slice(1);
    expect(kinds).toEqual(['pre-restore:before undo', 'pre-restore:before undo', 'checkpoint:apply B', 'checkpoint:apply A']);
  });

  it('runs concurrent operations on one project one at a time, from any number of store instances', async () => {
    const root = makeProject(30);
    const dataDir = path.join(tmp, 'data-3');
    const [a, b] = await Promise.all([
      CheckpointStore.open({ projectRoot: root, dataDir }),
      CheckpointStore.open({ projectRoot: root, dataDir }),
    ]);
    const made = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).checkpoint(`c${i}`)));
    expect(new Set(made.map((c) => c.id)).size).toBe(6);
    expect((await a.list()).map((c) => c.label).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
  });

  describe('bad input', () => {
    it('a project folder that vanished: NOT_FOUND, nothing written', async () => {
      const root = makeProject(30);
      const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-4') });
      const cp = await store.checkpoint('before');
      fs.rmSync(root, { recursive: true, force: true });
      await expect(store.checkpoint('after')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringContaining('no longer exists'),
      });
      await expect(store.restore(cp.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(fs.existsSync(root)).toBe(false);
      await expect(CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-4') })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('a read-only file the restore would change: FORBIDDEN and nothing changes', async () => {
      const root = makeProject(30);
      const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-5') });
      const cp = await store.checkpoint('before');
      fs.writeFileSync(path.join(root, 'src/main.ts'), 'changed\n');
      fs.writeFileSync(path.join(root, 'src/second.ts'), 'locked\n');
      fs.chmodSync(path.join(root, 'src/second.ts'), 0o444);
      const during = readTree(root);
      await expect(store.restore(cp.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('src/second.ts') });
      expect(readTree(root)).toEqual(during);
      expect((await store.list()).map((c) => c.kind)).toEqual(['checkpoint']); // no pre-restore snapshot left behind
    });

    it('a file over the size limit in the way of a restore: CONFLICT and nothing changes', async () => {
      const root = makeProject(30);
      const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-6'), maxFileBytes: 1000 });
      const cp = await store.checkpoint('before');
      expect(cp.files).toContain('notes.md');
      fs.writeFileSync(path.join(root, 'notes.md'), 'x'.repeat(2000)); // now too large for any snapshot
      fs.writeFileSync(path.join(root, 'src/main.ts'), 'changed\n');
      const during = readTree(root);
      await expect(store.restore(cp.id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('notes.md') });
      expect(readTree(root)).toEqual(during);
    });
  });

  describe('ignored files', () => {
    it('an ignored file a restore overwrites is kept in the pre-restore snapshot first', async () => {
      const root = makeProject(30);
      const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-9') });
      const cp = await store.checkpoint('before');
      fs.appendFileSync(path.join(root, '.gitignore'), 'notes.md\n');
      fs.writeFileSync(path.join(root, 'notes.md'), 'newer notes\n');
      const r = await store.restore(cp.id);
      expect(fs.readFileSync(path.join(root, 'notes.md'), 'utf8')).toBe('my notes\n');
      await store.restore(r.preRestore);
      expect(fs.readFileSync(path.join(root, 'notes.md'), 'utf8')).toBe('newer notes\n');
    });

    it('an apply to an ignored file is undoable when the checkpoint names it', async () => {
      const root = makeProject(30);
      const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-10') });
      const cp = await store.checkpoint('apply to a log', { include: ['debug.log', './gen-cache/d0/f0.js'] });
      expect(cp.files).toEqual(expect.arrayContaining(['debug.log', 'gen-cache/d0/f0.js']));
      fs.writeFileSync(path.join(root, 'debug.log'), 'rewritten by the apply\n');
      await store.undoLast();
      expect(fs.readFileSync(path.join(root, 'debug.log'), 'utf8')).toBe('ignored\n');
      await expect(store.checkpoint('x', { include: ['../outside.txt'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(store.checkpoint('x', { include: ['.git/config'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(store.checkpoint('x', { include: ['vendor/lib/.git/HEAD'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });

  describe('more bad input', () => {
    it('a FIFO in the project is left out, not an error; destroy removes only the shadow repository', async () => {
      const root = makeProject(30);
      execFileSync('mkfifo', [path.join(root, 'src', 'pipe')]);
      const dataDir = path.join(tmp, 'data-11');
      const store = await CheckpointStore.open({ projectRoot: root, dataDir });
      const cp = await store.checkpoint('with a fifo');
      expect(cp.files).toContain('src/main.ts');
      expect(cp.files).not.toContain('src/pipe');
      const before = readTree(path.join(root, 'src'));
      await store.destroy();
      expect(fs.existsSync(store.gitDir)).toBe(false);
      expect(fs.lstatSync(path.join(root, 'src', 'pipe')).isFIFO()).toBe(true);
      expect(readTree(path.join(root, 'src'))).toEqual(before);
      await expect(store.restore(cp.id)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('open the checkpoint store again'),
      });
    });

    it('a data dir inside the project: its checkpoints folder is never snapshotted nor deleted by a restore', async () => {
      const root = makeProject(30);
      const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(root, '.evolve-data') });
      await store.checkpoint('one');
      fs.writeFileSync(path.join(root, 'src/main.ts'), 'changed\n');
      const cp = await store.checkpoint('two');
      expect(cp.files).toEqual(['src/main.ts']);
      const first = (await store.list()).at(-1)!;
      expect(first.files.filter((f) => f.startsWith('.evolve-data'))).toEqual([]);
      await store.restore(first.id);
      expect(fs.readFileSync(path.join(root, 'src/main.ts'), 'utf8')).toBe('export const x = 1;\n');
      expect(fs.existsSync(path.join(store.gitDir, 'HEAD'))).toBe(true);
      expect((await store.list()).length).toBe(3);
      await expect(store.checkpoint('x', { include: ['.evolve-data/checkpoints/x'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(store.list(0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });

    it('a folder replaced by a symlink to outside: restore removes the link and never writes through it', async () => {
      const root = makeProject(30);
      const outside = path.join(tmp, `outside-${n}`);
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(outside, 'main.ts'), 'outside!\n');
      const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-12') });
      const cp = await store.checkpoint('before');
      fs.rmSync(path.join(root, 'src'), { recursive: true });
      fs.symlinkSync(outside, path.join(root, 'src'));
      await store.restore(cp.id);
      expect(fs.lstatSync(path.join(root, 'src')).isDirectory()).toBe(true);
      expect(fs.readFileSync(path.join(root, 'src/main.ts'), 'utf8')).toBe('export const x = 1;\n');
      expect(fs.readFileSync(path.join(outside, 'main.ts'), 'utf8')).toBe('outside!\n');

      // The same link, but ignored (so no snapshot holds it and restore may not delete it): refused, nothing written.
      fs.rmSync(path.join(root, 'src'), { recursive: true });
      fs.symlinkSync(outside, path.join(root, 'src'));
      fs.appendFileSync(path.join(root, '.gitignore'), '/src\n');
      await expect(store.restore(cp.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('symbolic link') });
      expect(fs.readFileSync(path.join(outside, 'main.ts'), 'utf8')).toBe('outside!\n');
      expect(fs.readdirSync(outside)).toEqual(['main.ts']);
      expect(fs.readFileSync(path.join(root, '.gitignore'), 'utf8')).toContain('/src');
    });

    it('git missing from PATH: a clear UNAVAILABLE', async () => {
      const root = makeProject(30);
      const emptyBin = path.join(tmp, 'empty-bin');
      fs.mkdirSync(emptyBin, { recursive: true });
      await expect(CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-7'), pathEnv: emptyBin })).rejects.toMatchObject(
        {
          code: 'UNAVAILABLE',
          message: expect.stringContaining('git is not installed'),
        },
      );
    });

    it('bad ids and labels are typed errors', async () => {
      const root = makeProject(30);
      const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-8') });
      await expect(store.restore('HEAD~1')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(store.diff('0'.repeat(40))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store.checkpoint('  \n ')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(store.undoLast()).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const cp = await store.checkpoint('line one\nline two');
      expect(cp.label).toBe('line one line two');
      await expect(store.recordApplied({ checkpointId: cp.id, paths: ['../outside.txt'] })).resolves.toBeUndefined(); // no sink: nothing to record
      const audited = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp, 'data-8'), audit: sink() });
      await expect(audited.recordApplied({ checkpointId: cp.id, paths: ['../outside.txt'] })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });
  });
});
