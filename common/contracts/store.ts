// Contract for the `store` domain: the encrypted store's lock state, first-run recovery key, unlock
// paths (passphrase, recovery key) and online backup.
import { z } from 'zod';
import { EmptyInput } from './app';
import { call, defineDomain, stream } from './define';

export const StoreStatusSchema = z.object({
  /** starting · ready · needs-passphrase (no OS keychain, or passphrase mode) · needs-recovery (key lost) · error · locked (app lock: DB closed, key dropped) */
  state: z.enum(['starting', 'ready', 'needs-passphrase', 'needs-recovery', 'error', 'locked']),
  /** Where the database key lives: keytar, safeStorage:<backend>, passphrase, recovery-key. */
  backend: z.string().nullable(),
  dbPath: z.string(),
  /** A recovery key was created and has not been shown yet. */
  recoveryKeyPending: z.boolean(),
  message: z.string().optional(),
});
export type StoreStatus = z.infer<typeof StoreStatusSchema>;

export const BackupProgressSchema = z.object({
  totalPages: z.number().int().nonnegative(),
  remainingPages: z.number().int().nonnegative(),
});

export const storeContract = defineDomain('store', {
  /** Lock state and where the key lives. */
  status: call({ input: EmptyInput, output: StoreStatusSchema, doc: 'Encrypted store state.' }),
  /** The recovery key created at first run — returned once, then forgotten (null afterwards). */
  takeRecoveryKey: call({
    input: EmptyInput,
    output: z.object({ recoveryKey: z.string().nullable() }),
    doc: 'Show the recovery key once.',
  }),
  /** Sets (first time) or enters the passphrase that protects the key when no OS keychain is used. */
  unlockWithPassphrase: call({
    input: z.object({ passphrase: z.string().min(8).max(1024) }).strict(),
    output: StoreStatusSchema,
    doc: 'Unlock with a passphrase.',
  }),
  /** Opens the store with the recovery key (keychain changed or lost) and stores the key again. */
  unlockWithRecoveryKey: call({
    input: z.object({ recoveryKey: z.string().min(10).max(200) }).strict(),
    output: StoreStatusSchema,
    doc: 'Unlock with the recovery key.',
  }),
  /** Encrypted backups in the data directory's backups folder, newest first. */
  backups: call({
    input: EmptyInput,
    output: z.array(z.object({ name: z.string(), bytes: z.number().int().nonnegative(), createdAt: z.number() })),
    doc: 'List backups.',
  }),
  /** Restores a backup (by name from `backups`) after checking it; the replaced file is kept aside. */
  restore: call({
    input: z.object({ name: z.string().min(1).max(255) }).strict(),
    output: z.object({ keptAsidePath: z.string().nullable(), status: StoreStatusSchema }),
    doc: 'Restore a backup.',
  }),
  /** Online encrypted backup into the data directory's backups folder, with page progress. */
  backup: stream({
    input: EmptyInput,
    event: BackupProgressSchema,
    output: z.object({ path: z.string(), bytes: z.number().int().nonnegative() }),
    doc: 'Back up the encrypted database.',
  }),
});
