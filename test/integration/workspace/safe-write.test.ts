// Safe writes on real files: symlink escapes, symlinked parents, FIFO/device refused; mode, BOM, CRLF kept; conflicts.
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEvolveError } from '../../../common/errors';
import { applyFileEdits, resolveInsideRoot, writeFileAtomic } from '../../../main/services/workspace/safe-write';
import { sha256Hex } from '../../../main/services/codegen/edits';

let base: string;
let root: string;
let outside: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'evolve-safe-write-'));
  root = join(base, 'project');
  outside = join(base, 'outside');
  await mkdir(join(root, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'do not touch\n');
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return isEvolveError(e) ? e.code : `untyped: ${String(e)}`;
  }
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('resolveInsideRoot on disk', () => {
  it('resolves existing and new files, including inside folders that do not exist yet', async () => {
    await writeFile(join(root, 'src/a.py'), 'x\n');
    await chmod(join(root, 'src/a.py'), 0o640);
    expect(await resolveInsideRoot(root, 'src/a.py')).toMatchObject({ rel: 'src/a.py', exists: true, mode: 0o640 });
    expect(await resolveInsideRoot(root, 'new/deep/b.py')).toMatchObject({ rel: 'new/deep/b.py', exists: false });
  });

  it('refuses a symlink to outside, a symlinked parent (even one pointing inside), FIFO, device, folder', async () => {
    await symlink(join(outside, 'secret.txt'), join(root, 'link.txt'));
    await symlink(outside, join(root, 'out'));
    await symlink(join(root, 'src'), join(root, 'src-alias'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const cases: [string, string][] = [
      ['link.txt', 'FORBIDDEN'],
      ['out/secret.txt', 'FORBIDDEN'],
      ['out/new.txt', 'FORBIDDEN'],
      ['src-alias/a.py', 'FORBIDDEN'],
      ['pipe', 'FORBIDDEN'],
      ['src', 'FORBIDDEN'],
      ['../outside/secret.txt', 'FORBIDDEN'],
      [join(outside, 'secret.txt'), 'FORBIDDEN'],
    ];
    if (process.getuid?.() === 0) {
      execFileSync('mknod', [join(root, 'null'), 'c', '1', '3']);
      cases.push(['null', 'FORBIDDEN']);
    }
    for (const [rel, code] of cases) expect(await codeOf(resolveInsideRoot(root, rel)), rel).toBe(code);
    await writeFile(join(root, 'file'), 'x');
    expect(await codeOf(resolveInsideRoot(root, 'file/child.txt'))).toBe('INVALID_ARGUMENT');
  });

  it('a deleted project folder is NOT_FOUND; a root given through a symlink is resolved to its real path', async () => {
    expect(await codeOf(resolveInsideRoot(join(base, 'gone'), 'a.py'))).toBe('NOT_FOUND');
    await symlink(root, join(base, 'root-link'));
    expect((await resolveInsideRoot(join(base, 'root-link'), 'a.py')).abs).toBe(join(root, 'a.py'));
  });
});

describe('writeFileAtomic', () => {
  it('keeps the mode of the file it replaces, leaves no temp file, refuses a symlink target', async () => {
    const f = join(root, 'run.sh');
    await writeFile(f, '#!/bin/sh\n');
    await chmod(f, 0o750);
    const inode = (await stat(f)).ino;
    await writeFileAtomic(f, bytes('#!/bin/sh\necho hi\n'));
    expect((await stat(f)).mode & 0o7777).toBe(0o750);
    expect((await stat(f)).ino).not.toBe(inode); // a new inode: readers saw old or new, never half
    expect(await readFile(f, 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect((await readdir(root)).filter((n) => n.includes('evolve-tmp'))).toEqual([]);
    await symlink(join(outside, 'secret.txt'), join(root, 'l'));
    expect(await codeOf(writeFileAtomic(join(root, 'l'), bytes('x')))).toBe('FORBIDDEN');
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('do not touch\n');
    await writeFileAtomic(join(root, 'fresh.txt'), bytes('n'), { mode: 0o600 });
    expect((await stat(join(root, 'fresh.txt'))).mode & 0o777).toBe(0o600);
  });
});

describe('applyFileEdits', () => {
  const crlfBom = '\uFEFFline 1\r\nline 2\r\n';

  it('writes new bytes and creates new files with folders; untouched files keep every byte and mode', async () => {
    await writeFile(join(root, 'src/a.py'), crlfBom);
    await writeFile(join(root, 'src/keep.py'), crlfBom);
    await chmod(join(root, 'src/a.py'), 0o755);
    const before = await readFile(join(root, 'src/a.py'));
    const r = await applyFileEdits(root, [
      { path: 'src/a.py', expectedHash: sha256Hex(before), newBytes: bytes('\uFEFFline 1\r\nline two\r\n') },
      { path: 'pkg/sub/new.py', expectedHash: null, newBytes: bytes('x = 1\n') },
      { path: 'same.txt', expectedHash: null, newBytes: bytes('') },
    ]);
    expect(r.written.map((w) => [w.path, w.unchanged])).toEqual([
      ['src/a.py', false],
      ['pkg/sub/new.py', false],
      ['same.txt', false],
    ]);
    expect(await readFile(join(root, 'src/a.py'), 'utf8')).toBe('\uFEFFline 1\r\nline two\r\n');
    expect((await stat(join(root, 'src/a.py'))).mode & 0o7777).toBe(0o755);
    expect(await readFile(join(root, 'pkg/sub/new.py'), 'utf8')).toBe('x = 1\n');
    expect((await readFile(join(root, 'src/keep.py'))).equals(Buffer.from(crlfBom))).toBe(true);
  });

  it('a file changed, deleted or created on disk since the diff is a CONFLICT and nothing at all is written', async () => {
    await writeFile(join(root, 'a.txt'), 'A\n');
    await writeFile(join(root, 'b.txt'), 'B\n');
    const hashA = sha256Hex(bytes('A\n'));
    const hashB = sha256Hex(bytes('B\n'));
    await writeFile(join(root, 'b.txt'), 'B edited by the user\n');
    await writeFile(join(root, 'c.txt'), 'appeared\n');
    let err: unknown;
    try {
      await applyFileEdits(root, [
        { path: 'a.txt', expectedHash: hashA, newBytes: bytes('A2\n') },
        { path: 'b.txt', expectedHash: hashB, newBytes: bytes('B2\n') },
        { path: 'c.txt', expectedHash: null, newBytes: bytes('C\n') },
        { path: 'gone.txt', expectedHash: hashA, newBytes: bytes('G\n') },
      ]);
    } catch (e) {
      err = e;
    }
    expect(isEvolveError(err) && err.code).toBe('CONFLICT');
    const details = (err as { details: { conflicts: { path: string; actualHash: string | null }[] } }).details;
    expect(details.conflicts.map((c) => c.path)).toEqual(['b.txt', 'c.txt', 'gone.txt']);
    expect(details.conflicts[2]!.actualHash).toBeNull();
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('A\n');
    expect(await readFile(join(root, 'b.txt'), 'utf8')).toBe('B edited by the user\n');
    expect(await readFile(join(root, 'c.txt'), 'utf8')).toBe('appeared\n');
  });

  it('a refused path anywhere in the batch stops it before any write', async () => {
    await writeFile(join(root, 'a.txt'), 'A\n');
    await symlink(outside, join(root, 'escape'));
    const edits = [
      { path: 'a.txt', expectedHash: sha256Hex(bytes('A\n')), newBytes: bytes('A2\n') },
      { path: 'escape/secret.txt', expectedHash: sha256Hex(bytes('do not touch\n')), newBytes: bytes('pwned\n') },
    ];
    expect(await codeOf(applyFileEdits(root, edits))).toBe('FORBIDDEN');
    expect(await codeOf(applyFileEdits(root, [{ ...edits[0]!, path: '../../outside.txt', expectedHash: null }]))).toBe('FORBIDDEN');
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('A\n');
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('do not touch\n');
    await expect(lstat(join(base, 'outside.txt'))).rejects.toThrow();
  });

  it('bad input: a path twice, a malformed hash, non-bytes are INVALID_ARGUMENT', async () => {
    const e = { path: 'a.txt', expectedHash: null, newBytes: bytes('x') };
    expect(await codeOf(applyFileEdits(root, [e, { ...e, path: './a.txt' }]))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(applyFileEdits(root, [{ ...e, expectedHash: 'abc' }]))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(applyFileEdits(root, [{ ...e, newBytes: 'text' as unknown as Uint8Array }]))).toBe('INVALID_ARGUMENT');
    await expect(lstat(join(root, 'a.txt'))).rejects.toThrow();
  });

  it('a write that fails halfway rolls back the files already written (old bytes and mode, new files removed)', async (ctx) => {
    await writeFile(join(root, 'a.txt'), 'A\n');
    await chmod(join(root, 'a.txt'), 0o604);
    await mkdir(join(root, 'locked'));
    await writeFile(join(root, 'locked/z.txt'), 'Z\n');
    // Make the last write fail: an immutable folder stops even root; as a user a read-only folder does.
    if (process.getuid?.() === 0) {
      try {
        execFileSync('chattr', ['+i', join(root, 'locked')], { stdio: 'ignore' });
      } catch {
        ctx.skip(); // chattr not supported on this filesystem: cannot make root fail a write here
      }
    } else {
      await chmod(join(root, 'locked'), 0o555);
    }
    let err: string | undefined;
    try {
      err = await codeOf(
        applyFileEdits(root, [
          { path: 'a.txt', expectedHash: sha256Hex(bytes('A\n')), newBytes: bytes('A2\n') },
          { path: 'new.txt', expectedHash: null, newBytes: bytes('N\n') },
          { path: 'locked/z.txt', expectedHash: sha256Hex(bytes('Z\n')), newBytes: bytes('Z2\n') },
        ]),
      );
    } finally {
      if (process.getuid?.() === 0) execFileSync('chattr', ['-i', join(root, 'locked')], { stdio: 'ignore' });
      else await chmod(join(root, 'locked'), 0o755);
    }
    expect(err).toBe('FORBIDDEN');
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('A\n');
    expect((await stat(join(root, 'a.txt'))).mode & 0o7777).toBe(0o604);
    await expect(lstat(join(root, 'new.txt'))).rejects.toThrow();
    expect(await readFile(join(root, 'locked/z.txt'), 'utf8')).toBe('Z\n');
  });
});
