// Turns anything the UI catches (typed error values, thrown errors) into one readable shape.
import type { ErrorInfo } from '../../common/errors';

export type UiError = Pick<ErrorInfo, 'code' | 'message'>;

export function toUiError(e: unknown): UiError {
  if (typeof e === 'object' && e !== null && 'code' in e && 'message' in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    if (typeof code === 'string' && typeof message === 'string') return { code: code as UiError['code'], message };
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

const FRIENDLY: Partial<Record<UiError['code'], string>> = {
  INVALID_ARGUMENT: 'Invalid request',
  UNAUTHENTICATED: 'Not authenticated',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  RESOURCE_EXHAUSTED: 'Out of resources',
  UNAVAILABLE: 'Unavailable',
  TIMEOUT: 'Timed out',
  CANCELLED: 'Cancelled',
  CORRUPT: 'Data is corrupt',
  INTERNAL: 'Unexpected error',
};

export const errorTitle = (e: UiError): string => FRIENDLY[e.code] ?? e.code;
