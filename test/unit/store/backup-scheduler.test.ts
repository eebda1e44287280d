// Unit tests for the backup scheduler: timestamped files, pruning to `keep`, no overlapping runs, failures reported.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupScheduler } from '../../../main/services/store/backup-scheduler';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'evolve-sched-'));
  dirs.push(d);
  return d;
};

describe('BackupScheduler', () => {
  it('writes timestamped backups and keeps only the newest `keep`', async () => {
    const dir = tmp();
    let t = Date.UTC(2026, 0, 1);
    const s = new BackupScheduler({
      dir,
      intervalMs: 1000,
      keep: 2,
      backup: async (p) => writeFileSync(p, 'x'),
      now: () => new Date((t += 60_000)),
    });
    const paths = [await s.runNow(), await s.runNow(), await s.runNow()];
    expect(basename(paths[0] as string)).toBe('evolve-backup-2026-01-01T00-01-00-000Z.db');
    expect(s.list()).toEqual(paths.slice(1));
    expect(existsSync(paths[0] as string)).toBe(false);
  });

  it('shares a run in progress instead of starting a second one', async () => {
    const dir = tmp();
    let calls = 0;
    const s = new BackupScheduler({
      dir,
      intervalMs: 1000,
      keep: 5,
      backup: async (p) => (calls++, await new Promise((r) => setTimeout(r, 30)), writeFileSync(p, 'x')),
    });
    const [a, b] = await Promise.all([s.runNow(), s.runNow()]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
  });

  it('runs on its interval and reports failures without pruning good backups', async () => {
    const dir = tmp();
    const results: boolean[] = [];
    let fail = false;
    const s = new BackupScheduler({
      dir,
      intervalMs: 20,
      keep: 1,
      backup: async (p) => {
        if (fail) throw new Error('disk full');
        writeFileSync(p, 'x');
      },
      onResult: (r) => results.push(r.ok),
    });
    s.start();
    await expect.poll(() => results.length, { timeout: 2000 }).toBeGreaterThanOrEqual(2);
    fail = true;
    const n = results.length;
    await expect.poll(() => results.length, { timeout: 2000 }).toBeGreaterThan(n + 1);
    s.stop();
    expect(results).toContain(false);
    expect(s.list()).toHaveLength(1);
  });

  it('rejects bad options', () => {
    expect(() => new BackupScheduler({ dir: tmp(), intervalMs: 0, keep: 1, backup: async () => undefined })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => new BackupScheduler({ dir: tmp(), intervalMs: 10, keep: 0, backup: async () => undefined })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
