// The app lock (issue 14 item 1): a passphrase (argon2id) + optional TOTP that wraps the database key; while locked the
// store is closed and no process holds the key. Failed attempts are limited with growing, persisted delays; every
// attempt is audited (queued in the lock file while the database is closed). See README.md beside this file.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { EvolveError, isEvolveError } from '../../../../common/errors';
import type { StoreStatus } from '../../../../common/contracts/store';
import type { AppLockStatus, TotpBeginResult, UnlockRefusal } from '../../../../common/security/app-lock';
import type { AuditEvent } from '../../../../common/store/audit';
import { seal, unseal } from '../../../../native/keychain/aead';
import { keyIdOf } from '../../store/key-manager';
import { delayAfter, retryAfter } from './delays';
import { shouldLock, msUntilIdleLock, type LockTrigger } from './idle';
import { type Argon2Params, deriveKek, newArgon2Params, SHIPPED_ARGON2 } from './kdf';
import { AAD_DB_KEY, AAD_FACTOR_KEY, AAD_TOTP, type LockFile, readLockFile, writeLockFile } from './lock-file';
import {
  acceptTotp,
  hashRecoveryCode,
  matchRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
} from './second-factor';

/** The part of StoreService the lock drives (kept narrow so the seam is visible). */
export interface AppLockStore {
  readonly ready: boolean;
  readonly passphraseMode: boolean;
  status(): StoreStatus;
  onReady(cb: () => void): () => void;
  setLockGate(gate: () => boolean): void;
  exportKeyForLock(): string;
  unlockWithKey(keyHex: string): Promise<StoreStatus>;
  lock(): Promise<StoreStatus>;
  detachKeychainKey(): Promise<boolean>;
  attachKeychainKey(keyHex: string): Promise<void>;
  readonly audit: { record(ev: AuditEvent): Promise<unknown> };
}

export interface AppLockOptions {
  dataDir: string;
  store: AppLockStore;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** argon2id cost for new lock files (tests lower it); the shipped cost otherwise. */
  argon2?: { m: number; t: number; p: number };
  now?: () => number;
  /** Idle check period; 0 disables the timer (tests call tick()). */
  idleCheckMs?: number;
}

type Purpose = 'unlock' | 'admin' | 'change';
type Factor = 'passphrase' | 'totp' | 'recovery-code';

interface Checked {
  keyHex: string;
  factorKey: Buffer;
  factor: Factor;
}

