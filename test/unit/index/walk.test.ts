// The project walk on real temp trees: ignore files, globs, binary sniff, size limit, symlinks, errors, cancel.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkPaths, walkProject, type GoneItem, type WalkOptions } from '../../../native/index/walk';
import type { WalkItem } from '../../../native/index/types';

let root: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'evolve-walk-'));
  await chmod(root, 0o755); // readable by the `nobody` child of the unreadable-file test
  outside = await mkdtemp(path.join(os.tmpdir(), 'evolve-walk-out-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function put(rel: string, content: string | Buffer = 'export const x = 1;\n'): Promise<string> {
  const abs = path.join(root, ...rel.split('/'));
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, content);
  return abs;
}

async function collect(opts: WalkOptions = {}): Promise<WalkItem[]> {
  const out: WalkItem[] = [];
  for await (const item of walkProject(root, opts)) out.push(item);
  return out;
}

function walkAsNobody(dir: string): Promise<WalkItem[]> {
  const script =
    '(async () => { const { walkProject } = require(process.argv[1]); const out = [];' +
    ' for await (const i of walkProject(process.argv[2])) out.push(i); process.stdout.write(JSON.stringify(out)); })()';
  const walkModule = path.resolve(__dirname, '../../../native/index/walk.ts');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '-e', script, walkModule, dir],
      { uid: 65534, gid: 65534, env: { ...process.env, HOME: os.tmpdir() } },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as WalkItem[])),
    );
  });
}

const files = (items: WalkItem[]) => items.filter((i) => i.kind === 'file').map((i) => i.rel);
const skipped = (items: WalkItem[], reason: string) => items.filter((i) => i.kind === 'skipped' && i.reason === reason).map((i) => i.rel);

