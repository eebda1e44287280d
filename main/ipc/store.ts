// Handlers for the `store` domain.
import { storeContract } from '../../common/contracts/store';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const storeHandlers = (s: AppServices) =>
  implement(storeContract, {
    status: () => s.store.status(),
    takeRecoveryKey: () => ({ recoveryKey: s.store.takeRecoveryKey() }),
    unlockWithPassphrase: ({ passphrase }) => s.store.unlockWithPassphrase(passphrase),
    unlockWithRecoveryKey: ({ recoveryKey }) => s.store.unlockWithRecoveryKey(recoveryKey),
    backups: () => s.store.listBackups(),
    restore: ({ name }) => s.store.restore(name),
    backup: (_input, ctx, sink) => s.store.backup((p) => sink.emit(p), ctx.signal),
  });
