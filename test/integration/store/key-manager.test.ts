// KeyManager with real keychains (passphrase files; keytar when a Secret Service is up) and the real DB worker as the judge.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyManager, type ProbeVerdict } from '../../../main/services/store/key-manager';
import { KeytarKeychain } from '../../../native/keychain/keytar-keychain';
import { PassphraseKeychain } from '../../../native/keychain/passphrase-keychain';
import type { Keychain } from '../../../native/keychain/keychain';
import { makeStore, tempDir, type TestStore } from './helpers';

const tmp = tempDir();
const dbPath = join(tmp.dir, 'k.db');
let s: TestStore;
let probe: (k: string) => Promise<ProbeVerdict>;
const kc = (name: string) => PassphraseKeychain.unlock(join(tmp.dir, `${name}.keychain.json`), 'a long passphrase', { scryptN: 2 ** 12 });

beforeAll(() => {
  s = makeStore(dbPath, 'placeholder');
  probe = async (key) => (await s.client.call('probeKey', { path: dbPath, key })).verdict;
});
afterAll(async () => {
  await s.client.close();
  tmp.cleanup();
});

describe('KeyManager', () => {
  let a: Keychain;
  let recoveryKey = '';
  let key = '';

  it('creates a key and a recovery key; nothing on disk holds the key in clear', async () => {
    a = await kc('a');
    const km = new KeyManager({ dbPath, keychain: a, probeKey: probe, recoveryScryptN: 2 ** 12 });
    const r = await km.create();
    ({ keyHex: key, recoveryKey } = r);
    expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){8}[0-9A-Z]{4}$/);
    for (const f of [km.keyInfoPath, km.recoveryPath, join(tmp.dir, 'a.keychain.json')]) {
      expect(readFileSync(f, 'utf8')).not.toContain(key);
      expect(readFileSync(f, 'utf8')).not.toContain(recoveryKey);
    }
    await expect(km.create()).rejects.toMatchObject({ code: 'CONFLICT' });
    s.setKey(key);
    await s.client.open();
    await s.client.call('project.create', { name: 'p' });
    expect(await km.unlock()).toEqual({ keyHex: key });
  });

  it('moves the key when the keychain backend changed: new copy verified first, old copy deleted after', async () => {
    const b = await kc('b');
    const km = new KeyManager({ dbPath, keychain: b, previousKeychains: [a], probeKey: probe });
    const r = await km.unlock();
    expect(r.keyHex).toBe(key);
    expect(r.migratedFrom).toBe('passphrase');
    expect(await b.get('evolve-studio', 'db-key')).toBe(key);
    expect(await a.get('evolve-studio', 'db-key')).toBeNull();
    a = b;
  });

  it('when no keychain has the key, asks for the recovery key, which alone unlocks and re-stores it', async () => {
    const c = await kc('c');
    const km = new KeyManager({ dbPath, keychain: c, probeKey: probe });
    await expect(km.unlock()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', details: { needsRecovery: true } });
    await expect(km.unlockWithRecoveryKey('AAAA-BBBB')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const other = new KeyManager({
      dbPath: join(tmp.dir, 'other.db'),
      keychain: await kc('o'),
      probeKey: async () => 'missing',
      recoveryScryptN: 2 ** 12,
    });
    const { recoveryKey: wrongRk } = await other.create();
    await expect(km.unlockWithRecoveryKey(wrongRk)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await km.unlockWithRecoveryKey(recoveryKey.toLowerCase())).toEqual({ keyHex: key });
    expect(await c.get('evolve-studio', 'db-key')).toBe(key);
    expect(await km.unlock()).toEqual({ keyHex: key });
    a = c;
  });

  it('rekeys: the DB opens with the new key only, and the same recovery key still unlocks', async () => {
    const km = new KeyManager({ dbPath, keychain: a, probeKey: probe });
    const next = await km.rekey(key, async (k) => {
      await s.client.call('rekey', { newKey: k });
      s.setKey(k);
    });
    expect(next).not.toBe(key);
    expect(await probe(next)).toBe('ok');
    expect(await probe(key)).toBe('wrong-key');
    expect(await km.unlock()).toEqual({ keyHex: next });
    const fresh = new KeyManager({ dbPath, keychain: await kc('d'), probeKey: probe });
    expect(await fresh.unlockWithRecoveryKey(recoveryKey)).toEqual({ keyHex: next });
    key = next;
    a = await kc('d');
  });

  it('finishes a rekey whose app died after the file switched (pending key promoted at next unlock)', async () => {
    const km = new KeyManager({ dbPath, keychain: a, probeKey: probe });
    let switched = '';
    void km.rekey(key, async (k) => {
      await s.client.call('rekey', { newKey: k });
      s.setKey(k);
      switched = k;
      await new Promise(() => undefined); // the app "dies" here: promotion never runs
    });
    await expect.poll(() => switched, { timeout: 20_000 }).not.toBe('');
    const afterCrash = new KeyManager({ dbPath, keychain: a, probeKey: probe });
    expect(await afterCrash.unlock()).toEqual({ keyHex: switched });
    expect(await a.get('evolve-studio', 'db-key')).toBe(switched);
    expect(await a.get('evolve-studio', 'db-key-next')).toBeNull();
    const viaRecovery = new KeyManager({ dbPath, keychain: await kc('e'), probeKey: probe });
    expect(await viaRecovery.unlockWithRecoveryKey(recoveryKey)).toEqual({ keyHex: switched });
    key = switched;
    a = await kc('e');
  });

  it('drops a pending key whose app died before the file switched', async () => {
    const km = new KeyManager({ dbPath, keychain: a, probeKey: probe });
    let started = false;
    void km.rekey(key, async () => {
      started = true;
      await new Promise(() => undefined);
    });
    await expect.poll(() => started).toBe(true);
    expect(await a.get('evolve-studio', 'db-key-next')).not.toBeNull();
    const afterCrash = new KeyManager({ dbPath, keychain: a, probeKey: probe });
    expect(await afterCrash.unlock()).toEqual({ keyHex: key });
    expect(await a.get('evolve-studio', 'db-key-next')).toBeNull();
    expect(JSON.parse(readFileSync(`${dbPath}.keyinfo.json`, 'utf8')).pendingKeyId).toBeUndefined();
  });

  it('the standalone recover-key script gives the current key from the recovery file and key alone', () => {
    const script = join(__dirname, '../../../scripts/store/recover-key.mjs');
    expect(execFileSync(process.execPath, [script, `${dbPath}.recovery.json`, recoveryKey], { encoding: 'utf8' }).trim()).toBe(key);
    const other = spawnSync(process.execPath, [script, `${dbPath}.recovery.json`, `${recoveryKey.slice(0, -4)}0000`], { encoding: 'utf8' });
    expect(other.status).not.toBe(0);
  });

  it('never makes a fresh key for an existing database whose key record is gone; the recovery key restores the record', async () => {
    const info = `${dbPath}.keyinfo.json`;
    const saved = readFileSync(info, 'utf8');
    rmSync(info);
    const km = new KeyManager({ dbPath, keychain: a, probeKey: probe });
    await expect(km.create()).rejects.toMatchObject({ code: 'CONFLICT', details: { needsRecovery: true } });
    expect(await a.get('evolve-studio', 'db-key')).toBe(key);
    expect(await km.unlockWithRecoveryKey(recoveryKey)).toEqual({ keyHex: key });
    expect(JSON.parse(readFileSync(info, 'utf8')).keyId).toBe(JSON.parse(saved).keyId);
  });

  it('audits unlocks and key access when the database is open', async () => {
    const km = new KeyManager({ dbPath, keychain: a, probeKey: probe, audit: (ev) => s.client.appendAudit(ev) });
    await km.unlock();
    const rows = await s.client.call('audit.list', { kinds: ['unlock', 'key.access'] });
    expect(rows.map((r) => r.kind)).toEqual(['key.access', 'unlock']);
    expect(JSON.stringify(rows)).not.toContain(key);
  });
});

