// The browser host's gatekeeping: loopback-only binds, the per-launch token, Host and Origin checks.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import { styleSrc } from './csp-nonce';

export const TOKEN_COOKIE = 'evolve_token';

export function newLaunchToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
  return false;
}

export function tokensEqual(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return rest.join('=');
  }
  return undefined;
}

/** Token from the `token` query parameter (first visit, non-browser clients) or the HttpOnly cookie. */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  return url.searchParams.get('token') ?? cookieValue(req, TOKEN_COOKIE);
}

/**
 * The Host header must name this server (blocks DNS-rebinding pages that resolve evil.example to 127.0.0.1).
 */
export function hostAllowed(req: IncomingMessage, allowedHosts: ReadonlySet<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && allowedHosts.has(host.toLowerCase());
}

/** WebSocket upgrades must come from our own page: Origin equal to http://<one of our hosts>. */
export function originAllowed(req: IncomingMessage, allowedHosts: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && allowedHosts.has(u.host.toLowerCase()) && u.pathname === '/';
  } catch {
    return false;
  }
}

/** `styleNonce`: this page load's nonce (see csp-nonce.ts); without one, style elements are refused. */
export function contentSecurityPolicy(hostPort: string, styleNonce?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    styleNonce ? styleSrc(styleNonce) : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${hostPort}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Fetch-metadata check: SameSite cookies do not separate ports, so a page on another 127.0.0.1 port is
 * "same-site" and its fetch would carry our cookie. Only our own origin, or a top-level navigation (the
 * user opening the launch URL), may reach us. Clients that send no fetch metadata (curl, tests) pass.
 */
export function fetchMetadataAllowed(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return true;
  return req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
}
