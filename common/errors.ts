// The small, documented set of error codes that cross every boundary (IPC, WebSocket, worker RPC) as values.
import { z } from 'zod';

/**
 * Error codes, deliberately few (Signal's wrapResult / gRPC status codes are the model):
 * - INVALID_ARGUMENT: the payload failed its schema or a precondition of the input.
 * - UNAUTHENTICATED: missing/invalid launch token, wrong database key or passphrase.
 * - FORBIDDEN: the caller is not allowed (foreign sender/origin, policy such as offline-only).
 * - NOT_FOUND: the named thing does not exist.
 * - CONFLICT: the thing exists or is in a state that forbids this (already running, already loaded).
 * - RESOURCE_EXHAUSTED: out of memory / disk / budget / too large.
 * - UNAVAILABLE: a dependency is down or not installed (worker crashed, cluster unreachable, no keychain).
 * - TIMEOUT: the operation did not finish in its time.
 * - CANCELLED: the caller cancelled.
 * - CORRUPT: data failed an integrity check (bad GGUF, corrupt DB, broken audit chain).
 * - INTERNAL: a bug; details go to the log, a readable message to the user.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RESOURCE_EXHAUSTED',
  'UNAVAILABLE',
  'TIMEOUT',
  'CANCELLED',
  'CORRUPT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ErrorInfoSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

/** A typed error that services throw; boundaries turn it into an ErrorInfo value. */
export class EvolveError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'EvolveError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isEvolveError(e: unknown): e is EvolveError {
  return e instanceof EvolveError;
}

/** Turns anything thrown into an ErrorInfo; unknown errors become INTERNAL with a readable message. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof EvolveError) return e.toInfo();
  if (isAbortError(e)) return { code: 'CANCELLED', message: 'Cancelled' };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: message || 'Unexpected error' };
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || (e as { code?: unknown }).code === 'ABORT_ERR');
}
