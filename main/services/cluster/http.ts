// Minimal HTTP(S) client on node:http/https: TLS options (CA file, insecure), bearer token, timeouts, typed errors; every
// socket goes through the egress guard (offline-only and the feature's allowed destinations).
import fs from 'node:fs';
import type http from 'node:http';
import { EvolveError } from '../../../common/errors';
import type { TlsOptions } from '../../../common/cluster/profile';
import {
  certificateError,
  certificateProblem,
  egressRequest,
  processEgressGuard,
  type EgressFeature,
  type EgressGuard,
} from '../../platform/egress';
import { judgeTokenUrl, tokenOverHttpError } from './auth/http-policy';

export interface HttpTarget {
  baseUrl: string;
  tls?: TlsOptions;
  timeoutMs?: number;
  /** Called per request so a rotated token in the keychain is picked up; undefined = no auth header. */
  getToken?: () => Promise<string | undefined>;
  /** Names the service in error messages ("Ray dashboard", "Prometheus"…). */
  serviceName: string;
  /** Which egress allow-list applies (default 'cluster'). */
  feature?: EgressFeature;
  /** The outbound guard (default: the process's). */
  guard?: EgressGuard;
  /** Where the user sets the CA file, named in a certificate error (default "profile"). */
  tlsSetting?: string;
  /** Refuse to put a token on a request to a non-loopback http:// baseUrl (the profile's refuseTokenOverHttp). */
  refuseTokenOverHttp?: boolean;
  /** Told when a token is held back from, or sent over, plain http (the audit and the log). */
  onTokenOverHttp?: (verdict: 'http-refused' | 'http-allowed', origin: string) => void;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: Buffer | string;
  contentType?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text(): string;
}

/** TLS settings for https requests and the ws client; reading the CA file fails with a clear error. */
export function tlsAgentOptions(tls: TlsOptions | undefined): { ca?: Buffer; rejectUnauthorized: boolean } {
  const out: { ca?: Buffer; rejectUnauthorized: boolean } = { rejectUnauthorized: !(tls?.insecure ?? false) };
  if (tls?.caFile) {
    try {
      out.ca = fs.readFileSync(tls.caFile);
    } catch (e) {
      throw new EvolveError('INVALID_ARGUMENT', `Cannot read the CA file ${tls.caFile}: ${(e as Error).message}`);
    }
  }
  return out;
}

