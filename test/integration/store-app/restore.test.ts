// Restoring encrypted backups through the app's contracts: a restore brings the backed-up data back and
// keeps the replaced file aside; a database damaged on disk is reported at open (nothing is overwritten)
// and the user's way out — restoring a backup — makes the store usable again.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices;

const call = async <T>(channel: string, input: unknown): Promise<T> => {
  const r = await t.dispatcher.call(channel, input, ctx());
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};
const titles = async () => (await call<{ title: string }[]>('evolve:chat.threads', {})).map((x) => x.title).sort();

beforeAll(async () => {
  t = await startTempServices();
});
afterAll(() => t.cleanup());

describe('backup and restore in the app', () => {
  let backupName = '';

  it('restores a backup over newer data and keeps the replaced file aside', async () => {
    await call('evolve:chat.createThread', { title: 'before backup' });
    const b = await t.dispatcher.stream('evolve:store.backup', {}, ctx(), async () => {});
    expect(b.ok).toBe(true);
    await call('evolve:chat.createThread', { title: 'after backup' });
    expect(await titles()).toEqual(['after backup', 'before backup']);
    const backups = await call<{ name: string }[]>('evolve:store.backups', {});
    expect(backups).toHaveLength(1);
    backupName = backups[0]?.name ?? '';
    const r = await call<{ keptAsidePath: string | null; status: { state: string } }>('evolve:store.restore', { name: backupName });
    expect(r.status.state).toBe('ready');
    expect(r.keptAsidePath && fs.existsSync(r.keptAsidePath)).toBe(true);
    expect(await titles()).toEqual(['before backup']);
    // The log is the restored one: what happened after the backup (the backup's own row included) is gone,
    // and the restore itself is its newest row.
    const audit = await call<{ kind: string; data: { action?: string } }[]>('evolve:audit.list', { kinds: ['store.maintenance'] });
    expect(audit.at(-1)?.data.action).toBe('restore');
    expect(await call<{ ok: boolean }>('evolve:audit.verify', {})).toMatchObject({ ok: true });
  });

  it('refuses names that are not backups in the backups folder', async () => {
    for (const name of ['../evolve.db', '/etc/passwd', 'x.txt']) {
      const r = await t.dispatcher.call('evolve:store.restore', { name }, ctx());
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['INVALID_ARGUMENT', 'NOT_FOUND']).toContain(r.error.code);
    }
  });

  it('reports a damaged database at open, keeps it, and restores a backup as the way out', async () => {
    const db = t.services.store.dbPath;
    await t.services.store.close();
    const bytes = fs.readFileSync(db);
    for (let i = 5000; i < 5400; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xff; // inside page 2
    fs.writeFileSync(db, bytes);
    await t.services.start();
    const st = await call<{ state: string; message: string }>('evolve:store.status', {});
    expect(st.state).toBe('error');
    expect(st.message).toMatch(/restore a backup/);
    expect(fs.readFileSync(db).equals(bytes)).toBe(true);
    const r = await call<{ keptAsidePath: string | null; status: { state: string } }>('evolve:store.restore', { name: backupName });
    expect(r.status.state).toBe('ready');
    expect(await titles()).toEqual(['before backup']);
    expect(r.keptAsidePath && fs.readFileSync(r.keptAsidePath).equals(bytes)).toBe(true);
  });
});
