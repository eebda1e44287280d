// Migration 12 (cluster roles): profiles that existed before it become admin, a new profile row defaults to admin,
// and the column refuses anything but viewer/operator/admin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyConnection } from '../../../native/db/connection';
import { migrate, MIGRATIONS, schemaVersion } from '../../../native/db/migrations';
import { Sqlite } from '../../../native/db/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'evolve-mig12-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 012 cluster roles', () => {
  it('migrates existing profiles as admin, defaults new ones to admin, checks the value', () => {
    const d = new Sqlite(join(dir, 'm.db'));
    keyConnection(d, 'ab'.repeat(32));
    migrate(d, MIGRATIONS, 11);
    const ins = d.prepare(`INSERT INTO cluster_profiles (id, name, dashboard_url, updated_at) VALUES (?, ?, 'http://h:8265', 1)`);
    ins.run('old', 'Old');
    expect(migrate(d, MIGRATIONS, 12)).toEqual([12]);
    expect(schemaVersion(d)).toBe(12);
    ins.run('new', 'New');
    expect(d.prepare('SELECT id, role FROM cluster_profiles ORDER BY id').all()).toEqual([
      { id: 'new', role: 'admin' },
      { id: 'old', role: 'admin' },
    ]);
    d.prepare(`UPDATE cluster_profiles SET role = 'viewer' WHERE id = 'old'`).run();
    expect(() => d.prepare(`UPDATE cluster_profiles SET role = 'root' WHERE id = 'old'`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE cluster_profiles SET role = NULL WHERE id = 'old'`).run()).toThrow(/NOT NULL/);
    d.close();
  });
});
