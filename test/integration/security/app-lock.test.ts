// The app lock against the real encrypted store (DB worker, SQLCipher), a real keychain, real argon2id and otpauth:
// the key leaves the keychain, the DB closes while locked, TOTP/recovery codes, persisted delays, corrupt file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { AuditRow } from '../../../common/store/audit';
import { AppLockService } from '../../../main/services/security/app-lock/app-lock-service';
import { deriveKek, newArgon2Params, SHIPPED_ARGON2 } from '../../../main/services/security/app-lock/kdf';
import { totpCodeAt } from '../../../main/services/security/app-lock/second-factor';
import { StoreService } from '../../../main/services/store/store-service';
import { nodeWorkerSpawner } from '../../../main/services/workers';
import type { Keychain } from '../../../native/keychain/keychain';
import { KeytarKeychain } from '../../../native/keychain/keytar-keychain';
import { PassphraseKeychain } from '../../../native/keychain/passphrase-keychain';

const ROOT = path.resolve(__dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-app-lock-'));
const dataDir = path.join(dir, 'data');
const PASS = 'correct horse battery';
const LOW = { m: 256, t: 1, p: 1 };
let clock = 1_750_000_000_000;
const logs: string[] = [];

// The OS keychain (keytar) inside scripts/store/with-keyring.sh's throwaway keyring (XDG_DATA_HOME under the temp
// dir: never a user's real keyring, where KeyManager's 'evolve-studio'/'db-key' entry could be an app's); otherwise a
// file keychain stands in for it (not the store's passphrase front door).
const throwawayKeyring = (process.env.XDG_DATA_HOME ?? '').startsWith(os.tmpdir());
const osKeychain: Keychain = await (throwawayKeyring ? KeytarKeychain.create() : Promise.reject(new Error('no throwaway keyring'))).catch(
  () => PassphraseKeychain.unlock(path.join(dir, 'os-keychain-stand-in.json'), 'keychain stand-in pass', { scryptN: 2 ** 12 }),
);
console.info(`app-lock test keychain: ${osKeychain.backend}`);
const readPlainKey = () => osKeychain.get('evolve-studio', 'db-key');

function makeStore(): StoreService {
  return new StoreService({
    dataDir,
    spawn: nodeWorkerSpawner(ROOT)('db'),
    keychain: async () => osKeychain,
    log: (l, m) => logs.push(`${l} ${m}`),
    scryptN: 2 ** 12,
  });
}
const makeLock = (store: StoreService) =>
  new AppLockService({ dataDir, store, log: (l, m) => logs.push(`${l} ${m}`), argon2: LOW, now: () => clock, idleCheckMs: 0 });

let store = makeStore();
let lock = makeLock(store);
let recoveryKey = '';
let totpSecret = '';
let recoveryCodes: string[] = [];

async function restart(): Promise<void> {
  lock.dispose();
  await store.close();
  store = makeStore();
  lock = makeLock(store);
  await store.init();
}
const auditRows = async (): Promise<AuditRow[]> =>
  store.audit.list({ kinds: ['security.unlock', 'security.lock'], afterSeq: 0, limit: 1000 });
const codeNow = () => totpCodeAt(totpSecret, clock);

afterAll(async () => {
  lock.dispose();
  await store.close();
  await osKeychain.delete('evolve-studio', 'db-key').catch(() => false);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('app lock on the real encrypted store', () => {
  it('shipped argon2id cost: 64 MiB, t=3, p=1 by default, and it derives a 32-byte key', async () => {
    const p = newArgon2Params();
    expect(p).toMatchObject({ name: 'argon2id', ...SHIPPED_ARGON2 });
    const a = await deriveKek(PASS, p);
    expect(a).toHaveLength(32);
    // The cost is part of the derivation: the same salt at the tests' low cost gives another key.
    const low = { ...p, ...LOW };
    expect((await deriveKek(PASS, low)).equals(a)).toBe(false);
    expect((await deriveKek(PASS, low)).equals(await deriveKek(`${PASS}!`, low))).toBe(false);
  });

  it('enable wraps the DB key and removes the plain copy from the keychain; the lock file holds no key in clear', async () => {
    expect((await store.init()).state).toBe('ready');
    recoveryKey = store.takeRecoveryKey() ?? '';
    expect(recoveryKey).not.toBe('');
    const keyHex = store.exportKeyForLock();
    expect(await readPlainKey()).toBe(keyHex);
    const st = await lock.enable({ passphrase: PASS, idleMinutes: 5 });
    expect(st).toMatchObject({ enabled: true, locked: false, totp: 'off', failedAttempts: 0 });
    expect(await readPlainKey()).toBeNull();
    const raw = fs.readFileSync(lock.filePath, 'utf8');
    expect(raw).not.toContain(keyHex);
    expect(fs.statSync(lock.filePath).mode & 0o777).toBe(0o600);
    await expect(lock.enable({ passphrase: PASS, idleMinutes: 5 })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('lock closes the database and stops its worker; nothing holds the key; unlock reopens it', async () => {
    await lock.lock();
    expect(lock.isLocked()).toBe(true);
    expect(store.status().state).toBe('locked');
    expect(store.supervisor.state).toBe('stopped');
    expect(() => store.exportKeyForLock()).toThrow();
    expect(await readPlainKey()).toBeNull();
    await expect(store.unlockWithPassphrase(PASS)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(lock.unlock({ passphrase: 'wrong passphrase' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { failedAttempts: 1, retryAfterMs: 0 },
    });
    const st = await lock.unlock({ passphrase: PASS });
    expect(st).toMatchObject({ locked: false, failedAttempts: 0 });
    expect(store.ready).toBe(true);
    // The failure happened while the DB was closed: it was queued and is in the audit log now, in order.
    const rows = await auditRows();
    const outcomes = rows.filter((r) => r.kind === 'security.unlock').map((r) => (r.data as { outcome: string }).outcome);
    expect(outcomes).toEqual(['failed', 'ok']);
    expect(rows.map((r) => r.kind)).toContain('security.lock');
  });

  it('TOTP: enrolment with a local QR code; passphrase alone, a wrong code and a replayed code are refused', async () => {
    const t = await lock.totpBegin({ passphrase: PASS });
    expect(t.qrSvg.startsWith('<svg')).toBe(true);
    expect(t.otpauthUri).toContain(`secret=${t.secretBase32}`);
    totpSecret = t.secretBase32;
    expect(lock.status().totp).toBe('pending');
    await expect(lock.totpConfirm({ code: '000000' === codeNow() ? '111111' : '000000' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const used = codeNow();
    recoveryCodes = (await lock.totpConfirm({ code: used })).recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(lock.status()).toMatchObject({ totp: 'on', recoveryCodesLeft: 10 });
    expect(fs.readFileSync(lock.filePath, 'utf8')).not.toContain(totpSecret);
    for (const c of recoveryCodes) expect(fs.readFileSync(lock.filePath, 'utf8')).not.toContain(c);

    await lock.lock();
    await expect(lock.unlock({ passphrase: PASS })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // Replay: the code used at enrolment (same 30 s step) does not open the app.
    await expect(lock.unlock({ passphrase: PASS, code: used })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(lock.unlock({ passphrase: 'wrong passphrase', code: used })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(lock.isLocked()).toBe(true);
    clock += 30_000;
    await lock.unlock({ passphrase: PASS, code: codeNow() });
    expect(store.ready).toBe(true);
    expect(lock.status().failedAttempts).toBe(0);
  });

  it('a recovery code opens the app once, then never again', async () => {
    await lock.lock();
    const rc = recoveryCodes[0] ?? '';
    await lock.unlock({ passphrase: PASS, code: rc.toUpperCase() });
    expect(lock.status().recoveryCodesLeft).toBe(9);
    await lock.lock();
    await expect(lock.unlock({ passphrase: PASS, code: rc })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    clock += 30_000;
    await lock.unlock({ passphrase: PASS, code: codeNow() });
  });

  it('verifyAdmin: true only for the passphrase AND a valid code; audited', async () => {
    clock += 30_000;
    expect(await lock.verifyAdmin({ passphrase: PASS })).toBe(false);
    expect(await lock.verifyAdmin({ passphrase: PASS, code: '12345' })).toBe(false);
    expect(await lock.verifyAdmin({ passphrase: 'wrong passphrase', code: codeNow() })).toBe(false);
    expect(await lock.verifyAdmin({ passphrase: PASS, code: codeNow() })).toBe(true);
    const admin = (await auditRows()).filter((r) => r.kind === 'security.unlock' && (r.data as { purpose: string }).purpose === 'admin');
    expect(admin.map((r) => (r.data as { outcome: string }).outcome)).toEqual(['failed', 'failed', 'ok']);
  });

  it('delays grow after 3 failures and survive a restart (new service on the same files)', async () => {
    await lock.lock();
    for (let i = 1; i <= 3; i++)
      await expect(lock.unlock({ passphrase: `wrong pass ${i}`, code: '123456' })).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
        details: { failedAttempts: i, retryAfterMs: i < 3 ? 0 : 30_000 },
      });
    // Even the right answer waits while the delay runs.
    clock += 1_000;
    await expect(lock.unlock({ passphrase: PASS, code: codeNow() })).rejects.toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      details: { retryAfterMs: 29_000 },
    });
    await restart();
    expect(store.status().state).toBe('locked');
    expect(lock.status()).toMatchObject({ enabled: true, locked: true, failedAttempts: 3, lockedUntil: clock + 29_000 });
    await expect(lock.unlock({ passphrase: PASS, code: codeNow() })).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    clock += 29_000;
    await expect(lock.unlock({ passphrase: 'wrong again!', code: '123456' })).rejects.toMatchObject({
      details: { failedAttempts: 4, retryAfterMs: 60_000 },
    });
    clock += 60_000;
    await lock.unlock({ passphrase: PASS, code: codeNow() });
    const rows = (await auditRows()).filter((r) => r.kind === 'security.unlock').map((r) => (r.data as { outcome: string }).outcome);
    expect(rows.slice(-7)).toEqual(['failed', 'failed', 'failed', 'locked-out', 'locked-out', 'failed', 'ok']);
  });

  it('disable puts the plain key back in the keychain first; a restart opens from the keychain', async () => {
    clock += 30_000;
    await expect(lock.disable({ passphrase: PASS })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const keyHex = store.exportKeyForLock();
    await lock.disable({ passphrase: PASS, code: codeNow() });
    expect(await readPlainKey()).toBe(keyHex);
    expect(fs.existsSync(lock.filePath)).toBe(false);
    await restart();
    expect(store.status().state).toBe('ready');
    expect(lock.status()).toMatchObject({ enabled: false, locked: false });
  });

  it('a corrupt lock file is a typed CORRUPT error and the recovery key still opens the store', async () => {
    await lock.enable({ passphrase: PASS, idleMinutes: 0 });
    await lock.lock();
    fs.writeFileSync(lock.filePath, '{"version": 1, "kdf": ');
    await restart();
    expect(() => lock.status()).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
    await expect(lock.unlock({ passphrase: PASS })).rejects.toMatchObject({ code: 'CORRUPT' });
    expect(store.status().state).toBe('needs-recovery');
    expect((await store.unlockWithRecoveryKey(recoveryKey)).state).toBe('ready');
    expect(lock.isLocked()).toBe(false);
    // Turning the lock on again keeps the damaged file aside.
    await lock.enable({ passphrase: PASS, idleMinutes: 1 });
    expect(fs.readdirSync(dataDir).some((f) => f.startsWith('app-lock.json.corrupt-'))).toBe(true);
  });

  it('the idle timer locks after idleMinutes without activity (fake clock); activity restarts it', async () => {
    lock.activity();
    clock += 59_000;
    expect(await lock.tick()).toBe(false);
    lock.activity();
    clock += 59_000;
    expect(await lock.tick()).toBe(false);
    clock += 1_000;
    expect(await lock.tick()).toBe(true);
    expect(store.status().state).toBe('locked');
  });

  it('the recovery key opens a locked store and the plain copy it puts back is removed again', async () => {
    expect(await readPlainKey()).toBeNull();
    await store.unlockWithRecoveryKey(recoveryKey);
    await vi.waitFor(() => expect(lock.isLocked()).toBe(false));
    await vi.waitFor(async () => expect(await readPlainKey()).toBeNull());
    // The service writes its audit row after removing the plain copy (onStoreReady), so the row is awaited too: read
    // at once, a loaded machine saw the row before it (factor 'totp').
    await vi.waitFor(
      async () => {
        const last = (await auditRows()).filter((r) => r.kind === 'security.unlock').at(-1);
        expect(last?.data).toMatchObject({ outcome: 'ok', factor: 'recovery-key' });
      },
      { timeout: 5000 },
    );
  });
});
