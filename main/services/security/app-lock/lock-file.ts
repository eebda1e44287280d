// The app lock's file (0600, atomic): KDF params + salt, the DB key wrapped by the KEK, the sealed TOTP secret,
// recovery code hashes, the failed-attempt counter and the audit rows waiting for the database to open.
import { z } from 'zod';
import { EvolveError } from '../../../../common/errors';
import { AuditEventSchema } from '../../../../common/store/audit';
import { SealedSchema } from '../../../../native/keychain/aead';
import { readJsonFile, writeJsonFileAtomic } from '../../../../native/keychain/secret-file';
import { Argon2ParamsSchema } from './kdf';

/** AAD strings bind each ciphertext to its purpose: a sealed TOTP secret cannot be passed off as the DB key. */
export const AAD_DB_KEY = 'evolve/app-lock/db-key/v1';
export const AAD_TOTP = 'evolve/app-lock/totp-secret/v1';
export const AAD_FACTOR_KEY = 'evolve/app-lock/factor-key/v1';

export const LockFileSchema = z.object({
  version: z.literal(1),
  kdf: Argon2ParamsSchema,
  /** The database key (hex) sealed under the KEK; unsealing it is also the passphrase check. */
  wrappedKey: SealedSchema,
  /** keyIdOf(DB key): tells whether the wrapped key is still the store's key. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /**
   * A random key sealed under the KEK that seals the TOTP secret and keys the recovery-code hashes: a passphrase
   * change rewraps only it (the code hashes cannot be recomputed without the codes).
   */
  factorKey: SealedSchema,
  idleMinutes: z.number().int().min(0).max(1440),
  totp: z
    .object({
      state: z.enum(['pending', 'on']),
      secret: SealedSchema,
      /** The last accepted time step (replay refusal), null before the first. */
      lastStep: z.number().int().nullable(),
    })
    .nullable(),
  recoveryCodes: z.array(z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), used: z.boolean() })).max(10),
  failedAttempts: z.number().int().nonnegative(),
  lockedUntil: z.number().int().nonnegative().nullable(),
  /** Audit rows recorded while the database was closed; written (then removed here) at the next unlock. */
  pendingAudit: z.array(AuditEventSchema).max(10_000),
  createdAt: z.number().int().nonnegative(),
});
export type LockFile = z.infer<typeof LockFileSchema>;

/** Reads the lock file; undefined when the lock is off; CORRUPT (typed) when it cannot be trusted. */
export function readLockFile(path: string): LockFile | undefined {
  try {
    return readJsonFile(path, LockFileSchema);
  } catch (e) {
    if (e instanceof EvolveError) throw e;
    throw new EvolveError('CORRUPT', `The app lock file ${path} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export const writeLockFile = (path: string, f: LockFile): void => writeJsonFileAtomic(path, f);
