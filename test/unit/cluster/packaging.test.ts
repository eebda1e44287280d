// Working-dir packaging: exclusions with reasons, deterministic content-hash names, size checks before any upload.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { biggestOffenders, buildPackage, ensurePackage, type PackageUploader } from '../../../main/services/cluster/packaging';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evpkgu-'));
  fs.writeFileSync(path.join(dir, 'train.py'), 'print("hi")\n');
  fs.mkdirSync(path.join(dir, 'pkg/__pycache__'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'pkg/mod.py'), 'x = 1\n');
  fs.writeFileSync(path.join(dir, 'pkg/__pycache__/mod.pyc'), 'junk');
  fs.mkdirSync(path.join(dir, 'node_modules/a'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules/a/index.js'), 'x'.repeat(100));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

class RecordingUploader implements PackageUploader {
  readonly calls: string[] = [];
  readonly stored = new Map<string, Buffer>();
  async packageExists(name: string) {
    this.calls.push(`GET ${name}`);
    return this.stored.has(name);
  }
  async uploadPackage(name: string, zip: Buffer) {
    this.calls.push(`PUT ${name}`);
    this.stored.set(name, zip);
  }
}

describe('buildPackage', () => {
  it('zips the code, lists what it left out and why', async () => {
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(2048));
    fs.symlinkSync('/etc/passwd', path.join(dir, 'link'));
    const pkg = await buildPackage(dir, { maxFileBytes: 1024 });
    expect(pkg.files.map((f) => f.path)).toEqual(['pkg/mod.py', 'train.py']);
    expect(pkg.excluded).toEqual([
      { path: 'link', reason: 'symlink' },
      { path: 'node_modules', reason: 'excluded-name', bytes: 100 },
      { path: 'pkg/__pycache__', reason: 'excluded-name', bytes: 4 },
      { path: 'weights.bin', reason: 'too-large', bytes: 2048 },
    ]);
    expect(pkg.zip.subarray(0, 4).toString('hex')).toBe('504b0304');
    expect(pkg.zip.includes(Buffer.from('pkg/mod.py'))).toBe(true);
    expect(pkg.zip.includes(Buffer.from('node_modules'))).toBe(false);
  });

  it('names the package by content: same bytes → same name, a changed file → a new name', async () => {
    const a = await buildPackage(dir);
    fs.utimesSync(path.join(dir, 'train.py'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const b = await buildPackage(dir);
    expect(b.name).toBe(a.name);
    expect(a.name).toMatch(/^_ray_pkg_[0-9a-f]{40}\.zip$/);
    expect(a.uri).toBe(`gcs://${a.name}`);
    fs.writeFileSync(path.join(dir, 'train.py'), 'print("changed")\n');
    expect((await buildPackage(dir)).name).not.toBe(a.name);
  });

  it('refuses a folder whose raw size cannot fit, naming the biggest entries, without zipping', async () => {
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data/a.bin'), Buffer.alloc(300_000));
    const e = await buildPackage(dir, { maxPackageBytes: 50_000 }).catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: expect.stringMatching(/files add up to 0\.3 MiB exceeds the 0\.0 MiB limit\. Biggest: data\/ \(0\.3 MiB\)/),
    });
  });

  it('refuses when the zip itself passes the limit (incompressible data)', async () => {
    fs.writeFileSync(path.join(dir, 'noise.bin'), Buffer.from(Array.from({ length: 200_000 }, () => Math.floor(Math.random() * 256))));
    await expect(buildPackage(dir, { maxPackageBytes: 100_000 })).rejects.toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: expect.stringContaining('the zip is over'),
    });
  });

  it('rejects a missing folder and an empty one', async () => {
    await expect(buildPackage(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evempty-'));
    await expect(buildPackage(empty)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('Nothing to package'),
    });
    fs.rmSync(empty, { recursive: true });
  });

  it('biggestOffenders groups by top-level entry', () => {
    expect(
      biggestOffenders([
        { path: 'a/x', bytes: 5 },
        { path: 'a/y', bytes: 5 },
        { path: 'b', bytes: 7 },
      ]),
    ).toEqual([
      { path: 'a/', bytes: 10 },
      { path: 'b', bytes: 7 },
    ]);
  });
});

describe('ensurePackage', () => {
  it('uploads once, then only checks existence', async () => {
    const up = new RecordingUploader();
    const first = await ensurePackage(up, dir);
    const second = await ensurePackage(up, dir);
    expect([first.uploaded, second.uploaded]).toEqual([true, false]);
    expect(up.calls).toEqual([`GET ${first.name}`, `PUT ${first.name}`, `GET ${first.name}`]);
  });

  it('a too-large folder never reaches the uploader', async () => {
    const up = new RecordingUploader();
    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(500_000));
    await expect(ensurePackage(up, dir, { maxPackageBytes: 10_000 })).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(up.calls).toEqual([]);
  });
});
