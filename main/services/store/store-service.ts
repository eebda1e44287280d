// The encrypted store's life in the app: pick the keychain, create or unlock the database key, open the
// DB worker, and report a state the UI can act on (set a passphrase, enter the recovery key, show the
// new recovery key once). Never throws from init: a locked or broken store is a state, not a crash.
import fs from 'node:fs';
import path from 'node:path';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { StoreStatus } from '../../../common/contracts/store';
import type { Keychain } from '../../../native/keychain/keychain';
import { PassphraseKeychain } from '../../../native/keychain/passphrase-keychain';
import { WorkerSupervisor } from '../../supervisors/worker-supervisor';
import type { SpawnWorker } from '../../supervisors/worker-process';
import { AuditService } from '../audit/audit-service';
import { KeyManager } from './key-manager';
import { StoreClient } from './store-client';

export interface StoreServiceOptions {
  dataDir: string;
  spawn: SpawnWorker;
  /** The secure OS keychain for this front door, or null when none is usable (then a passphrase is asked for). */
  keychain: () => Promise<Keychain | null>;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** Lower scrypt cost for tests only. */
  scryptN?: number;
  onStateChange?: (s: StoreStatus) => void;
  onCrash?: (reason: string, restarting: boolean) => void;
}

export class StoreService {
  readonly dbPath: string;
  readonly supervisor: WorkerSupervisor;
  readonly client: StoreClient;
  readonly audit: AuditService;
  private keyHex: string | undefined;
  private keychainInUse: Keychain | undefined;
  private pendingRecoveryKey: string | undefined;
  private current: StoreStatus;
  private readonly passphraseFile: string;
  private readonly readyListeners = new Set<() => void>();
  /** Set by the app lock: while it answers true the store stays closed until the lock hands it the key. */
  private lockGate: (() => boolean) | undefined;
  /** Why the OS keychain could not be used at the last init (shown next to the passphrase fallback). */
  keychainProblem: string | undefined;

  constructor(private readonly o: StoreServiceOptions) {
    this.dbPath = path.join(o.dataDir, 'evolve.db');
    this.passphraseFile = path.join(o.dataDir, 'keystore.passphrase.json');
    this.supervisor = new WorkerSupervisor({
      name: 'database',
      spawn: o.spawn,
      maxRestarts: 5,
      log: (l, m) => o.log(l === 'debug' ? 'info' : l, m),
    });
    this.supervisor.onCrash((c) => o.onCrash?.(c.reason, c.restarting));
    this.client = new StoreClient({
      supervisor: this.supervisor,
      path: this.dbPath,
      keyProvider: async () => {
        if (!this.keyHex) throw new EvolveError('UNAUTHENTICATED', 'The store is locked');
        return this.keyHex;
      },
    });
    this.audit = new AuditService(this.client);
    this.current = {
      state: 'starting',
      dbPath: this.dbPath,
      backend: null,
      recoveryKeyPending: false,
      message: 'Opening the encrypted store…',
    };
  }

  status(): StoreStatus {
    return this.current;
  }

  /** Called each time the store becomes ready (after init or an unlock). */
  onReady(cb: () => void): () => void {
    this.readyListeners.add(cb);
    return () => this.readyListeners.delete(cb);
  }

  get ready(): boolean {
    return this.current.state === 'ready';
  }

  private set(next: Partial<StoreStatus>): StoreStatus {
    this.current = { ...this.current, ...next, recoveryKeyPending: this.pendingRecoveryKey !== undefined };
    this.o.onStateChange?.(this.current);
    return this.current;
  }

  /** Throws UNAVAILABLE with the state's message unless the store is open. */
  assertReady(): void {
    if (!this.ready)
      throw new EvolveError('UNAVAILABLE', this.current.message ?? `The store is ${this.current.state}`, { state: this.current.state });
  }

  /** Opens the store with the OS keychain if there is a usable one; otherwise waits for a passphrase. */
  async init(): Promise<StoreStatus> {
    let keychain: Keychain | null = null;
    this.keychainProblem = undefined;
    try {
      keychain = await this.o.keychain();
    } catch (e) {
      this.keychainProblem = toErrorInfo(e).message;
      this.o.log('warn', `keychain unavailable, using a passphrase instead: ${this.keychainProblem}`);
    }
    if (this.lockGate?.()) {
      // The app lock holds the only usable copy of the key (wrapped): nothing is opened until it unlocks.
      if (keychain) this.keychainInUse = keychain;
      return this.set({ state: 'locked', backend: keychain?.backend ?? null, message: 'The app is locked.' });
    }
    if (!keychain || fs.existsSync(this.passphraseFile)) {
      const why = this.keychainProblem ? ` (${this.keychainProblem})` : '';
      return this.set({
        state: 'needs-passphrase',
        backend: 'passphrase',
        message: fs.existsSync(this.passphraseFile)
          ? 'Enter your passphrase to unlock the encrypted store.'
          : `No secure OS keychain is available${why}: choose a passphrase to protect the encrypted store.`,
      });
    }
    return this.openWith(keychain);
  }

