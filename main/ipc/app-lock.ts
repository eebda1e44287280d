// Handlers for the `appLock` domain: the app lock service (main/services/security/app-lock).
import { appLockContract } from '../../common/contracts/app-lock';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const appLockHandlers = (s: AppServices) =>
  implement(appLockContract, {
    status: async () => s.appLock.status(),
    enable: (input) => s.appLock.enable(input),
    changePassphrase: (input) => s.appLock.changePassphrase(input),
    disable: (input) => s.appLock.disable(input),
    setIdleMinutes: (input) => s.appLock.setIdleMinutes(input),
    lock: () => s.appLock.lock(),
    unlock: (input) => s.appLock.unlock(input),
    totpBegin: (input) => s.appLock.totpBegin(input),
    totpConfirm: (input) => s.appLock.totpConfirm(input),
    totpDisable: (input) => s.appLock.totpDisable(input),
    recoveryCodesRegenerate: (input) => s.appLock.recoveryCodesRegenerate(input),
    activity: async () => {
      s.appLock.activity();
      return { ok: true as const };
    },
  });
