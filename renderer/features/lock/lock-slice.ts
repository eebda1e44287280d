// App lock state in the page: the lock status (polled: an idle or OS-sleep lock happens in main), the lock screen's
// unlock flow (passphrase, then the second factor when main asks for it, the lockout's retry time), the Security
// panel's actions (enable, change, disable, TOTP enrolment, recovery codes shown once) and throttled activity reports.
import type { AppLockStatus, TotpBeginResult } from '../../../common/security/app-lock';
import { UnlockRefusalSchema } from '../../../common/security/app-lock';
import type { ErrorInfo } from '../../../common/errors';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import { toUiError, type UiError } from '../../lib/errors';

/** Activity is reported at most this often: the idle timeout is whole minutes, so this costs nothing in accuracy. */
export const ACTIVITY_REPORT_MS = 20_000;

export interface AppLockSlice {
  appLock: {
    status: AppLockStatus | null;
    /** Set once the first status call answered (ok or not): until then the app shows neither the lock nor the data. */
    checked: boolean;
    /** Lock screen. */
    unlockBusy: boolean;
    unlockError: UiError | null;
    /**
     * The second step is showing: with TOTP on the passphrase and the code go to main together (main checks neither
     * alone, so a passphrase guess learns nothing without the code); also set when main says a code is missing.
     */
    needsCode: boolean;
    /** When the next attempt is accepted (ms since epoch), during the delay after failures; null otherwise. */
    retryAt: number | null;
    /** Security panel. */
    busy: boolean;
    error: UiError | null;
    /** The TOTP enrolment in progress (the secret lives here until confirmed or cancelled, never persisted). */
    enrolment: TotpBeginResult | null;
    /** Recovery codes just issued: shown once, cleared by dismissRecoveryCodes. */
    recoveryCodes: string[] | null;
  };
  loadAppLock(): Promise<void>;
  unlockApp(passphrase: string, code?: string): Promise<boolean>;
  /** Forgotten lock passphrase: the store's recovery key opens the data (main counts it as an unlock). */
  unlockAppWithRecoveryKey(recoveryKey: string): Promise<boolean>;
  /** Passphrase typed and TOTP on: show the code step (nothing is sent yet). */
  askForCode(): void;
  /** Back from the code step to the passphrase (the user mistyped it). */
  resetUnlock(): void;
  lockApp(): Promise<void>;
  /** Called on user input; sends `appLock.activity` at most every ACTIVITY_REPORT_MS. */
  reportActivity(now?: number): void;
  enableAppLock(passphrase: string, idleMinutes: number): Promise<boolean>;
  changeAppLockPassphrase(current: string, next: string): Promise<boolean>;
  disableAppLock(passphrase: string, code?: string): Promise<boolean>;
  setAppLockIdleMinutes(idleMinutes: number): Promise<boolean>;
  beginTotp(passphrase: string): Promise<boolean>;
  confirmTotp(code: string): Promise<boolean>;
  cancelTotpEnrolment(): void;
  disableTotp(passphrase: string, code: string): Promise<boolean>;
  regenerateRecoveryCodes(passphrase: string, code: string): Promise<boolean>;
  dismissRecoveryCodes(): void;
}

/** The refusal details main attaches to a failed unlock (UNAUTHENTICATED or RESOURCE_EXHAUSTED), if any. */
export function refusalOf(e: ErrorInfo): { retryAfterMs: number; needsCode: boolean } | null {
  const d = UnlockRefusalSchema.safeParse(e.details);
  return d.success ? { retryAfterMs: d.data.retryAfterMs, needsCode: d.data.needsCode ?? false } : null;
}

const toUi = (e: ErrorInfo): UiError => ({ code: e.code, message: e.message });

let lastActivitySent = 0;

