// Sweeping sandbox temp dirs left by a killed app: only old, real directories with the sandbox's name pattern go.
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepStaleSandboxDirs } from '../../../main/services/codegen/sandbox';

describe('sweepStaleSandboxDirs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sweep-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('removes old sandbox dirs (even with a locked subdir) and keeps fresh ones, look-alikes and symlinks', async () => {
    const old = new Date(Date.now() - 3 * 3600 * 1000);
    const stale = path.join(dir, 'evolve-sbx-AbC123');
    await mkdir(path.join(stale, 'locked'), { recursive: true });
    await writeFile(path.join(stale, 'locked', 'f'), 'x');
    await chmod(path.join(stale, 'locked'), 0);
    const fresh = path.join(dir, 'evolve-sbx-Fresh1');
    await mkdir(fresh);
    const hostile = path.join(dir, 'evolve-sbx-hostile-abc');
    await mkdir(hostile);
    const target = path.join(dir, 'precious');
    await mkdir(target);
    await writeFile(path.join(target, 'keep'), 'x');
    const link = path.join(dir, 'evolve-sbx-Link12');
    await symlink(target, link);
    for (const p of [stale, hostile, target]) await utimes(p, old, old);

    const removed = await sweepStaleSandboxDirs({ dir });
    expect(removed).toEqual([stale]);
    expect((await readdir(dir)).sort()).toEqual(['evolve-sbx-Fresh1', 'evolve-sbx-Link12', 'evolve-sbx-hostile-abc', 'precious']);
    expect(await readdir(target)).toEqual(['keep']);
  });

  it('does nothing for a missing directory', async () => {
    expect(await sweepStaleSandboxDirs({ dir: path.join(dir, 'nope') })).toEqual([]);
  });
});
