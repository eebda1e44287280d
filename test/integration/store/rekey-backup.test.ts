// Rekey (atomic, crash-safe at each step) and online backup (progress, cancel, refusals) against the real worker.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeStore, newKey, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function seeded(name: string, rows: number, env?: NodeJS.ProcessEnv) {
  const s = makeStore(join(tmp.dir, name), newKey(), { env, synchronous: 'NORMAL' });
  await s.client.open();
  const t = await s.client.call('thread.create', { title: 't' });
  for (let i = 0; i < rows; i += 100) {
    // Chunks of 100 in parallel: the worker serialises them; this only saves round trips.
    await Promise.all(
      Array.from({ length: Math.min(100, rows - i) }, (_, j) =>
        s.client.call('message.append', { threadId: t.id, role: 'user', content: `row ${i + j} `.repeat(60) }),
      ),
    );
  }
  await s.client.call('audit.append', { kind: 'unlock', data: { method: 'keychain', ok: true } });
  return { s, threadId: t.id };
}

async function opensWith(path: string, key: string): Promise<string> {
  const o = makeStore(path, key);
  try {
    await o.client.open();
    return 'ok';
  } catch (e) {
    return (e as { code: string }).code;
  } finally {
    await o.client.close();
  }
}

describe('rekey', () => {
  it('switches the file to the new key: opens with the new one, not the old; data and audit chain intact', async () => {
    const { s, threadId } = await seeded('rk.db', 300);
    const oldKey = s.key();
    const next = newKey();
    await expect(s.client.call('rekey', { newKey: oldKey })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await s.client.call('rekey', { newKey: next });
    s.setKey(next);
    expect(await s.client.call('message.list', { threadId, limit: 1000 })).toHaveLength(300);
    expect(await s.client.call('audit.verify', {})).toMatchObject({ ok: true });
    await s.client.close();
    expect(await opensWith(s.path, oldKey)).toBe('UNAUTHENTICATED');
    expect(await opensWith(s.path, next)).toBe('ok');
  });

  it.each(['rekey-before-swap', 'swap-before-rename'])(
    'a crash at %s leaves the old key working and no temp file behind',
    async (point) => {
      const { s, threadId } = await seeded(`crash-${point}.db`, 200, { EVOLVE_DB_FAULT: point });
      const oldKey = s.key();
      const next = newKey();
      await expect(s.client.call('rekey', { newKey: next })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      // Supervisor restarts the worker; the client reopens with the key it still has (the old one).
      await new Promise<void>((r) =>
        s.client.onReopen((p) =>
          p.then(
            () => r(),
            () => r(),
          ),
        ),
      );
      expect(await s.client.call('message.list', { threadId, limit: 1000 })).toHaveLength(200);
      await s.client.close();
      expect(await opensWith(s.path, next)).toBe('UNAUTHENTICATED');
      expect(await opensWith(s.path, oldKey)).toBe('ok');
      expect(readdirSync(tmp.dir).filter((f) => f.startsWith(`crash-${point}.db.rekey-`))).toEqual([]);
    },
  );
});

describe('backup', () => {
  it('copies online with progress events; the copy is encrypted with the key and complete', async () => {
    const { s, threadId } = await seeded('bk.db', 3000);
    const events: { totalPages: number; remainingPages: number }[] = [];
    const dest = join(tmp.dir, 'bk.copy');
    // Writes keep flowing during the backup.
    const writing = Promise.all(
      Array.from({ length: 50 }, (_, i) => s.client.call('message.append', { threadId, role: 'user', content: `during ${i}` })),
    );
    const r = await s.client.backup(dest, { onProgress: (p) => events.push(p) });
    await writing;
    expect(r.pages).toBeGreaterThan(256);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)?.remainingPages).toBe(0);
    expect(await s.client.call('checkCandidate', { path: dest })).toEqual({ ok: true, problems: [] });
    expect((await s.client.call('checkCandidate', { path: dest, key: newKey() })).ok).toBe(false);

    await expect(s.client.backup(dest)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(s.client.backup(join(tmp.dir, 'nope', 'x.bak'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.client.backup(s.path, { overwrite: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.client.backup(dest, { overwrite: true })).resolves.toMatchObject({ path: dest });

    const ac = new AbortController();
    const cancelled = join(tmp.dir, 'cancelled.bak');
    // One page per step: the copy takes long enough that the cancel reaches the worker mid-way.
    const p = s.client.backup(cancelled, { signal: ac.signal, pagesPerStep: 1, onProgress: () => ac.abort() });
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('cancelled.bak'))).toEqual([]);

    // Restore over the open database: the current file goes aside, the backup's rows come back.
    await s.client.call('message.append', { threadId, role: 'user', content: 'after the backup' });
    const res = await s.client.restore(dest);
    expect(existsSync(res.keptAsidePath as string)).toBe(true);
    const rows = await s.client.call('message.list', { threadId, limit: 10_000 });
    expect(rows.some((m) => m.content === 'after the backup')).toBe(false);
    expect(await s.client.call('audit.verify', {})).toMatchObject({ ok: true });
    await s.client.close();
  });

  it('restores a backup made under an older key after a rekey (re-encrypted to the current key)', async () => {
    const { s, threadId } = await seeded('old.db', 50);
    const oldKey = s.key();
    const bak = join(tmp.dir, 'old.bak');
    await s.client.backup(bak);
    const next = newKey();
    await s.client.call('rekey', { newKey: next });
    s.setKey(next);
    await expect(s.client.restore(bak)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await s.client.restore(bak, oldKey);
    expect(await s.client.call('message.list', { threadId, limit: 100 })).toHaveLength(50);
    await s.client.close();
    expect(await opensWith(s.path, next)).toBe('ok');
  });
});