/** keytar for real: under scripts/store/with-keyring.sh (gnome-keyring on a private D-Bus); skipped without one. */
const keytar = await KeytarKeychain.create().catch((e: Error) => e);
const noKeyring =
  keytar instanceof Error ? `no Secret Service on the bus (${keytar.message}); run under scripts/store/with-keyring.sh` : '';
if (noKeyring) console.warn(`keytar tests skipped: ${noKeyring}`);

describe.skipIf(!!noKeyring)('KeyManager with keytar (real Secret Service)', () => {
  it('stores in the OS keychain and moves from it to a passphrase keychain and back', async () => {
    const kt = keytar as KeytarKeychain;
    const path = join(tmp.dir, 'kt.db');
    const service = `evolve-test-${process.pid}`;
    const km = new KeyManager({ dbPath: path, keychain: kt, probeKey: async () => 'missing', service, recoveryScryptN: 2 ** 12 });
    const { keyHex } = await km.create();
    expect(await kt.get(service, 'db-key')).toBe(keyHex);
    const pass = await kc('kt-pass');
    const moved = await km.migrateTo(pass, keyHex);
    expect(await pass.get(service, 'db-key')).toBe(keyHex);
    expect(await kt.get(service, 'db-key')).toBeNull();
    const back = new KeyManager({ dbPath: path, keychain: kt, previousKeychains: [pass], probeKey: async () => 'missing', service });
    expect(await back.unlock()).toEqual({ keyHex, migratedFrom: 'passphrase' });
    expect(await kt.get(service, 'db-key')).toBe(keyHex);
    expect(await moved.backendChanged()).toBe(true);
    await kt.delete(service, 'db-key');
    expect(existsSync(`${path}.recovery.json`)).toBe(true);
  });
});
