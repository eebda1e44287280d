// Audit log against the real worker: every tamper case (raw SQL on the open DB) is found at its position; export verifies alone.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../../../main/services/audit/audit-service';
import { verifyAuditExport } from '../../../main/services/audit/verify-export';
import { keyConnection } from '../../../native/db/connection';
import { Sqlite, type Database } from '../../../native/db/sqlite';
import { makeStore, newKey, tempDir, type TestStore } from './helpers';

describe('audit log', () => {
  const tmp = tempDir();
  let s: TestStore;
  let audit: AuditService;
  let raw: Database;
  let original: Record<string, unknown>[];

  beforeAll(async () => {
    s = makeStore(join(tmp.dir, 'a.db'), newKey());
    await s.client.open();
    audit = new AuditService(s.client);
    await audit.providerSend({ provider: 'openai', model: 'gpt-x', payload: 'hello secret world', redactions: { email: 2 } });
    await audit.fileApplied({ path: 'src/main.ts', bytes: 10 });
    await audit.clusterSubmit({ jobId: 'raysubmit_1', entrypoint: 'python t.py' });
    await audit.clusterStop({ jobId: 'raysubmit_1' });
    await audit.record({ kind: 'key.access', data: { backend: 'keytar', purpose: 'unlock' } });
    await audit.record({ kind: 'unlock', data: { method: 'keychain', ok: true } });
    // A second connection with the key: what an attacker who has the key and the file could do.
    raw = new Sqlite(s.path);
    keyConnection(raw, s.key());
    original = raw.prepare('SELECT * FROM audit ORDER BY seq').all() as Record<string, unknown>[];
  });
  afterAll(async () => {
    raw.close();
    await s.client.close();
    tmp.cleanup();
  });

  /** Puts the original rows back (triggers dropped for the tamper tests). */
  function reset(): void {
    raw.exec('DELETE FROM audit');
    const ins = raw.prepare('INSERT INTO audit (seq, at, kind, data, prev_hash, hash) VALUES (@seq, @at, @kind, @data, @prev_hash, @hash)');
    for (const r of original) ins.run(r);
  }

  it('records provider sends without the payload, and verifies intact', async () => {
    const [send] = await audit.list({ kinds: ['provider.send'] });
    expect(send?.data).toMatchObject({ provider: 'openai', payloadBytes: 18, redactions: { email: 2 } });
    expect(JSON.stringify(send)).not.toContain('hello secret world');
    expect(await audit.verify()).toMatchObject({ ok: true, count: 6 });
  });

  it('refuses UPDATE and DELETE through SQL (append-only triggers)', () => {
    expect(() => raw.prepare("UPDATE audit SET kind = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM audit WHERE seq = 1').run()).toThrow(/append-only/);
  });

  describe('with the triggers dropped by an attacker', () => {
    beforeAll(() => raw.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;'));

    it('finds an edited row', async () => {
      raw.prepare(`UPDATE audit SET data = '{"path":"evil.ts"}' WHERE seq = 2`).run();
      expect(await audit.verify()).toMatchObject({ ok: false, position: 2, reason: 'hash-mismatch', count: 1 });
      reset();
      expect((await audit.verify()).ok).toBe(true);
    });

    it('finds a deleted row', async () => {
      raw.prepare('DELETE FROM audit WHERE seq = 3').run();
      expect(await audit.verify()).toMatchObject({ ok: false, position: 3, reason: 'sequence-gap' });
      reset();
    });

    it('finds a deleted tail (the head anchor outside the table)', async () => {
      raw.prepare('DELETE FROM audit WHERE seq >= 5').run();
      expect(await audit.verify()).toMatchObject({ ok: false, position: 5, reason: 'truncated', count: 4 });
      reset();
    });

    it('finds a missing head, and a tail cut after the head was deleted (the next append does not re-create it)', async () => {
      const head = `${s.path}.audit-head`;
      const saved = `${head}.saved`;
      copyFileSync(head, saved);
      rmSync(head);
      expect(await audit.verify()).toMatchObject({ ok: false, position: 7, reason: 'truncated', count: 6 });
      raw.prepare('DELETE FROM audit WHERE seq >= 5').run();
      expect(await audit.verify()).toMatchObject({ ok: false, position: 5, reason: 'truncated', count: 4 });
      // The app keeps writing: a new row must not bless the cut log with a fresh head.
      await audit.record({ kind: 'unlock', data: { method: 'keychain', ok: true } });
      expect(await audit.verify()).toMatchObject({ ok: false, reason: 'truncated' });
      reset();
      copyFileSync(saved, head);
      expect(await audit.verify()).toMatchObject({ ok: true, count: 6 });
    });

    it('finds an inserted row', async () => {
      raw.exec('UPDATE audit SET seq = -seq WHERE seq >= 3; UPDATE audit SET seq = 1 - seq WHERE seq < 0;');
      raw
        .prepare(`INSERT INTO audit (seq, at, kind, data, prev_hash, hash) VALUES (3, 1, 'file.applied', '{"path":"x"}', ?, ?)`)
        .run(original[1]?.hash, 'a'.repeat(64));
      expect(await audit.verify()).toMatchObject({ ok: false, position: 3, reason: 'hash-mismatch' });
      reset();
    });

    it('finds reordered rows', async () => {
      raw.exec('UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -1;');
      expect(await audit.verify()).toMatchObject({ ok: false, position: 2, reason: 'chain-broken' });
      reset();
      expect(await audit.verify()).toMatchObject({ ok: true, count: 6 });
    });
  });

  it('exports JSONL that verifies on its own, and a changed export does not', async () => {
    const out = join(tmp.dir, 'audit.jsonl');
    expect(await audit.export(out)).toEqual({ path: out, count: 6 });
    expect(await verifyAuditExport(out)).toMatchObject({ ok: true, count: 6 });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(6);
    const edited = lines.map((l, i) => (i === 3 ? l.replace('raysubmit_1', 'raysubmit_9') : l));
    writeFileSync(out, `${edited.join('\n')}\n`);
    expect(await verifyAuditExport(out)).toMatchObject({ ok: false, position: 4, reason: 'hash-mismatch' });
    writeFileSync(out, `${[lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n')}\n`);
    expect(await verifyAuditExport(out)).toMatchObject({ ok: false, position: 2 });
    writeFileSync(out, 'not json\n');
    expect(await verifyAuditExport(out)).toMatchObject({ ok: false, position: 1, reason: 'malformed' });
  });

  it('rejects unknown event kinds and malformed data', async () => {
    await expect(s.client.call('audit.append', { kind: 'made.up', data: {} } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.client.call('audit.append', { kind: 'provider.send', data: { provider: 'x' } } as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
