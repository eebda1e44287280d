// Reciprocal-rank fusion and the project-root checks (too broad, not a folder, missing, relative).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fuseByFile, reciprocalRankFusion } from '../../../main/services/projects/fusion';
import { resolveProjectRoot, tooBroad } from '../../../main/services/projects/project-root';

describe('reciprocal-rank fusion', () => {
  it('rewards items both lists rank, counts a repeated item once, and keeps single-list items', () => {
    const f = reciprocalRankFusion([
      ['a', 'b', 'c', 'b'].map((k) => ({ key: k, item: k })),
      ['c', 'd', 'a'].map((k) => ({ key: k, item: k })),
    ]);
    expect(f.map((x) => x.item)).toEqual(['a', 'c', 'b', 'd']);
    expect(f[0]?.fused).toBeCloseTo(1 / 61 + 1 / 63, 10);
    expect(f.find((x) => x.item === 'b')?.ranks).toEqual([2, undefined]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });

  it('fuses BM25 chunks and file-card vectors per file, showing a file through its best text chunk', () => {
    const hit = (rel: string, kind: string, score: number) => ({ rel, kind, score });
    const bm25 = [
      hit('a.ts', 'function', 9),
      hit('a.ts', 'block', 8),
      hit('b.ts', 'file', 7),
      hit('b.ts', 'method', 6),
      hit('c.ts', 'window', 5),
    ];
    const vector = [hit('d.ts', 'file', 0.9), hit('b.ts', 'file', 0.8)];
    const f = fuseByFile(bm25, vector, 'file');
    // b.ts is in both lists: it rises above a.ts, which only BM25 ranked first.
    expect(f.map((x) => x.rel)).toEqual(['b.ts', 'a.ts', 'd.ts', 'c.ts']);
    expect(f[0]).toMatchObject({ item: { kind: 'method' }, bm25: 7, vector: 0.8 });
    expect(f[0]?.fused).toBeCloseTo(1 / 62 + 1 / 62, 10);
    // A file only the vectors found is shown through its card, with no BM25 score.
    expect(f[2]).toMatchObject({ item: { kind: 'file' }, bm25: null, vector: 0.9 });
    expect(fuseByFile([], [], 'file')).toEqual([]);
  });
});

describe('project roots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-root-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the filesystem root, home itself and system folders', () => {
    expect(tooBroad('/', { platform: 'linux', home: '/home/u' })).toMatch(/root/);
    expect(tooBroad('/home/u', { platform: 'linux', home: '/home/u' })).toMatch(/home/);
    expect(tooBroad('/etc/nginx', { platform: 'linux', home: '/home/u' })).toMatch(/system/);
    expect(tooBroad('/usr', { platform: 'linux', home: '/home/u' })).toMatch(/system/);
    expect(tooBroad('/home/u/code/app', { platform: 'linux', home: '/home/u' })).toBeNull();
    expect(tooBroad('C:\\', { platform: 'win32', home: 'C:\\Users\\u' })).toMatch(/root/);
    expect(tooBroad('C:\\Windows\\System32', { platform: 'win32', home: 'C:\\Users\\u' })).toMatch(/system/);
    expect(tooBroad('D:\\src\\app', { platform: 'win32', home: 'C:\\Users\\u' })).toBeNull();
  });

  it('resolves symlinks once and refuses files, missing and relative paths with typed errors', async () => {
    const real = mkdtempSync(join(dir, 'proj-'));
    symlinkSync(real, join(dir, 'link'));
    writeFileSync(join(dir, 'file.txt'), 'x');
    expect(await resolveProjectRoot(join(dir, 'link'))).toBe(await resolveProjectRoot(real));
    await expect(resolveProjectRoot(join(dir, 'file.txt'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(resolveProjectRoot(join(dir, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolveProjectRoot('relative/path')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(resolveProjectRoot('/')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/root/) });
  });
});

describe('catalog paths', () => {
  it('accepts only relative paths inside the root', async () => {
    const { isSafeRel } = await import('../../../main/services/projects/index-run');
    expect(['src/a.ts', 'a', '.github/workflows/ci.yml'].every(isSafeRel)).toBe(true);
    expect(['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\\b', 'a//b', './a', ''].some(isSafeRel)).toBe(false);
  });
});