export const createAppLockSlice: SliceCreator<AppLockSlice> = (set, get) => {
  const patch = (p: Partial<AppLockSlice['appLock']>) => set({ appLock: { ...get().appLock, ...p } });
  const retryFrom = (s: AppLockStatus) => (s.lockedUntil !== null && s.lockedUntil > Date.now() ? s.lockedUntil : null);
  /** Runs a Security panel action: busy while it runs, its error shown inline, the new status kept. */
  const action = async <T>(
    run: () => Promise<{ ok: true; value: T } | { ok: false; error: ErrorInfo }>,
    then: (v: T) => void | Promise<void>,
  ) => {
    patch({ busy: true, error: null });
    const r = await run();
    if (!r.ok) {
      patch({ busy: false, error: toUi(r.error) });
      return false;
    }
    patch({ busy: false });
    await then(r.value);
    return true;
  };
  return {
    appLock: {
      status: null,
      checked: false,
      unlockBusy: false,
      unlockError: null,
      needsCode: false,
      retryAt: null,
      busy: false,
      error: null,
      enrolment: null,
      recoveryCodes: null,
    },
    async loadAppLock() {
      // A failed status call must not leave the app blank: without an answer the app shows as unlocked, and main's
      // own gates (host socket, store) still refuse what a locked app must not do.
      const r = await getApi()
        .appLock.status({})
        .catch((e: unknown) => ({ ok: false as const, error: toUiError(e) }));
      if (!r.ok) return patch({ checked: true });
      const wasLocked = get().appLock.status?.locked ?? false;
      // The later of the status's lockedUntil and a refusal's retry time: either may be the fresher word.
      const known = get().appLock.retryAt;
      const fromStatus = retryFrom(r.value);
      const retryAt = known !== null && known > Date.now() && (fromStatus === null || known > fromStatus) ? known : fromStatus;
      patch({ status: r.value, checked: true, retryAt: r.value.locked ? retryAt : null });
      // Locked by idleness or sleep while the page showed data: start the lock screen from its first step.
      if (r.value.locked && !wasLocked) patch({ needsCode: false, unlockError: null });
    },
    async unlockApp(passphrase, code) {
      patch({ unlockBusy: true, unlockError: null });
      const r = await getApi().appLock.unlock(code === undefined ? { passphrase } : { passphrase, code });
      if (r.ok) {
        patch({ status: r.value, unlockBusy: false, needsCode: false, retryAt: null, unlockError: null });
        // The store reopened: refresh what the shell shows; the sections load their own data as they mount again.
        void get().loadVault();
        void get().loadStatus();
        void get().loadSettings();
        return true;
      }
      const refusal = refusalOf(r.error);
      // A wrong answer sends the user back to the passphrase (main does not say which factor was wrong); a missing code
      // (TOTP turned on elsewhere) or main's needsCode keeps/brings the code step.
      const missingCode = code === undefined && r.error.code === 'INVALID_ARGUMENT';
      patch({
        unlockBusy: false,
        unlockError: missingCode ? null : toUi(r.error),
        needsCode: refusal?.needsCode ?? missingCode,
        retryAt: refusal && refusal.retryAfterMs > 0 ? Date.now() + refusal.retryAfterMs : null,
      });
      void get().loadAppLock();
      return false;
    },
    askForCode() {
      patch({ needsCode: true, unlockError: null });
    },
    async unlockAppWithRecoveryKey(recoveryKey) {
      patch({ unlockBusy: true, unlockError: null });
      const r = await getApi().store.unlockWithRecoveryKey({ recoveryKey: recoveryKey.trim() });
      patch({ unlockBusy: false, ...(r.ok ? { needsCode: false, retryAt: null } : { unlockError: toUi(r.error) }) });
      await get().loadAppLock();
      if (!r.ok) return false;
      void get().loadVault();
      void get().loadStatus();
      void get().loadSettings();
      return true;
    },
    resetUnlock() {
      patch({ needsCode: false, unlockError: null });
    },
    async lockApp() {
      const r = await getApi().appLock.lock({});
      if (r.ok) patch({ status: r.value, needsCode: false, unlockError: null, retryAt: retryFrom(r.value) });
      else get().notify({ kind: 'error', title: 'Could not lock', message: r.error.message });
    },
    reportActivity(now = Date.now()) {
      const s = get().appLock.status;
      if (!s?.enabled || s.locked || s.idleMinutes === 0) return;
      if (now - lastActivitySent < ACTIVITY_REPORT_MS) return;
      lastActivitySent = now;
      void getApi().appLock.activity({});
    },
    enableAppLock: (passphrase, idleMinutes) =>
      action(
        () => getApi().appLock.enable({ passphrase, idleMinutes }),
        (status) => patch({ status }),
      ),
    changeAppLockPassphrase: (current, next) =>
      action(
        () => getApi().appLock.changePassphrase({ current, next }),
        (status) => patch({ status }),
      ),
    disableAppLock: (passphrase, code) =>
      action(
        () => getApi().appLock.disable(code ? { passphrase, code } : { passphrase }),
        (status) => patch({ status, enrolment: null }),
      ),
    setAppLockIdleMinutes: (idleMinutes) =>
      action(
        () => getApi().appLock.setIdleMinutes({ idleMinutes }),
        (status) => patch({ status }),
      ),
    beginTotp: (passphrase) =>
      action(
        () => getApi().appLock.totpBegin({ passphrase }),
        async (enrolment) => {
          patch({ enrolment });
          await get().loadAppLock();
        },
      ),
    confirmTotp: (code) =>
      action(
        () => getApi().appLock.totpConfirm({ code }),
        async (v) => {
          patch({ enrolment: null, recoveryCodes: v.recoveryCodes });
          await get().loadAppLock();
        },
      ),
    cancelTotpEnrolment() {
      patch({ enrolment: null, error: null });
    },
    disableTotp: (passphrase, code) =>
      action(
        () => getApi().appLock.totpDisable({ passphrase, code }),
        (status) => patch({ status, recoveryCodes: null }),
      ),
    regenerateRecoveryCodes: (passphrase, code) =>
      action(
        () => getApi().appLock.recoveryCodesRegenerate({ passphrase, code }),
        async (v) => {
          patch({ recoveryCodes: v.recoveryCodes });
          await get().loadAppLock();
        },
      ),
    dismissRecoveryCodes() {
      patch({ recoveryCodes: null });
    },
  };
};