  async unlockWithPassphrase(passphrase: string): Promise<StoreStatus> {
    if (this.ready) return this.current;
    if (this.lockGate?.()) throw new EvolveError('FORBIDDEN', 'The app is locked: unlock it with the app lock');
    const keychain = await PassphraseKeychain.unlock(this.passphraseFile, passphrase, { scryptN: this.o.scryptN });
    return this.openWith(keychain);
  }

  async unlockWithRecoveryKey(recoveryKey: string): Promise<StoreStatus> {
    if (this.ready) return this.current;
    const km = this.keyManager(this.keychainInUse ?? (await this.o.keychain()) ?? undefined);
    const { keyHex } = await km.unlockWithRecoveryKey(recoveryKey);
    this.keyHex = keyHex;
    return this.finishOpen(km.backendName);
  }

  /** The front door is a passphrase (no OS keychain): the key is already wrapped by it at every launch. */
  get passphraseMode(): boolean {
    return fs.existsSync(this.passphraseFile);
  }

  /** App lock: the gate init and the passphrase path ask (the recovery key stays a way in regardless). */
  setLockGate(gate: () => boolean): void {
    this.lockGate = gate;
  }

  /** App lock: the open database's key, to be wrapped under the lock passphrase. */
  exportKeyForLock(): string {
    this.assertReady();
    if (!this.keyHex) throw new EvolveError('UNAUTHENTICATED', 'The store is locked');
    return this.keyHex;
  }

  /** App lock: opens the store with a key it unwrapped; the worker must confirm the key opens the file. */
  async unlockWithKey(keyHex: string): Promise<StoreStatus> {
    if (this.ready) return this.current;
    const keychain = this.keychainInUse ?? (await this.o.keychain()) ?? undefined;
    if (keychain) this.keychainInUse = keychain;
    await this.supervisor.start();
    const { verdict } = await this.client.call('probeKey', { path: this.dbPath, key: keyHex });
    if (verdict !== 'ok') throw new EvolveError('UNAUTHENTICATED', `The unwrapped key does not open the database (${verdict})`);
    this.keyHex = keyHex;
    return this.finishOpen(keychain?.backend ?? 'app-lock');
  }

  /** App lock: closes the database, stops its worker and forgets the key, so no process holds it while locked. */
  async lock(): Promise<StoreStatus> {
    this.keyHex = undefined;
    await this.client.close().catch(() => {});
    await this.supervisor.stop();
    return this.set({ state: 'locked', message: 'The app is locked.' });
  }

  /** App lock on: removes the keychain's plain DB key (the caller holds a verified wrapped copy). */
  async detachKeychainKey(): Promise<boolean> {
    this.assertReady();
    return this.keyManager(this.keychainInUse).dropKeychainCopy();
  }

  /** App lock off: the plain DB key goes back into the keychain, written, read back and proven. */
  async attachKeychainKey(keyHex: string): Promise<void> {
    await this.keyManager(this.keychainInUse).restoreKeychainCopy(keyHex);
  }

  /** The recovery key made at first run, handed out exactly once. */
  takeRecoveryKey(): string | null {
    const rk = this.pendingRecoveryKey ?? null;
    this.pendingRecoveryKey = undefined;
    if (rk) this.set({});
    return rk;
  }

  private keyManager(keychain: Keychain | undefined): KeyManager & { backendName: string } {
    const probe = async (keyHex: string) => {
      await this.supervisor.start();
      return (await this.client.call('probeKey', { path: this.dbPath, key: keyHex })).verdict;
    };
    const km = new KeyManager({
      dbPath: this.dbPath,
      keychain: keychain ?? unusableKeychain,
      probeKey: probe,
      audit: (ev) => (this.ready ? this.audit.record(ev) : undefined),
      log: (l, m) => this.o.log(l, m),
      recoveryScryptN: this.o.scryptN,
    });
    return Object.assign(km, { backendName: keychain?.backend ?? 'recovery-key' });
  }

  private async openWith(keychain: Keychain): Promise<StoreStatus> {
    this.keychainInUse = keychain;
    const km = this.keyManager(keychain);
    try {
      if (km.hasKey()) {
        this.keyHex = (await km.unlock()).keyHex;
      } else {
        const created = await km.create();
        this.keyHex = created.keyHex;
        this.pendingRecoveryKey = created.recoveryKey;
      }
      return await this.finishOpen(keychain.backend);
    } catch (e) {
      const info = toErrorInfo(e);
      const needsRecovery = (info.details as { needsRecovery?: boolean } | undefined)?.needsRecovery === true;
      this.o.log('warn', `store not opened: ${info.message}`);
      if (info.code === 'UNAUTHENTICATED' && !needsRecovery && keychain.backend === 'passphrase') throw e;
      return this.set({
        state: needsRecovery ? 'needs-recovery' : 'error',
        backend: keychain.backend,
        message: needsRecovery ? `${info.message}. Enter your recovery key to unlock it.` : info.message,
      });
    }
  }