export function buildUrl(baseUrl: string, path: string, query?: HttpRequest['query']): URL {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

/**
 * The Authorization header for a request to target.baseUrl (every path and the log websocket share its origin). A
 * refused http:// target throws before the token is even read, so nothing is sent and no refresh happens for it.
 */
export async function authHeaders(target: HttpTarget): Promise<Record<string, string>> {
  if (!target.getToken) return {};
  const verdict = judgeTokenUrl(target.baseUrl, target.refuseTokenOverHttp ?? true);
  if (verdict === 'http-refused') {
    target.onTokenOverHttp?.(verdict, new URL(target.baseUrl).origin);
    throw tokenOverHttpError(target.serviceName, target.baseUrl);
  }
  const token = await target.getToken();
  if (token && verdict === 'http-allowed') target.onTokenOverHttp?.(verdict, new URL(target.baseUrl).origin);
  return token ? { authorization: `Bearer ${token}` } : {};
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

export async function httpRequest(target: HttpTarget, req: HttpRequest): Promise<HttpResponse> {
  const url = buildUrl(target.baseUrl, req.path, req.query);
  const isHttps = url.protocol === 'https:';
  const timeoutMs = req.timeoutMs ?? target.timeoutMs ?? 15_000;
  const headers: Record<string, string> = { accept: 'application/json', ...(await authHeaders(target)) };
  if (req.body !== undefined) {
    headers['content-type'] = req.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(req.body));
  }
  const method = req.method ?? 'GET';
  const where = `${target.serviceName} at ${url.origin}`;
  if (req.signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
  return new Promise<HttpResponse>((resolve, reject) => {
    const options = { method, headers, ...(isHttps ? { tls: tlsAgentOptions(target.tls) } : {}) };
    const r = egressRequest(target.guard ?? processEgressGuard(), target.feature ?? 'cluster', url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: () => body.toString('utf8') });
      });
      res.on('error', (e) => fail(e));
    });
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    };
    const timer = setTimeout(() => {
      r.destroy();
      fail(new EvolveError('TIMEOUT', `${where} did not answer ${method} ${url.pathname} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = () => {
      r.destroy();
      fail(new EvolveError('CANCELLED', 'Cancelled'));
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
    r.on('error', (e: NodeJS.ErrnoException) => {
      const cert = certificateProblem(e);
      if (e instanceof EvolveError)
        fail(e); // the egress guard's refusal, as it is
      else if (e.code && NETWORK_CODES.has(e.code))
        fail(new EvolveError('UNAVAILABLE', `${where} is unreachable (${e.code})`, { code: e.code }));
      else if (cert) fail(certificateError(where, cert, `set a CA file in the ${target.tlsSetting ?? 'profile'}, or allow insecure TLS`));
      else if (e.code?.startsWith('ERR_TLS') || e.code?.startsWith('ERR_SSL'))
        fail(new EvolveError('UNAVAILABLE', `TLS failed for ${where} (${e.code}): ${e.message}`, { code: e.code }));
      else fail(new EvolveError('UNAVAILABLE', `${where}: ${e.message}`, { code: e.code }));
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** Maps a non-2xx answer to a typed error carrying the service's own message (Ray sends tracebacks: keep the last line). */
export function errorForStatus(target: HttpTarget, res: HttpResponse, what: string): EvolveError {
  const text = res.text().trim();
  const short = (
    pythonErrorMessage(text) ??
    text
      .split('\n')
      .filter((l) => l.trim())
      .pop() ??
    ''
  ).slice(0, 500);
  const details = { status: res.status, body: text.slice(0, 4000) };
  switch (res.status) {
    case 400:
    case 422:
      return new EvolveError('INVALID_ARGUMENT', `${target.serviceName} rejected ${what}: ${short}`, details);
    case 401:
      return new EvolveError('UNAUTHENTICATED', `${target.serviceName} needs a token for ${what} (${short || 'unauthorized'})`, details);
    case 403:
      return new EvolveError('UNAUTHENTICATED', `${target.serviceName} refused the token for ${what} (${short || 'forbidden'})`, details);
    case 404:
      return new EvolveError('NOT_FOUND', `${what}: not found${short ? ` (${short})` : ''}`, details);
    case 409:
      return new EvolveError('CONFLICT', `${target.serviceName}: ${what}: ${short}`, details);
    case 413:
      return new EvolveError('RESOURCE_EXHAUSTED', `${target.serviceName}: ${what} is too large`, details);
    case 502:
    case 503:
    case 504:
      return new EvolveError('UNAVAILABLE', `${target.serviceName} is unavailable (${res.status}) for ${what}`, details);
    default:
      return new EvolveError('INTERNAL', `${target.serviceName} failed ${what} (HTTP ${res.status}): ${short}`, details);
  }
}

/**
 * Ray answers errors with Python tracebacks, sometimes nested (head → agent); the useful part is the last
 * `SomeError: message` line, without the trailing "." a re-raise appends.
 */
export function pythonErrorMessage(text: string): string | undefined {
  const hits = [...text.matchAll(/^(?:[A-Za-z_][\w.]*)(?:Error|Exception): (.+)$/gm)];
  const last = hits.at(-1)?.[1]?.trim();
  return last ? last.replace(/\.$/, '') : undefined;
}

/** Parses a JSON body; a non-JSON answer is CORRUPT (wrong URL, proxy login page…). */
export function jsonBody(target: HttpTarget, res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.text());
  } catch {
    throw new EvolveError('CORRUPT', `${target.serviceName} answered ${what} with something that is not JSON (is the URL right?)`, {
      body: res.text().slice(0, 500),
    });
  }
}
