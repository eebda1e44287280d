// The database key's life: create (with a recovery key shown once), unlock, recover, move between keychains, rekey.
// Invariant: at every instant some stored copy opens the database — a new copy is written, read back and verified
// before an old one is removed (Signal-Desktop#6962 locked users out when their Linux keyring changed).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import type { AuditEvent } from '../../../common/store/audit';
import type { Keychain } from '../../../native/keychain/keychain';
import { readJsonFile, writeJsonFileAtomic } from '../../../native/keychain/secret-file';
import { BoxSchema, newRecoveryKdf, openWithRecovery, recoveryKeyPair, ScryptParamsSchema, sealToRecovery } from './recovery-box';
import { newRecoveryKey, parseRecoveryKey } from './recovery-key';

export type ProbeVerdict = 'ok' | 'empty' | 'missing' | 'wrong-key' | 'corrupt';

export interface KeyManagerOptions {
  dbPath: string;
  /** Where the key lives now. */
  keychain: Keychain;
  /** Backends the key may have been stored in before (looked in when `keychain` lacks it; the key is then moved). */
  previousKeychains?: Keychain[];
  /** Asks the DB worker whether a key opens the file (reads only). */
  probeKey: (keyHex: string) => Promise<ProbeVerdict>;
  /** Audit sink; called after the event happened. Its failures are logged, never fatal (the DB may not be open yet). */
  audit?: (ev: AuditEvent) => unknown;
  log?: (level: 'warn', msg: string) => void;
  service?: string;
  recoveryScryptN?: number;
}

const KeyInfoSchema = z.object({
  version: z.literal(1),
  backend: z.string(),
  keyId: z.string(),
  pendingKeyId: z.string().optional(),
  createdAt: z.number(),
});
type KeyInfo = z.infer<typeof KeyInfoSchema>;

const RecoveryFileSchema = z.object({
  version: z.literal(1),
  kdf: ScryptParamsSchema,
  publicKey: z.string(),
  keyId: z.string(),
  current: BoxSchema,
  pendingKeyId: z.string().optional(),
  pending: BoxSchema.optional(),
});
type RecoveryFile = z.infer<typeof RecoveryFileSchema>;

const ACCOUNT = 'db-key';
const PENDING_ACCOUNT = 'db-key-next';

/** A short public fingerprint of a key (lets us tell which stored copy is which without trying them on the DB). */
export const keyIdOf = (keyHex: string) => createHash('sha256').update(`evolve/key-id/v1:${keyHex}`).digest('hex').slice(0, 16);
const newKeyHex = () => randomBytes(32).toString('hex');
const isKeyHex = (s: string | null): s is string => s !== null && /^[0-9a-f]{64}$/.test(s);

export class KeyManager {
  private readonly service: string;
  readonly keyInfoPath: string;
  readonly recoveryPath: string;

  constructor(private readonly o: KeyManagerOptions) {
    this.service = o.service ?? 'evolve-studio';
    this.keyInfoPath = `${o.dbPath}.keyinfo.json`;
    this.recoveryPath = `${o.dbPath}.recovery.json`;
  }

