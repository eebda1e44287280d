// Contract for the `appLock` domain: the optional lock passphrase + TOTP second factor that closes the database and
// drops its key while locked (issue 14 item 1). Secrets (TOTP secret, recovery codes) cross this boundary once.
import { z } from 'zod';
import {
  AppLockStatusSchema,
  IdleMinutesSchema,
  LockCodeSchema,
  LockPassphraseSchema,
  RecoveryCodesSchema,
  TotpBeginResultSchema,
} from '../security/app-lock';
import { call, defineDomain } from './define';

const Empty = z.object({}).strict();
const Passphrase = z.object({ passphrase: LockPassphraseSchema }).strict();

export const appLockContract = defineDomain('appLock', {
  status: call({ input: Empty, output: AppLockStatusSchema, doc: "The app lock's state." }),
  /** Sets the lock passphrase: the DB key is wrapped by it and the keychain's plain copy removed (CONFLICT: already on). */
  enable: call({
    input: z.object({ passphrase: LockPassphraseSchema, idleMinutes: IdleMinutesSchema }).strict(),
    output: AppLockStatusSchema,
    doc: 'Turn the app lock on with a passphrase.',
  }),
  changePassphrase: call({
    input: z.object({ current: LockPassphraseSchema, next: LockPassphraseSchema }).strict(),
    output: AppLockStatusSchema,
    doc: 'Change the lock passphrase.',
  }),
  /** Turns the lock off (TOTP on: a code is needed too); the plain key goes back to the keychain first. */
  disable: call({
    input: z.object({ passphrase: LockPassphraseSchema, code: LockCodeSchema.optional() }).strict(),
    output: AppLockStatusSchema,
    doc: 'Turn the app lock off.',
  }),
  setIdleMinutes: call({
    input: z.object({ idleMinutes: IdleMinutesSchema }).strict(),
    output: AppLockStatusSchema,
    doc: 'Set the idle timeout (0: never).',
  }),
  /** Locks now: the database closes and its key is forgotten. */
  lock: call({ input: Empty, output: AppLockStatusSchema, doc: 'Lock the app now.' }),
  /**
   * UNAUTHENTICATED (details: UnlockRefusal) on a wrong passphrase/code; RESOURCE_EXHAUSTED with `retryAfterMs`
   * during the growing delay after failures. `code`: a TOTP code or a recovery code (consumed).
   */
  unlock: call({
    input: z.object({ passphrase: LockPassphraseSchema, code: LockCodeSchema.optional() }).strict(),
    output: AppLockStatusSchema,
    doc: 'Unlock the app.',
  }),
  /** Starts TOTP enrolment: a new secret, pending until totpConfirm sees a right code. */
  totpBegin: call({ input: Passphrase, output: TotpBeginResultSchema, doc: 'Begin TOTP enrolment (QR code).' }),
  /** Turns TOTP on and returns the 10 single-use recovery codes, shown this once. */
  totpConfirm: call({
    input: z.object({ code: LockCodeSchema }).strict(),
    output: z.object({ recoveryCodes: RecoveryCodesSchema }).strict(),
    doc: 'Confirm TOTP enrolment with a first code.',
  }),
  totpDisable: call({
    input: z.object({ passphrase: LockPassphraseSchema, code: LockCodeSchema }).strict(),
    output: AppLockStatusSchema,
    doc: 'Turn the TOTP second factor off.',
  }),
  recoveryCodesRegenerate: call({
    input: z.object({ passphrase: LockPassphraseSchema, code: LockCodeSchema }).strict(),
    output: z.object({ recoveryCodes: RecoveryCodesSchema }).strict(),
    doc: 'Replace the recovery codes (the old ones stop working).',
  }),
  /** The page saw user input: restarts the idle timer (cheap, not audited). */
  activity: call({ input: Empty, output: z.object({ ok: z.literal(true) }).strict(), doc: 'Report user activity.' }),
});
