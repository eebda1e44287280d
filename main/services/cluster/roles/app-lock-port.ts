// Adapts the app lock (L1's AppLockService) to the roles' re-authentication port: null while the lock is off (raising
// is then refused), else its verifyAdmin (passphrase + TOTP code when enrolled; audited and rate-limited there).
import type { AppLockService } from '../../security/app-lock/app-lock-service';
import type { Reauthenticate } from './role-service';

export const appLockReauth =
  (lock: Pick<AppLockService, 'status' | 'verifyAdmin'>): (() => Reauthenticate | null) =>
  () =>
    lock.status().enabled
      ? (proof) => lock.verifyAdmin({ passphrase: proof.passphrase, ...(proof.code ? { code: proof.code } : {}) })
      : null;
