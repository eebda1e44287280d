// Maps SDK / HTTP failures of any vendor onto EvolveError codes with retry hints the router understands.
import { EvolveError, isAbortError } from '../../../common/errors';

export interface ProviderErrorDetails {
  providerId: string;
  status?: number;
  /** Parsed from retry-after / retry-after-ms; the router honours it. */
  retryAfterMs?: number;
  /** Whether retrying the same provider may help (429, 5xx, connection trouble). */
  retryable: boolean;
  vendorType?: string;
}

/** Parses `retry-after-ms`, then `retry-after` (seconds or an HTTP date). */
export function parseRetryAfter(get: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const ms = get('retry-after-ms');
  if (ms) {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = get('retry-after');
  if (!ra) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const date = Date.parse(ra);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

function headerGetter(headers: unknown): (name: string) => string | null | undefined {
  if (headers && typeof (headers as Headers).get === 'function') return (n) => (headers as Headers).get(n);
  if (headers && typeof headers === 'object') {
    const rec = headers as Record<string, unknown>;
    return (n) => {
      const v = rec[n] ?? rec[n.toLowerCase()];
      return typeof v === 'string' ? v : undefined;
    };
  }
  return () => undefined;
}

function codeForStatus(status: number): { code: EvolveError['code']; retryable: boolean } {
  if (status === 401) return { code: 'UNAUTHENTICATED', retryable: false };
  if (status === 403) return { code: 'FORBIDDEN', retryable: false };
  if (status === 404) return { code: 'NOT_FOUND', retryable: false };
  if (status === 408) return { code: 'TIMEOUT', retryable: true };
  if (status === 409) return { code: 'CONFLICT', retryable: true };
  if (status === 413) return { code: 'RESOURCE_EXHAUSTED', retryable: false };
  if (status === 429) return { code: 'RESOURCE_EXHAUSTED', retryable: true };
  if (status >= 500) return { code: 'UNAVAILABLE', retryable: true };
  return { code: 'INVALID_ARGUMENT', retryable: false };
}

/** Vendor error bodies: OpenAI {error:{message,type}}, Anthropic {type:'error',error:{type,message}}, TGI {error,error_type}. */
function vendorMessage(body: unknown): { message?: string; type?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const inner = b['error'];
  if (typeof inner === 'string') {
    const t = b['error_type'];
    return { message: inner, ...(typeof t === 'string' ? { type: t } : {}) };
  }
  if (inner && typeof inner === 'object') {
    const i = inner as Record<string, unknown>;
    const msg = typeof i['message'] === 'string' ? i['message'] : undefined;
    const type = typeof i['type'] === 'string' ? i['type'] : undefined;
    return { ...(msg ? { message: msg } : {}), ...(type ? { type } : {}) };
  }
  if (typeof b['message'] === 'string') return { message: b['message'] };
  return {};
}

/** Turns whatever an SDK threw into an EvolveError; already-typed errors pass through. */
export function toProviderError(e: unknown, providerId: string, signal?: AbortSignal): EvolveError {
  if (e instanceof EvolveError) return e;
  if (signal?.aborted) return new EvolveError('CANCELLED', `Request to ${providerId} was cancelled`, { providerId, retryable: false });
  const ctorName = e instanceof Error ? `${e.name} ${e.constructor.name}` : '';
  if (isAbortError(e) || /abort/i.test(ctorName)) {
    return new EvolveError('CANCELLED', `Request to ${providerId} was cancelled`, { providerId, retryable: false });
  }
  if (e instanceof Error && e.cause instanceof EvolveError) return e.cause;
  const rec = (e && typeof e === 'object' ? e : {}) as Record<string, unknown>;
  // openai/anthropic APIError: status + headers + error; HF: httpResponse {status, body}
  const httpResponse = rec['httpResponse'] as Record<string, unknown> | undefined;
  const status =
    typeof rec['status'] === 'number'
      ? rec['status']
      : typeof httpResponse?.['status'] === 'number'
        ? (httpResponse['status'] as number)
        : undefined;
  const name = e instanceof Error ? e.constructor.name || e.name : '';
  if (/Timeout/i.test(name)) {
    return new EvolveError('TIMEOUT', `${providerId} did not answer in time`, {
      providerId,
      retryable: true,
    } satisfies ProviderErrorDetails);
  }
  if (status === undefined) {
    if (e instanceof SyntaxError) {
      return new EvolveError('CORRUPT', `${providerId} sent a malformed response: ${e.message}`, {
        providerId,
        retryable: true,
      } satisfies ProviderErrorDetails);
    }
    const msg = e instanceof Error ? e.message : String(e);
    if (/Connection|fetch failed|ECONN|socket|terminated|network/i.test(`${name} ${msg}`)) {
      return new EvolveError('UNAVAILABLE', `Could not reach ${providerId}: ${msg}`, {
        providerId,
        retryable: true,
      } satisfies ProviderErrorDetails);
    }
    if (/malformed|JSON|Unexpected token|Unexpected end/i.test(msg)) {
      return new EvolveError('CORRUPT', `${providerId} sent a malformed response: ${msg}`, {
        providerId,
        retryable: true,
      } satisfies ProviderErrorDetails);
    }
    return new EvolveError('UNAVAILABLE', `${providerId} failed: ${msg}`, { providerId, retryable: true } satisfies ProviderErrorDetails);
  }
  const { code, retryable } = codeForStatus(status);
  const body = rec['error'] ?? httpResponse?.['body'];
  const vm = vendorMessage(body && typeof body === 'object' && 'error' in body ? body : { error: body });
  const retryAfterMs = parseRetryAfter(headerGetter(rec['headers'] ?? (httpResponse?.['headers'] as unknown)));
  const details: ProviderErrorDetails = {
    providerId,
    status,
    retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(vm.type ? { vendorType: vm.type } : {}),
  };
  const text = vm.message ?? (e instanceof Error ? e.message : 'HTTP error');
  return new EvolveError(code, `${providerId} answered ${status}: ${text}`, details);
}

export function retryHint(e: EvolveError): { retryable: boolean; retryAfterMs?: number } {
  const d = (e.details ?? {}) as Partial<ProviderErrorDetails>;
  return { retryable: d.retryable === true, ...(typeof d.retryAfterMs === 'number' ? { retryAfterMs: d.retryAfterMs } : {}) };
}
