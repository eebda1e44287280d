// Encrypted-store state in the page: lock state, unlock actions, the one-time recovery key, backups.
import type { StoreStatus } from '../../../common/contracts/store';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';

export interface VaultSlice {
  vault: {
    status: StoreStatus | null;
    error: UiError | null;
    busy: boolean;
    /** Shown once after first run until the user confirms they saved it. */
    recoveryKey: string | null;
    backup: { running: boolean; done: number; total: number; lastPath: string | null; error: UiError | null };
    backups: { name: string; bytes: number; createdAt: number }[];
    restored: string | null;
  };
  loadBackups(): Promise<void>;
  restoreBackup(name: string): Promise<void>;
  loadVault(): Promise<void>;
  unlockWithPassphrase(passphrase: string): Promise<void>;
  unlockWithRecoveryKey(recoveryKey: string): Promise<void>;
  dismissRecoveryKey(): void;
  runBackup(): Promise<void>;
  cancelBackup(): void;
}

let cancelBackup: (() => void) | null = null;

export const createVaultSlice: SliceCreator<VaultSlice> = (set, get) => {
  const patch = (p: Partial<VaultSlice['vault']>) => set({ vault: { ...get().vault, ...p } });
  const afterUnlock = async (status: StoreStatus) => {
    patch({ status, error: null, busy: false });
    if (status.recoveryKeyPending) {
      const r = await getApi().store.takeRecoveryKey({});
      if (r.ok && r.value.recoveryKey) patch({ recoveryKey: r.value.recoveryKey });
    }
    void get().loadStatus();
  };
  return {
    vault: {
      status: null,
      error: null,
      busy: false,
      recoveryKey: null,
      backup: { running: false, done: 0, total: 0, lastPath: null, error: null },
      backups: [],
      restored: null,
    },
    async loadBackups() {
      const r = await getApi().store.backups({});
      if (r.ok) patch({ backups: r.value });
    },
    async restoreBackup(name) {
      patch({ busy: true, error: null, restored: null });
      const r = await getApi().store.restore({ name });
      if (!r.ok) return patch({ busy: false, error: r.error });
      patch({ busy: false, status: r.value.status, restored: r.value.keptAsidePath });
      void get().loadStatus();
    },
    async loadVault() {
      const r = await getApi().store.status({});
      if (!r.ok) return patch({ error: r.error });
      await afterUnlock(r.value);
    },
    async unlockWithPassphrase(passphrase) {
      patch({ busy: true, error: null });
      const r = await getApi().store.unlockWithPassphrase({ passphrase });
      if (!r.ok) return patch({ busy: false, error: r.error });
      await afterUnlock(r.value);
    },
    async unlockWithRecoveryKey(recoveryKey) {
      patch({ busy: true, error: null });
      const r = await getApi().store.unlockWithRecoveryKey({ recoveryKey: recoveryKey.trim() });
      if (!r.ok) return patch({ busy: false, error: r.error });
      await afterUnlock(r.value);
    },
    dismissRecoveryKey() {
      patch({ recoveryKey: null });
    },
    async runBackup() {
      if (get().vault.backup.running) return;
      const setBackup = (b: Partial<VaultSlice['vault']['backup']>) => patch({ backup: { ...get().vault.backup, ...b } });
      setBackup({ running: true, done: 0, total: 0, error: null });
      const handle = getApi().store.backup({}, (p) => setBackup({ total: p.totalPages, done: p.totalPages - p.remainingPages }));
      cancelBackup = handle.cancel;
      const r = await handle.result;
      cancelBackup = null;
      setBackup(r.ok ? { running: false, lastPath: r.value.path } : { running: false, error: r.error });
      void get().loadBackups();
    },
    cancelBackup() {
      cancelBackup?.();
    },
  };
};