describe('walkProject', () => {
  it('applies .gitignore (nested, negation), .evolveignore and the built-in ignores', async () => {
    await put('.gitignore', '*.log\nbuild/\n');
    await put('src/a.ts');
    await put('src/debug.log', 'log');
    await put('build/out.js');
    await put('pkg/.gitignore', '!keep.log\ngenerated/\n');
    await put('pkg/keep.log', 'kept by the nested negation');
    await put('pkg/generated/g.ts');
    await put('pkg/b.ts');
    await put('.evolveignore', 'secret/\n');
    await put('secret/s.ts');
    await put('node_modules/dep/index.js');
    await put('.git/HEAD', 'ref: refs/heads/main\n');
    const items = await collect();
    expect(files(items).sort()).toEqual(['.evolveignore', '.gitignore', 'pkg/.gitignore', 'pkg/b.ts', 'pkg/keep.log', 'src/a.ts']);
    expect(skipped(items, 'ignored').sort()).toEqual(['.git', 'build', 'node_modules', 'pkg/generated', 'secret', 'src/debug.log']);
  });

  it('lets an ignore file re-include a built-in ignore', async () => {
    await put('.evolveignore', '!node_modules/\n');
    await put('node_modules/dep/index.js');
    expect(files(await collect())).toContain('node_modules/dep/index.js');
  });

  it('filters with include/exclude globs and prunes excluded folders', async () => {
    await put('src/a.ts');
    await put('src/a.test.ts');
    await put('docs/readme.md', '# hi');
    await put('dist/x.ts');
    const items = await collect({ include: ['**/*.ts'], exclude: ['**/*.test.ts', 'dist'] });
    expect(files(items)).toEqual(['src/a.ts']);
    expect(skipped(items, 'ignored').sort()).toEqual(['dist', 'docs/readme.md', 'src/a.test.ts']);
  });

  it('skips binary content by sniffing, not by extension', async () => {
    await put('nul.ts', Buffer.from([0x63, 0x6f, 0x00, 0x6e]));
    await put('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in Latin-1: invalid UTF-8
    await put('image.png.ts', Buffer.from('\x89PNG\r\n\x1a\n\0\0\0', 'latin1'));
    // A 3-byte character split by the 8 KB sniff boundary is still text.
    await put('boundary.ts', Buffer.concat([Buffer.alloc(8191, 0x61), Buffer.from('€', 'utf8'), Buffer.from('\n')]));
    await put('utf8.py', 'print("héllo wörld ✓")\n');
    const items = await collect();
    expect(skipped(items, 'binary').sort()).toEqual(['image.png.ts', 'latin1.txt', 'nul.ts']);
    expect(files(items).sort()).toEqual(['boundary.ts', 'utf8.py']);
  });

  it('reports a 200 MB sparse file as too-large from its size alone', async () => {
    const big = await put('huge.ts', '');
    await truncate(big, 200 * 1024 * 1024); // all NUL bytes: a sniff would have said "binary"
    await put('small.ts');
    const items = await collect();
    expect(skipped(items, 'too-large')).toEqual(['huge.ts']);
    expect(files(items)).toEqual(['small.ts']);
    expect((await collect({ maxFileBytes: 5 })).filter((i) => i.kind === 'skipped' && i.reason === 'too-large')).toHaveLength(2);
  });

  it('follows symlinks inside the root, never outside, and detects loops', async () => {
    await put('real/a.ts');
    await writeFile(path.join(outside, 'secret.ts'), 'export const key = 1;\n');
    await symlink(path.join(root, 'real'), path.join(root, 'alias'));
    await symlink(path.join(root, 'real', 'a.ts'), path.join(root, 'link-to-a.ts'));
    await symlink(outside, path.join(root, 'out-dir'));
    await symlink(path.join(outside, 'secret.ts'), path.join(root, 'out-file.ts'));
    await symlink(root, path.join(root, 'real', 'up')); // folder loop back to the root
    await symlink(path.join(root, 'self'), path.join(root, 'self')); // link to itself: ELOOP
    await symlink(path.join(root, 'nowhere'), path.join(root, 'dangling.ts'));
    const items = await collect();
    // `alias` is walked first (name order) and `real` is then the same folder reached a second time.
    expect(files(items).sort()).toEqual(['alias/a.ts', 'link-to-a.ts']);
    expect(skipped(items, 'symlink-outside').sort()).toEqual(['out-dir', 'out-file.ts']);
    expect(skipped(items, 'symlink-loop').sort()).toEqual(['alias/up', 'self']);
    expect(items).toContainEqual(expect.objectContaining({ kind: 'error', rel: 'dangling.ts', code: 'ENOENT' }));
    expect(JSON.stringify(items)).not.toContain(outside);
  });

  it('reports a folder that disappears mid-walk as an error item and carries on', async () => {
    await put('a/1.ts');
    await put('b/2.ts');
    await put('c/3.ts');
    const items: WalkItem[] = [];
    for await (const item of walkProject(root)) {
      items.push(item);
      if (item.rel === 'a/1.ts') await rm(path.join(root, 'b'), { recursive: true });
    }
    expect(items).toContainEqual(expect.objectContaining({ kind: 'error', rel: 'b', code: 'ENOENT' }));
    expect(files(items)).toEqual(['a/1.ts', 'c/3.ts']);
  });

  it('reports an unreadable file as an error item and carries on', async () => {
    const locked = await put('locked.ts');
    await put('ok.ts');
    await chmod(locked, 0o000);
    // root reads anything, so under root the walk runs in a child process as `nobody`, where the mode applies.
    const items = process.getuid?.() === 0 ? await walkAsNobody(root) : await collect();
    expect(items).toContainEqual(expect.objectContaining({ kind: 'error', rel: 'locked.ts', code: 'EACCES' }));
    expect(files(items)).toEqual(['ok.ts']);
  }, 30_000);

  it('throws typed errors for a missing root and for cancel', async () => {
    await expect(collect()).resolves.toEqual([]);
    await expect(async () => {
      for await (const _ of walkProject(path.join(root, 'missing'))) void _;
    }).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await put('a.ts');
    const ac = new AbortController();
    ac.abort();
    await expect(collect({ signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('walkPaths', () => {
  it('checks named paths with the same rules and reports deleted ones as gone', async () => {
    await put('pkg/.gitignore', 'gen/\n*.tmp\n');
    await put('pkg/a.ts');
    await put('pkg/gen/x.ts');
    await put('pkg/b.tmp', 'x');
    await put('new/dir/c.ts');
    const out: (WalkItem | GoneItem)[] = [];
    for await (const item of walkPaths(root, ['pkg/a.ts', 'pkg/gen/x.ts', 'pkg/b.tmp', 'deleted.ts', '../etc/passwd', 'new']))
      out.push(item);
    expect(out).toEqual([
      expect.objectContaining({ kind: 'file', rel: 'pkg/a.ts' }),
      { kind: 'skipped', rel: 'pkg/gen/x.ts', reason: 'ignored' },
      { kind: 'skipped', rel: 'pkg/b.tmp', reason: 'ignored' },
      { kind: 'gone', rel: 'deleted.ts' },
      expect.objectContaining({ kind: 'error', rel: '../etc/passwd', code: 'INVALID_PATH' }),
      expect.objectContaining({ kind: 'file', rel: 'new/dir/c.ts' }),
    ]);
  });
});
