// Result values: errors cross boundaries as `{ ok: false, error }`, never as thrown exceptions.
import { z } from 'zod';
import { ErrorInfoSchema, EvolveError, toErrorInfo, type ErrorInfo } from './errors';

export type Ok<T> = { ok: true; value: T };
export type Err = { ok: false; error: ErrorInfo };
export type Result<T> = Ok<T> | Err;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = (error: ErrorInfo): Err => ({ ok: false, error });

/** Runs `fn` and captures any throw as a typed Err. */
export async function wrapResult<T>(fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (e) {
    return err(toErrorInfo(e));
  }
}

/** Unwraps a Result, rethrowing its error as an EvolveError (for code that prefers exceptions). */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new EvolveError(r.error.code, r.error.message, r.error.details);
}

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: ErrorInfoSchema })]);
}