export class AppLockService {
  readonly filePath: string;
  private file: LockFile | undefined;
  private corrupt: EvolveError | undefined;
  private locked: boolean;
  private lastActivityAt: number;
  private enrol: { factorKey: Buffer; secret: string } | undefined;
  private unlocking = false;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(s: AppLockStatus) => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly o: AppLockOptions) {
    this.now = o.now ?? Date.now;
    this.filePath = path.join(o.dataDir, 'app-lock.json');
    try {
      this.file = readLockFile(this.filePath);
    } catch (e) {
      this.corrupt = isEvolveError(e) ? e : new EvolveError('CORRUPT', String(e));
      o.log('error', `app lock file unusable: ${this.corrupt.message} — the recovery key opens the store`);
    }
    // At launch an enabled lock starts locked: the keychain has no plain key to open the store with anyway.
    this.locked = this.file !== undefined;
    this.lastActivityAt = this.now();
    // The gate is closed only when the lock can itself open the store; a corrupt file leaves the store to the
    // recovery key (init then finds no key in the keychain and asks for it).
    o.store.setLockGate(() => this.file !== undefined && this.locked);
    o.store.onReady(() => void this.onStoreReady());
    const every = o.idleCheckMs ?? 15_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.tick().catch((e) => o.log('warn', `idle lock: ${String(e)}`)), every);
      this.timer.unref();
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
  }

  // ---- state ------------------------------------------------------------------------------------------------------

  status(): AppLockStatus {
    if (this.corrupt) throw this.corruptError();
    const f = this.file;
    const now = this.now();
    return {
      enabled: f !== undefined,
      locked: this.isLocked(),
      totp: f?.totp ? f.totp.state : 'off',
      recoveryCodesLeft: f?.totp?.state === 'on' ? f.recoveryCodes.filter((c) => !c.used).length : 0,
      idleMinutes: f?.idleMinutes ?? 0,
      lockedUntil: f && retryAfter(f.lockedUntil, now) > 0 ? f.lockedUntil : null,
      failedAttempts: f?.failedAttempts ?? 0,
    };
  }

  /** True while the app must refuse work (host session, CLI, API server gate on it). */
  isLocked(): boolean {
    if (this.corrupt) return !this.o.store.ready;
    return this.file !== undefined && this.locked;
  }

  onChange(cb: (s: AppLockStatus) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private changed(): void {
    let s: AppLockStatus;
    try {
      s = this.status();
    } catch {
      return;
    }
    for (const cb of this.listeners) cb(s);
  }

  private corruptError(): EvolveError {
    return new EvolveError(
      'CORRUPT',
      `The app lock file is damaged (${this.corrupt?.message ?? 'unreadable'}). Open the store with your recovery key, then turn the lock on again.`,
    );
  }

  private requireFile(): LockFile {
    if (this.corrupt) throw this.corruptError();
    if (!this.file) throw new EvolveError('CONFLICT', 'The app lock is off');
    return this.file;
  }

  private requireUnlocked(): LockFile {
    const f = this.requireFile();
    if (this.locked) throw new EvolveError('CONFLICT', 'Unlock the app first');
    return f;
  }

  private save(f: LockFile): void {
    writeLockFile(this.filePath, f);
    this.file = f;
  }

  /** One lock operation at a time: the limiter's read-check-write must not interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  // ---- audit (queued while the database is closed) ----------------------------------------------------------------

  private async audit(ev: AuditEvent): Promise<void> {
    if (this.o.store.ready) {
      try {
        await this.o.store.audit.record(ev);
        return;
      } catch (e) {
        this.o.log('warn', `audit of ${ev.kind} queued: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (this.file) this.save({ ...this.file, pendingAudit: [...this.file.pendingAudit, ev].slice(-10_000) });
    else this.o.log('error', `audit of ${ev.kind} lost: the database is closed and the lock is off`);
  }

  /** Writes the queued rows in order; a row that fails stays queued with the ones after it. */
  private async flushAudit(): Promise<void> {
    const f = this.file;
    if (!f || f.pendingAudit.length === 0 || !this.o.store.ready) return;
    let done = 0;
    for (const ev of f.pendingAudit) {
      try {
        await this.o.store.audit.record(ev);
        done++;
      } catch (e) {
        this.o.log('warn', `queued audit rows kept for later: ${e instanceof Error ? e.message : String(e)}`);
        break;
      }
    }
    const cur = this.file ?? f;
    this.save({ ...cur, pendingAudit: cur.pendingAudit.slice(done) });
  }

  private unlockEvent(
    outcome: 'ok' | 'failed' | 'locked-out',
    purpose: Purpose,
    f: LockFile,
    extra: { factor?: Factor | 'recovery-key'; reason?: string; retryAfterMs?: number } = {},
  ): AuditEvent {
    return {
      kind: 'security.unlock',
      data: { outcome, purpose, failedAttempts: f.failedAttempts, occurredAt: this.now(), ...extra },
    };
  }

  private lockEvent(action: Extract<AuditEvent, { kind: 'security.lock' }>['data']['action'], reason?: string): AuditEvent {
    return { kind: 'security.lock', data: { action, occurredAt: this.now(), ...(reason ? { reason } : {}) } };
  }

  // ---- secret checks and the limiter ------------------------------------------------------------------------------

  private refusal(f: LockFile, retryAfterMs: number): UnlockRefusal {
    return { failedAttempts: f.failedAttempts, retryAfterMs };
  }

  /** RESOURCE_EXHAUSTED (audited) while the delay after earlier failures runs. */
  private async assertNotDelayed(purpose: Purpose): Promise<void> {
    const f = this.requireFile();
    const wait = retryAfter(f.lockedUntil, this.now());
    if (wait <= 0) return;
    await this.audit(this.unlockEvent('locked-out', purpose, f, { retryAfterMs: wait }));
    throw new EvolveError('RESOURCE_EXHAUSTED', `Too many failed attempts: try again in ${Math.ceil(wait / 1000)} s`, {
      ...this.refusal(f, wait),
    });
  }

  private async fail(purpose: Purpose, factor: Factor, reason: string): Promise<never> {
    const f = this.requireFile();
    const failedAttempts = f.failedAttempts + 1;
    const delay = delayAfter(failedAttempts);
    const next: LockFile = { ...f, failedAttempts, lockedUntil: delay > 0 ? this.now() + delay : null };
    this.save(next);
    await this.audit(this.unlockEvent('failed', purpose, next, { factor, reason, ...(delay > 0 ? { retryAfterMs: delay } : {}) }));
    this.changed();
    throw new EvolveError('UNAUTHENTICATED', 'Wrong passphrase or code', this.refusal(next, delay));
  }

  private async succeed(purpose: Purpose, factor: Factor | 'recovery-key'): Promise<void> {
    const f = this.requireFile();
    this.save({ ...f, failedAttempts: 0, lockedUntil: null });
    await this.audit(this.unlockEvent('ok', purpose, f, { factor }));
  }

  /**
   * Checks the passphrase and (TOTP on and `requireCode`) the second factor. A missing code is INVALID_ARGUMENT
   * before anything is checked, so it is not a free passphrase oracle; every wrong answer counts as a failure.
   */
  private async check(purpose: Purpose, passphrase: string, code: string | undefined, requireCode: boolean): Promise<Checked> {
    await this.assertNotDelayed(purpose);
    const f = this.requireFile();
    const needCode = requireCode && f.totp?.state === 'on';
    if (needCode && !code) throw new EvolveError('INVALID_ARGUMENT', 'Enter the code from your authenticator app or a recovery code');
    const kek = await deriveKek(passphrase, f.kdf);
    let keyHex: string;
    let factorKey: Buffer;
    try {
      keyHex = unseal(kek, f.wrappedKey, AAD_DB_KEY, 'database key').toString('utf8');
      factorKey = unseal(kek, f.factorKey, AAD_FACTOR_KEY, 'factor key');
    } catch {
      return this.fail(purpose, 'passphrase', 'wrong passphrase');
    }
    if (!needCode || !code || !f.totp) return { keyHex, factorKey, factor: 'passphrase' };
    const secret = unseal(factorKey, f.totp.secret, AAD_TOTP, 'TOTP secret').toString('utf8');
    const step = acceptTotp(secret, code, this.now(), f.totp.lastStep);
    if (step !== null) {
      this.save({ ...f, totp: { ...f.totp, lastStep: step } });
      return { keyHex, factorKey, factor: 'totp' };
    }
    const i = /^\s*\d{6}\s*$/.test(code) ? -1 : matchRecoveryCode(factorKey, code, f.recoveryCodes);
    if (i >= 0) {
      this.save({ ...f, recoveryCodes: f.recoveryCodes.map((c, j) => (j === i ? { ...c, used: true } : c)) });
      return { keyHex, factorKey, factor: 'recovery-code' };
    }
    return this.fail(purpose, /^\s*\d{6}\s*$/.test(code) ? 'totp' : 'recovery-code', 'wrong or reused code');
  }

  // ---- the calls --------------------------------------------------------------------------------------------------

  enable(input: { passphrase: string; idleMinutes: number }): Promise<AppLockStatus> {
    return this.serial(async () => {
      if (this.file) throw new EvolveError('CONFLICT', 'The app lock is already on');
      if (this.o.store.passphraseMode)
        throw new EvolveError(
          'CONFLICT',
          'The store is already opened with a passphrase at every launch (no OS keychain): the app lock needs the OS keychain',
        );
      const keyHex = this.o.store.exportKeyForLock();
      if (this.corrupt) {
        // The damaged file is kept aside for inspection, never silently overwritten.
        renameSync(this.filePath, `${this.filePath}.corrupt-${this.now()}`);
        this.corrupt = undefined;
      }
      const kdf = newArgon2Params(this.o.argon2 ?? SHIPPED_ARGON2);
      const kek = await deriveKek(input.passphrase, kdf);
      const factorKey = randomBytes(32);
      const f: LockFile = {
        version: 1,
        kdf,
        wrappedKey: seal(kek, Buffer.from(keyHex, 'utf8'), AAD_DB_KEY),
        keyId: keyIdOf(keyHex),
        factorKey: seal(kek, factorKey, AAD_FACTOR_KEY),
        idleMinutes: input.idleMinutes,
        totp: null,
        recoveryCodes: [],
        failedAttempts: 0,
        lockedUntil: null,
        pendingAudit: [],
        createdAt: this.now(),
      };
      writeLockFile(this.filePath, f);
      // Read back and unwrap before the keychain copy goes: some stored copy must always open the database.
      const back = readLockFile(this.filePath);
      if (!back || unseal(kek, back.wrappedKey, AAD_DB_KEY, 'database key').toString('utf8') !== keyHex)
        throw new EvolveError('INTERNAL', 'The lock file did not keep the wrapped key; the keychain copy was kept');
      this.file = back;
      this.locked = false;
      this.lastActivityAt = this.now();
      await this.o.store.detachKeychainKey();
      await this.audit(this.lockEvent('enable'));
      this.changed();
      return this.status();
    });
  }

  changePassphrase(input: { current: string; next: string }): Promise<AppLockStatus> {
    return this.serial(async () => {
      this.requireUnlocked();
      const c = await this.check('change', input.current, undefined, false);
      const f = this.requireFile();
      const kdf: Argon2Params = newArgon2Params(this.o.argon2 ?? SHIPPED_ARGON2);
      const kek = await deriveKek(input.next, kdf);
      this.save({
        ...f,
        kdf,
        wrappedKey: seal(kek, Buffer.from(c.keyHex, 'utf8'), AAD_DB_KEY),
        factorKey: seal(kek, c.factorKey, AAD_FACTOR_KEY),
        failedAttempts: 0,
        lockedUntil: null,
      });
      await this.audit(this.lockEvent('passphrase-change'));
      this.changed();
      return this.status();
    });
  }

  disable(input: { passphrase: string; code?: string }): Promise<AppLockStatus> {
    return this.serial(async () => {
      this.requireUnlocked();
      const c = await this.check('change', input.passphrase, input.code, true);
      // The plain copy is back in the keychain (written, read back, proven) before the wrapped one is dropped.
      await this.o.store.attachKeychainKey(c.keyHex);
      const pending = this.requireFile().pendingAudit;
      rmSync(this.filePath, { force: true });
      this.file = undefined;
      this.locked = false;
      this.enrol = undefined;
      for (const ev of pending) await this.audit(ev);
      await this.audit(this.lockEvent('disable'));
      this.changed();
      return this.status();
    });
  }

  setIdleMinutes(input: { idleMinutes: number }): Promise<AppLockStatus> {
    return this.serial(async () => {
      const f = this.requireUnlocked();
      this.save({ ...f, idleMinutes: input.idleMinutes });
      await this.audit(this.lockEvent('idle-change', `${input.idleMinutes} min`));
      this.changed();
      return this.status();
    });
  }

  lock(reason = 'user'): Promise<AppLockStatus> {
    return this.serial(async () => {
      this.requireFile();
      if (this.locked) return this.status();
      // Recorded while the database is still open; then it closes and the key is forgotten.
      await this.audit(this.lockEvent('lock', reason));
      this.enrol = undefined;
      this.locked = true;
      await this.o.store.lock();
      this.changed();
      return this.status();
    });
  }

  unlock(input: { passphrase: string; code?: string }): Promise<AppLockStatus> {
    return this.serial(async () => {
      this.requireFile();
      if (!this.locked) return this.status();
      const c = await this.check('unlock', input.passphrase, input.code, true);
      this.unlocking = true;
      try {
        await this.o.store.unlockWithKey(c.keyHex);
      } finally {
        this.unlocking = false;
      }
      if (!this.o.store.ready) throw new EvolveError('UNAVAILABLE', this.o.store.status().message ?? 'The store did not open');
      this.locked = false;
      this.lastActivityAt = this.now();
      // Queued rows first (they happened before this success), then the success itself.
      await this.flushAudit();
      await this.succeed('unlock', c.factor);
      this.changed();
      return this.status();
    });
  }

  /** Admin re-authentication (roles, L3): passphrase AND, with TOTP on, a valid code. Audited and rate-limited. */
  verifyAdmin(input: { passphrase: string; code?: string }): Promise<boolean> {
    return this.serial(async () => {
      if (!this.file || this.corrupt) return false;
      try {
        const c = await this.check('admin', input.passphrase, input.code, true);
        await this.succeed('admin', c.factor);
        return true;
      } catch (e) {
        if (isEvolveError(e) && ['UNAUTHENTICATED', 'RESOURCE_EXHAUSTED', 'INVALID_ARGUMENT'].includes(e.code)) return false;
        throw e;
      }
    });
  }

  totpBegin(input: { passphrase: string }): Promise<TotpBeginResult> {
    return this.serial(async () => {
      const f0 = this.requireUnlocked();
      if (f0.totp?.state === 'on') throw new EvolveError('CONFLICT', 'The second factor is already on');
      const c = await this.check('change', input.passphrase, undefined, false);
      const f = this.requireFile();
      const secret = newTotpSecret();
      this.save({ ...f, totp: { state: 'pending', secret: seal(c.factorKey, Buffer.from(secret, 'utf8'), AAD_TOTP), lastStep: null } });
      this.enrol = { factorKey: c.factorKey, secret };
      const uri = otpauthUri(secret);
      const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      this.changed();
      return { otpauthUri: uri, qrSvg, secretBase32: secret };
    });
  }

  totpConfirm(input: { code: string }): Promise<{ recoveryCodes: string[] }> {
    return this.serial(async () => {
      const f = this.requireUnlocked();
      if (f.totp?.state !== 'pending' || !this.enrol)
        throw new EvolveError('CONFLICT', 'Start the authenticator set-up first (it does not survive a restart or a lock)');
      const step = acceptTotp(this.enrol.secret, input.code, this.now(), null);
      if (step === null)
        throw new EvolveError('UNAUTHENTICATED', 'That code is not right: check the time on this machine and on your phone');
      const codes = newRecoveryCodes();
      const factorKey = this.enrol.factorKey;
      this.save({
        ...f,
        totp: { ...f.totp, state: 'on', lastStep: step },
        recoveryCodes: codes.map((code) => ({ hash: hashRecoveryCode(factorKey, normalizeRecoveryCode(code) ?? code), used: false })),
      });
      this.enrol = undefined;
      await this.audit(this.lockEvent('totp-on'));
      this.changed();
      return { recoveryCodes: codes };
    });
  }

  totpDisable(input: { passphrase: string; code: string }): Promise<AppLockStatus> {
    return this.serial(async () => {
      this.requireUnlocked();
      await this.check('change', input.passphrase, input.code, true);
      this.save({ ...this.requireFile(), totp: null, recoveryCodes: [] });
      await this.audit(this.lockEvent('totp-off'));
      this.changed();
      return this.status();
    });
  }

  recoveryCodesRegenerate(input: { passphrase: string; code: string }): Promise<{ recoveryCodes: string[] }> {
    return this.serial(async () => {
      const f0 = this.requireUnlocked();
      if (f0.totp?.state !== 'on') throw new EvolveError('CONFLICT', 'Recovery codes come with the second factor: turn it on first');
      const c = await this.check('change', input.passphrase, input.code, true);
      const codes = newRecoveryCodes();
      this.save({
        ...this.requireFile(),
        recoveryCodes: codes.map((code) => ({ hash: hashRecoveryCode(c.factorKey, normalizeRecoveryCode(code) ?? code), used: false })),
      });
      await this.audit(this.lockEvent('recovery-codes'));
      this.changed();
      return { recoveryCodes: codes };
    });
  }

  /** User activity seen by the page: restarts the idle timer. */
  activity(): void {
    this.lastActivityAt = this.now();
  }

  /** The idle check (timer) and OS events (desktop app: suspend, screen lock) go through the pure decision. */
  async tick(trigger: LockTrigger = { kind: 'tick', now: this.now() }): Promise<boolean> {
    const f = this.file;
    if (!f || this.corrupt) return false;
    const state = { enabled: true, locked: this.locked, idleMinutes: f.idleMinutes, lastActivityAt: this.lastActivityAt };
    if (!shouldLock(state, trigger)) return false;
    await this.lock(trigger.kind === 'os' ? `os:${trigger.event}` : 'idle');
    return true;
  }

  /** ms until the idle lock would fire (diagnostics), null if it never will. */
  msUntilIdleLock(): number | null {
    const f = this.file;
    if (!f) return null;
    return msUntilIdleLock(
      { enabled: true, locked: this.locked, idleMinutes: f.idleMinutes, lastActivityAt: this.lastActivityAt },
      this.now(),
    );
  }

  /**
   * The store opened without this service (the recovery key — a way in that always stays): the app is unlocked,
   * queued rows are written, and the keychain's plain copy that recovery put back is removed again while the lock
   * file still wraps the same key.
   */
  private async onStoreReady(): Promise<void> {
    if (this.unlocking || !this.file || !this.locked) return;
    this.locked = false;
    this.lastActivityAt = this.now();
    try {
      const keyHex = this.o.store.exportKeyForLock();
      if (keyIdOf(keyHex) === this.file.keyId) await this.o.store.detachKeychainKey();
      else this.o.log('warn', 'app lock: the store key changed since the lock was set; turn the lock off and on again');
      await this.flushAudit();
      await this.succeed('unlock', 'recovery-key');
    } catch (e) {
      this.o.log('warn', `app lock after a recovery-key unlock: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.changed();
  }
}
