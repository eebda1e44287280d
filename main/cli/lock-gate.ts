// The command line's app lock gate: with the lock on, a CLI process starts locked like the app (the keychain holds
// no usable database key), so a command refuses to act unless the lock passphrase — and the second factor when TOTP
// is on — is given in the environment; that unlock goes through the lock service (rate-limited and audited).
import { EvolveError } from '../../common/errors';

/** The part of the app lock service the CLI needs. */
export interface CliLock {
  isLocked(): boolean;
  unlock(input: { passphrase: string; code?: string }): Promise<unknown>;
}

export const CLI_LOCKED_MESSAGE =
  'Evolve Studio is locked (the app lock is on), so this command cannot act. Set EVOLVE_LOCK_PASSPHRASE to the lock ' +
  'passphrase, and EVOLVE_LOCK_CODE to an authenticator or recovery code when two-step verification is on.';

/** Resolves when the app is unlocked (or the lock is off); throws a typed error otherwise. */
export async function unlockForCli(lock: CliLock, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!lock.isLocked()) return;
  const passphrase = env.EVOLVE_LOCK_PASSPHRASE;
  if (!passphrase) throw new EvolveError('UNAUTHENTICATED', CLI_LOCKED_MESSAGE);
  const code = env.EVOLVE_LOCK_CODE?.trim();
  try {
    await lock.unlock(code ? { passphrase, code } : { passphrase });
  } catch (e) {
    // The service's own message says what was wrong (passphrase, code, the delay to wait); keep its code.
    if (e instanceof EvolveError) throw new EvolveError(e.code, `Could not unlock Evolve Studio: ${e.message}`, e.details);
    throw e;
  }
  if (lock.isLocked()) throw new EvolveError('UNAUTHENTICATED', CLI_LOCKED_MESSAGE);
}
