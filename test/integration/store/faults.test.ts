// Faults against the real worker: wrong key (file untouched), corrupt file (detected, kept, restorable), kill -9 ×20 mid-write.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { makeStore, newKey, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

async function seeded(name: string, rows = 300) {
  const s = makeStore(join(tmp.dir, name), newKey());
  await s.client.open();
  const t = await s.client.call('thread.create', { title: 't' });
  for (let i = 0; i < rows; i++)
    await s.client.call('message.append', { id: `m${i}`, threadId: t.id, role: 'user', content: `message ${i} `.repeat(20) });
  return { s, threadId: t.id };
}

describe('wrong key', () => {
  it('is UNAUTHENTICATED and leaves every byte (and the folder) as it was', async () => {
    const { s } = await seeded('wk.db', 20);
    await s.client.close();
    const before = { hash: hash(s.path), files: readdirSync(tmp.dir).sort() };
    const wrong = makeStore(s.path, newKey());
    const e = await wrong.client.open().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EvolveError);
    expect((e as EvolveError).code).toBe('UNAUTHENTICATED');
    await wrong.client.close();
    expect(hash(s.path)).toBe(before.hash);
    expect(readdirSync(tmp.dir).sort()).toEqual(before.files);
    // And the right key still opens it.
    const right = makeStore(s.path, s.key());
    await expect(right.client.open()).resolves.toMatchObject({ created: false });
    await right.client.close();
  });
});

describe('corrupt file', () => {
  it.each([
    ['a data page', (size: number) => Math.floor(size / 4096 / 2) * 4096 + 700],
    ['the header page', () => 100],
  ])('flipped bytes in %s: CORRUPT at open, original kept, restore offered and works', async (_what, offsetOf) => {
    const name = `c-${offsetOf(0)}.db`;
    const { s, threadId } = await seeded(name);
    const backup = join(tmp.dir, `${name}.bak`);
    await s.client.backup(backup);
    await s.client.close();
    const bytes = readFileSync(s.path);
    const at = offsetOf(bytes.length);
    for (let i = 0; i < 8; i++) bytes[at + i] = (bytes[at + i] ?? 0) ^ 0xa5;
    writeFileSync(s.path, bytes);
    const damaged = hash(s.path);

    const again = makeStore(s.path, s.key());
    const e = await again.client.open().catch((x: unknown) => x);
    expect((e as EvolveError).code).toBe('CORRUPT');
    expect((e as EvolveError).details).toMatchObject({ restoreAvailable: true });
    expect(hash(s.path)).toBe(damaged);

    const r = await again.client.restore(backup);
    expect(r.keptAsidePath).toMatch(/\.before-restore-/);
    expect(hash(r.keptAsidePath as string)).toBe(damaged);
    expect(await again.client.call('message.list', { threadId, limit: 1000 })).toHaveLength(300);
    expect((await again.client.call('integrityCheck', {})).ok).toBe(true);
    await again.client.close();
  });

  it('a restore from a damaged backup is refused and changes nothing', async () => {
    const { s } = await seeded('rb.db', 50);
    const backup = join(tmp.dir, 'rb.bak');
    await s.client.backup(backup);
    const b = readFileSync(backup);
    b[4096 * 2 + 300] = (b[4096 * 2 + 300] ?? 0) ^ 1;
    writeFileSync(backup, b);
    await expect(s.client.restore(backup)).rejects.toMatchObject({ code: 'CORRUPT' });
    await expect(s.client.restore(backup, newKey())).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(readdirSync(tmp.dir).some((f) => f.startsWith('rb.db.before-restore'))).toBe(false);
    expect(await s.client.call('message.list', { threadId: (await s.client.call('thread.list', {}))[0]!.id, limit: 1000 })).toHaveLength(
      50,
    );
    await s.client.close();
  });
});

describe('kill -9 during write bursts', () => {
  it('reopens clean with every acknowledged row, 20 times over', async () => {
    const path = join(tmp.dir, 'kill.db');
    // A 1 ms restart window keeps the supervisor's backoff at its first step (250 ms) for all 20 kills.
    const s = makeStore(path, newKey(), { restartWindowMs: 1 });
    await s.client.open();
    const t = await s.client.call('thread.create', { title: 'kill' });
    const acked = new Set<string>();
    let n = 0;
    let interrupted = 0;
    for (let round = 0; round < 20; round++) {
      let stop = false;
      const writer = async () => {
        while (!stop) {
          const id = `r${round}-${n++}`;
          try {
            await s.client.call('message.append', { id, threadId: t.id, role: 'assistant', content: `payload ${id} `.repeat(30) });
            acked.add(id);
          } catch {
            interrupted++;
            return; // the worker died under us: this write was never acknowledged
          }
        }
      };
      const writers = Array.from({ length: 6 }, writer);
      await new Promise((r) => setTimeout(r, 40 + Math.random() * 120));
      const pid = s.supervisor.pid;
      expect(pid).toBeDefined();
      process.kill(pid as number, 'SIGKILL');
      stop = true;
      await Promise.all(writers);
      // The supervisor restarts the worker; the client reopens the database before the next request goes through.
      await new Promise<void>((resolve) => {
        const off = s.client.onReopen((p) => {
          off();
          p.then(
            () => resolve(),
            () => resolve(),
          );
        });
      });
      const ids = new Set((await s.client.call('message.list', { threadId: t.id, limit: 10_000 })).map((m) => m.id));
      const missing = [...acked].filter((id) => !ids.has(id));
      expect(missing, `round ${round}: acknowledged rows lost`).toEqual([]);
    }
    // Writes were really in flight when the worker died (otherwise the test proves nothing).
    expect(interrupted).toBeGreaterThanOrEqual(20);
    expect(acked.size).toBeGreaterThan(100);
    console.log(`kill test: 20 kills, ${acked.size} acknowledged rows all present, ${interrupted} writes cut off`);
    const check = await s.client.call('integrityCheck', {});
    expect(check).toMatchObject({ ok: true, cipherBadPages: [] });
    expect(existsSync(path)).toBe(true);
    await s.client.close();
  }, 120_000);
});
