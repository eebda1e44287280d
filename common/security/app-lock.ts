// The app lock's values as they cross boundaries (IPC, host, tests): status, inputs and one-time secrets, as zod schemas.
import { z } from 'zod';

/** The lock passphrase: at least 8 characters (the store passphrase's floor), at most 1024. */
export const LockPassphraseSchema = z.string().min(8).max(1024);

/** A second-factor entry: a 6-digit TOTP code, or a recovery code (xxxxx-xxxxx, case and dashes forgiven). */
export const LockCodeSchema = z
  .string()
  .trim()
  .min(6)
  .max(32)
  .regex(/^[0-9A-Za-z -]+$/);

/** Minutes of no user activity before the app locks itself; 0 = never by idleness. */
export const IdleMinutesSchema = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);

export const TotpStateSchema = z.enum(['off', 'pending', 'on']);
export type TotpState = z.infer<typeof TotpStateSchema>;

export const AppLockStatusSchema = z.object({
  /** A lock passphrase is set (the DB key is wrapped by it and no longer in the OS keychain in clear). */
  enabled: z.boolean(),
  /** Locked now: the database is closed and no process holds its key. */
  locked: z.boolean(),
  /** off · pending (secret made, waiting for the first code) · on. */
  totp: TotpStateSchema,
  /** Single-use recovery codes not yet used (0 when TOTP is off). */
  recoveryCodesLeft: z.number().int().min(0).max(10),
  idleMinutes: IdleMinutesSchema,
  /** While the failed-attempt delay runs: when the next attempt is allowed (ms since epoch); else null. */
  lockedUntil: z.number().int().nonnegative().nullable(),
  /** Failed attempts in a row since the last success (persisted: a restart does not reset it). */
  failedAttempts: z.number().int().nonnegative(),
});
export type AppLockStatus = z.infer<typeof AppLockStatusSchema>;

export const RecoveryCodesSchema = z.array(z.string().regex(/^[0-9a-z]{5}-[0-9a-z]{5}$/)).length(10);

export const TotpBeginResultSchema = z.object({
  /** otpauth://totp/… for authenticator apps. */
  otpauthUri: z.string().startsWith('otpauth://totp/'),
  /** The URI as a QR code, an SVG document rendered locally (nothing leaves the machine). */
  qrSvg: z.string().startsWith('<svg'),
  /** The secret for manual entry (RFC 4648 base32). */
  secretBase32: z.string().regex(/^[A-Z2-7]+=*$/),
});
export type TotpBeginResult = z.infer<typeof TotpBeginResultSchema>;

/** Details of an UNAUTHENTICATED (wrong input) or RESOURCE_EXHAUSTED (lockout) answer. */
export const UnlockRefusalSchema = z.object({
  failedAttempts: z.number().int().nonnegative(),
  /** ms to wait before the next attempt is accepted (0: none). */
  retryAfterMs: z.number().int().nonnegative(),
  /** Whether the code (second factor) is what was missing or wrong. */
  needsCode: z.boolean().optional(),
});
export type UnlockRefusal = z.infer<typeof UnlockRefusalSchema>;