  private info(): KeyInfo | undefined {
    return readJsonFile(this.keyInfoPath, KeyInfoSchema);
  }
  private recovery(): RecoveryFile {
    const r = readJsonFile(this.recoveryPath, RecoveryFileSchema);
    if (!r) throw new EvolveError('NOT_FOUND', `The recovery file ${this.recoveryPath} is missing`);
    return r;
  }
  private async audit(ev: AuditEvent): Promise<void> {
    try {
      await this.o.audit?.(ev);
    } catch (e) {
      // The database may be closed (first run, failed unlock): the unlock goes on, but the lost row is on record.
      this.o.log?.('warn', `audit of ${ev.kind} could not be written: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Whether a key was created for this database. */
  hasKey(): boolean {
    return this.info() !== undefined;
  }

  /** Backend recorded with the key vs the one in use: a difference means the keyring changed since the last run. */
  backendChanged(): boolean {
    const i = this.info();
    return i !== undefined && i.backend !== this.o.keychain.backend;
  }

  private assertSecure(kc: Keychain): void {
    if (!kc.isSecure)
      throw new EvolveError('FORBIDDEN', `The ${kc.backend} keychain does not protect secrets; choose another or use a passphrase`);
  }

  /** Writes `keyHex` to `kc` under `account` and reads it back; a keychain that loses writes is caught here. */
  private async storeVerified(kc: Keychain, account: string, keyHex: string): Promise<void> {
    await kc.set(this.service, account, keyHex);
    const back = await kc.get(this.service, account);
    if (back !== keyHex) throw new EvolveError('UNAVAILABLE', `The ${kc.backend} keychain did not keep the key (read-back differs)`);
  }

  /**
   * First run: a random 256-bit key, stored in the keychain, plus a recovery key (returned once, never stored) whose
   * public half wraps the DB key in the recovery file. Order: recovery file → keychain → keyinfo (the "exists" marker).
   */
  async create(): Promise<{ keyHex: string; recoveryKey: string }> {
    if (this.hasKey()) throw new EvolveError('CONFLICT', 'A database key already exists');
    // A database without its key info (deleted file, interrupted copy) must not get a fresh key: that would overwrite the
    // keychain entry that still opens it. The way back is the recovery key.
    if (existsSync(this.o.dbPath) && statSync(this.o.dbPath).size > 0) {
      throw new EvolveError('CONFLICT', 'A database exists but its key record is missing; unlock it with the recovery key', {
        needsRecovery: true,
      });
    }
    this.assertSecure(this.o.keychain);
    const keyHex = newKeyHex();
    const recoveryKey = newRecoveryKey();
    const kdf = newRecoveryKdf(this.o.recoveryScryptN);
    const { publicRaw } = await recoveryKeyPair(parseRecoveryKey(recoveryKey), kdf);
    const keyId = keyIdOf(keyHex);
    writeJsonFileAtomic(this.recoveryPath, {
      version: 1,
      kdf,
      publicKey: publicRaw.toString('base64'),
      keyId,
      current: sealToRecovery(publicRaw, Buffer.from(keyHex, 'hex')),
    } satisfies RecoveryFile);
    await this.storeVerified(this.o.keychain, ACCOUNT, keyHex);
    writeJsonFileAtomic(this.keyInfoPath, { version: 1, backend: this.o.keychain.backend, keyId, createdAt: Date.now() } satisfies KeyInfo);
    return { keyHex, recoveryKey };
  }

  /** Reads a stored key; a backend that cannot decrypt (keyring changed) counts as "not there", never as fatal. */
  private async read(kc: Keychain, account: string): Promise<string | null> {
    try {
      const v = await kc.get(this.service, account);
      return isKeyHex(v) ? v : null;
    } catch {
      return null;
    }
  }

  /** A key is usable when it is the recorded one (or the pending one) and the file accepts it. */
  private async usable(keyHex: string, info: KeyInfo): Promise<'current' | 'pending' | null> {
    const id = keyIdOf(keyHex);
    if (id !== info.keyId && id !== info.pendingKeyId) return null;
    const verdict = await this.o.probeKey(keyHex);
    // A damaged file cannot confirm the key, but the fingerprint already does: keep the current key so the
    // open reports CORRUPT (and offers a restore) instead of asking for a recovery key that would not help.
    if (verdict === 'corrupt') return id === info.keyId ? 'current' : null;
    if (verdict !== 'ok' && verdict !== 'missing' && verdict !== 'empty') return null;
    return id === info.keyId ? 'current' : 'pending';
  }

  /**
   * Finds the key: current keychain (finishing an interrupted rekey if the pending key is the one that opens the
   * file), then previous keychains (moving the key to the current one). Otherwise UNAUTHENTICATED with
   * `needsRecovery: true`: the UI asks for the recovery key or passphrase; nothing is deleted.
   */
  async unlock(): Promise<{ keyHex: string; migratedFrom?: string }> {
    const info = this.info();
    if (!info) throw new EvolveError('NOT_FOUND', 'No database key has been created yet');
    for (const kc of [this.o.keychain, ...(this.o.previousKeychains ?? [])]) {
      for (const account of [ACCOUNT, PENDING_ACCOUNT]) {
        const key = await this.read(kc, account);
        if (!key) continue;
        const which = await this.usable(key, info);
        if (!which) continue;
        await this.audit({ kind: 'key.access', data: { backend: kc.backend, purpose: 'unlock', account } });
        if (which === 'pending') await this.finishRekey(key);
        else if (info.pendingKeyId) await this.dropPending(); // a rekey died before the file switched
        if (kc !== this.o.keychain) {
          await this.adopt(key, kc);
          await this.audit({ kind: 'unlock', data: { method: 'keychain', backend: kc.backend, ok: true } });
          return { keyHex: key, migratedFrom: kc.backend };
        }
        await this.audit({ kind: 'unlock', data: { method: 'keychain', backend: kc.backend, ok: true } });
        return { keyHex: key };
      }
    }
    throw new EvolveError('UNAUTHENTICATED', 'The database key is not in the keychain (it may have changed). Enter your recovery key.', {
      needsRecovery: true,
      recordedBackend: info.backend,
      currentBackend: this.o.keychain.backend,
    });
  }

  /** Unlocks with the recovery key alone and stores the key in the current keychain again. */
  async unlockWithRecoveryKey(recoveryKey: string): Promise<{ keyHex: string }> {
    const rec = this.recovery();
    const { privateKey, publicRaw } = await recoveryKeyPair(parseRecoveryKey(recoveryKey), rec.kdf);
    if (publicRaw.toString('base64') !== rec.publicKey) {
      await this.audit({ kind: 'unlock', data: { method: 'recovery-key', ok: false } });
      throw new EvolveError('UNAUTHENTICATED', 'This is not the recovery key of this database');
    }
    for (const box of [rec.current, rec.pending]) {
      if (!box) continue;
      const keyHex = openWithRecovery(privateKey, box).toString('hex');
      const verdict = await this.o.probeKey(keyHex);
      if (verdict !== 'ok' && verdict !== 'missing' && verdict !== 'empty') continue;
      if (box === rec.pending) await this.finishRekey(keyHex);
      await this.adopt(keyHex, undefined);
      await this.audit({ kind: 'unlock', data: { method: 'recovery-key', ok: true } });
      return { keyHex };
    }
    throw new EvolveError('UNAUTHENTICATED', 'The recovery key is right but no key it holds opens the database (restore a backup)');
  }

  /**
   * Makes the current keychain hold `keyHex`: write, read back, verify it opens the DB, record the backend, and only
   * then delete the copy in `from` (if any).
   */
  private async adopt(keyHex: string, from: Keychain | undefined): Promise<void> {
    this.assertSecure(this.o.keychain);
    await this.storeVerified(this.o.keychain, ACCOUNT, keyHex);
    const verdict = await this.o.probeKey(keyHex);
    if (verdict === 'wrong-key' || verdict === 'corrupt')
      throw new EvolveError('INTERNAL', 'The key does not open the database; nothing was deleted');
    const info = this.info();
    writeJsonFileAtomic(this.keyInfoPath, {
      ...(info ?? { version: 1, createdAt: Date.now() }),
      version: 1,
      backend: this.o.keychain.backend,
      keyId: keyIdOf(keyHex),
    });
    if (from && from !== this.o.keychain) {
      await from.delete(this.service, ACCOUNT).catch(() => false);
      await this.audit({
        kind: 'store.maintenance',
        data: { action: 'keychain-migrate', detail: `${from.backend} -> ${this.o.keychain.backend}` },
      });
    }
  }

  /**
   * App lock (issue 14): removes the keychain's plain copy once a wrapped copy exists elsewhere. The caller has
   * written and verified that copy first (the invariant: some stored copy always opens the database).
   */
  async dropKeychainCopy(): Promise<boolean> {
    return this.o.keychain.delete(this.service, ACCOUNT);
  }

  /** Puts the plain copy back (app lock disabled): written, read back and proven to open the database. */
  async restoreKeychainCopy(keyHex: string): Promise<void> {
    const info = this.info();
    if (!info || keyIdOf(keyHex) !== info.keyId) throw new EvolveError('INVALID_ARGUMENT', 'This is not the recorded database key');
    await this.adopt(keyHex, undefined);
  }

  /** Moves the key to `to` (same invariant as adopt); returns a manager bound to the new keychain. */
  async migrateTo(to: Keychain, keyHex: string): Promise<KeyManager> {
    this.assertSecure(to);
    const next = new KeyManager({ ...this.o, keychain: to, previousKeychains: [this.o.keychain, ...(this.o.previousKeychains ?? [])] });
    await next.adopt(keyHex, this.o.keychain);
    return next;
  }

  /**
   * Rekeys: the new key is stored as pending (keychain + recovery file) before `apply` rekeys the file, and promoted
   * after. A crash at any point leaves a stored key that opens the file; unlock() finishes or drops the pending key.
   */
  async rekey(currentKeyHex: string, apply: (newKeyHex: string) => Promise<void>): Promise<string> {
    const info = this.info();
    if (!info || keyIdOf(currentKeyHex) !== info.keyId)
      throw new EvolveError('INVALID_ARGUMENT', 'The current key is not the recorded key');
    const next = newKeyHex();
    const nextId = keyIdOf(next);
    const rec = this.recovery();
    writeJsonFileAtomic(this.recoveryPath, {
      ...rec,
      pendingKeyId: nextId,
      pending: sealToRecovery(Buffer.from(rec.publicKey, 'base64'), Buffer.from(next, 'hex')),
    });
    await this.storeVerified(this.o.keychain, PENDING_ACCOUNT, next);
    writeJsonFileAtomic(this.keyInfoPath, { ...info, pendingKeyId: nextId });
    try {
      await apply(next);
    } catch (e) {
      // Still on the old key? Then forget the pending one; if the file did switch, finish instead.
      if ((await this.o.probeKey(next)) === 'ok') await this.finishRekey(next);
      else await this.dropPending();
      throw e;
    }
    await this.finishRekey(next);
    await this.audit({ kind: 'store.maintenance', data: { action: 'rekey' } });
    return next;
  }

  private async finishRekey(next: string): Promise<void> {
    const info = this.info();
    const rec = this.recovery();
    const id = keyIdOf(next);
    await this.storeVerified(this.o.keychain, ACCOUNT, next);
    if (rec.pendingKeyId === id && rec.pending)
      writeJsonFileAtomic(this.recoveryPath, { ...rec, keyId: id, current: rec.pending, pending: undefined, pendingKeyId: undefined });
    if (info) writeJsonFileAtomic(this.keyInfoPath, { ...info, keyId: id, pendingKeyId: undefined });
    await this.o.keychain.delete(this.service, PENDING_ACCOUNT).catch(() => false);
  }

  private async dropPending(): Promise<void> {
    const info = this.info();
    const rec = this.recovery();
    if (info) writeJsonFileAtomic(this.keyInfoPath, { ...info, pendingKeyId: undefined });
    writeJsonFileAtomic(this.recoveryPath, { ...rec, pending: undefined, pendingKeyId: undefined });
    await this.o.keychain.delete(this.service, PENDING_ACCOUNT).catch(() => false);
  }
}