  private async finishOpen(backend: string): Promise<StoreStatus> {
    try {
      await this.client.open();
    } catch (e) {
      const info = toErrorInfo(e);
      const restorable = info.code === 'CORRUPT' && this.listBackups().length > 0;
      return this.set({
        state: 'error',
        backend,
        message: `The encrypted store could not be opened: ${info.message}${restorable ? ' — restore a backup below (the damaged file is kept aside).' : ''}`,
      });
    }
    return this.markReady(backend);
  }

  /** The database is open in the worker: record the unlock, flip the state, tell listeners. */
  private async markReady(backend: string): Promise<StoreStatus> {
    await this.audit.record({
      kind: 'unlock',
      data: {
        method: backend === 'passphrase' ? 'passphrase' : backend === 'recovery-key' ? 'recovery-key' : 'keychain',
        backend,
        ok: true,
      },
    });
    const st = this.set({ state: 'ready', backend, message: `Encrypted with SQLCipher 4; key in ${backend}` });
    for (const cb of this.readyListeners) cb();
    return st;
  }

  /**
   * Secrets other than the DB key (provider API keys, cluster tokens) in the same keychain as the DB key — never
   * in the database or a file in clear. Reads are audited.
   */
  async getSecret(account: string, purpose: string): Promise<string | null> {
    const kc = this.secretKeychain();
    const value = await kc.get(SECRETS_SERVICE, account);
    if (value !== null && this.ready) await this.audit.record({ kind: 'key.access', data: { backend: kc.backend, purpose, account } });
    return value;
  }

  async setSecret(account: string, value: string): Promise<void> {
    const kc = this.secretKeychain();
    await kc.set(SECRETS_SERVICE, account, value);
    if ((await kc.get(SECRETS_SERVICE, account)) !== value)
      throw new EvolveError('UNAVAILABLE', `The ${kc.backend} keychain did not keep the secret`);
  }

  async deleteSecret(account: string): Promise<boolean> {
    return this.secretKeychain().delete(SECRETS_SERVICE, account);
  }

  async hasSecret(account: string): Promise<boolean> {
    return (await this.secretKeychain().get(SECRETS_SERVICE, account)) !== null;
  }

  private secretKeychain(): Keychain {
    if (!this.keychainInUse || !this.ready)
      throw new EvolveError('UNAVAILABLE', 'Unlock the encrypted store first: secrets live in its keychain');
    return this.keychainInUse;
  }

  /** Online encrypted backup next to the data (the file is encrypted with the same key). */
  async backup(
    onProgress: (p: { totalPages: number; remainingPages: number }) => Promise<void> | void,
    signal: AbortSignal,
  ): Promise<{ path: string; bytes: number }> {
    this.assertReady();
    const dir = path.join(this.o.dataDir, 'backups');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `evolve-manual-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
    await this.client.backup(file, { onProgress: (p) => void onProgress(p), signal });
    await this.audit.record({ kind: 'store.maintenance', data: { action: 'backup', detail: path.basename(file) } });
    return { path: file, bytes: fs.statSync(file).size };
  }

  private backupsDir(): string {
    return path.join(this.o.dataDir, 'backups');
  }

  /** Backups in the data directory's backups folder, newest first. */
  listBackups(): { name: string; bytes: number; createdAt: number }[] {
    const dir = this.backupsDir();
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.db'))
      .map((name) => {
        const st = fs.statSync(path.join(dir, name));
        return { name, bytes: st.size, createdAt: st.mtimeMs };
      })
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * Restores a backup (by file name inside the backups folder — never an arbitrary path) over the database:
   * the worker checks the candidate's integrity and its cipher pages first and keeps the old file aside.
   * Works while the store is open, and as the way out of a corrupt database at open.
   */
  async restore(name: string): Promise<{ keptAsidePath: string | null; status: StoreStatus }> {
    if (!this.keyHex) throw new EvolveError('UNAUTHENTICATED', 'Unlock the store first: the backup is encrypted with its key');
    if (path.basename(name) !== name || !name.endsWith('.db')) throw new EvolveError('INVALID_ARGUMENT', 'Choose a backup from the list');
    const file = path.join(this.backupsDir(), name);
    if (!fs.existsSync(file)) throw new EvolveError('NOT_FOUND', `No backup named ${name}`);
    const r = await this.client.restore(file);
    // Restoring out of a failed open leaves the restored file open in the worker: the store is usable now.
    if (!this.ready) await this.markReady(this.current.backend ?? 'keychain');
    await this.audit.record({ kind: 'store.maintenance', data: { action: 'restore', detail: name } });
    return { keptAsidePath: r.keptAsidePath, status: this.current };
  }

  async close(): Promise<void> {
    this.keyHex = undefined;
    await this.client.close().catch(() => {});
    await this.supervisor.stop();
  }
}

const SECRETS_SERVICE = 'evolve-studio.secrets';

/** Stands in when only the recovery key can open the store: nothing is stored in or read from it. */
const unusableKeychain: Keychain = {
  backend: 'none',
  isSecure: true,
  get: async () => null,
  set: async () => {
    throw new EvolveError('UNAVAILABLE', 'No keychain is available to store the key');
  },
  delete: async () => false,
};
