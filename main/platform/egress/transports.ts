// Guarded transports for each kind of client: http(s) agents (node:http, ws), an undici dispatcher and fetch (cloud
// SDKs), and connected sockets (nodemailer). Each checks address literals up front and every resolved address via lookup.
import http, { type ClientRequestArgs } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { buildConnector, Dispatcher } from 'undici';
import { lazyLoad } from '../../../common/base/lazy-load';
import { EvolveError } from '../../../common/errors';
import type { EgressGuard } from './guard';
import type { EgressFeature } from './policy';
import { certificateError, certificateProblem, withSystemRoots } from './tls';

export interface TlsClientOptions {
  /** A CA to trust in addition to the system roots (PEM). */
  ca?: Buffer;
  rejectUnauthorized?: boolean;
}

/** Agent/connector TLS options: the user's CA added to the system roots, never instead of them. */
const tlsOptions = (t: TlsClientOptions | undefined) => (t ? { ...t, ...withSystemRoots(t.ca) } : {});

/**
 * undici, required on the first cloud call instead of at startup (it costs ~120 ms of the host's cold start). Providers
 * load it before a request's timers start (Provider.prepare), so a first-byte timeout never counts the load.
 */
export const loadUndici = lazyLoad(() => import('undici'));

const portOf = (p: unknown, secure: boolean): number => (p !== undefined && p !== null && p !== '' ? Number(p) : secure ? 443 : 80);

/** Runs the guard's literal check and injects its lookup; returns false (after failing `cb` on the next tick) when refused. */
function prepare(
  guard: EgressGuard,
  feature: EgressFeature,
  options: ClientRequestArgs,
  secure: boolean,
  cb?: (err: Error | null, s: Duplex) => void,
): boolean {
  const host = options.host ?? options.hostname ?? 'localhost';
  const port = portOf(options.port, secure);
  try {
    guard.checkLiteral(feature, host, port);
  } catch (e) {
    process.nextTick(() => cb?.(e as Error, undefined as unknown as Duplex));
    return false;
  }
  options.lookup = guard.lookupFor(feature, port);
  return true;
}

class GuardedHttpAgent extends http.Agent {
  constructor(
    private readonly guard: EgressGuard,
    private readonly feature: EgressFeature,
    opts: http.AgentOptions,
  ) {
    super(opts);
  }
  override createConnection(options: ClientRequestArgs, cb?: (err: Error | null, s: Duplex) => void): Duplex | null | undefined {
    if (!prepare(this.guard, this.feature, options, false, cb)) return undefined;
    return super.createConnection(options, cb);
  }
}

class GuardedHttpsAgent extends https.Agent {
  constructor(
    private readonly guard: EgressGuard,
    private readonly feature: EgressFeature,
    opts: https.AgentOptions,
  ) {
    super(opts);
  }
  override createConnection(options: ClientRequestArgs, cb?: (err: Error | null, s: Duplex) => void): Duplex | null | undefined {
    if (!prepare(this.guard, this.feature, options, true, cb)) return undefined;
    return super.createConnection(options, cb);
  }
}

/** An agent for node:http(s) requests and the `ws` client: every socket it opens goes through the guard. */
export function guardedAgent(guard: EgressGuard, feature: EgressFeature, opts: { secure: boolean; tls?: TlsClientOptions }): http.Agent {
  if (opts.secure) return new GuardedHttpsAgent(guard, feature, tlsOptions(opts.tls));
  return new GuardedHttpAgent(guard, feature, {});
}

/** An undici dispatcher whose connector checks literals and resolves through the guard (and trusts `tls.ca` too, when given). */
export async function guardedDispatcher(guard: EgressGuard, feature: EgressFeature, tls?: TlsClientOptions): Promise<Dispatcher> {
  const { Agent, buildConnector: makeConnector } = await loadUndici();
  const byPort = new Map<number, buildConnector.connector>();
  const connect = (opts: buildConnector.Options, callback: buildConnector.Callback): void => {
    const secure = opts.protocol === 'https:';
    const port = portOf(opts.port, secure);
    try {
      guard.checkLiteral(feature, opts.hostname, port);
    } catch (e) {
      callback(e as Error, null);
      return;
    }
    let c = byPort.get(port);
    if (!c) {
      c = makeConnector({ lookup: guard.lookupFor(feature, port), ...tlsOptions(tls) } as buildConnector.BuildOptions);
      byPort.set(port, c);
    }
    c(opts, callback);
  };
  return new Agent({ connect });
}

/** The FORBIDDEN refusal inside fetch's "fetch failed" wrapper, so callers see the policy's own message. */
function unwrapRefusal(e: unknown): unknown {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    if (cur instanceof EvolveError && cur.code === 'FORBIDDEN') return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return e;
}

/**
 * A fetch for SDKs and HTTP clients: undici's fetch over the guarded dispatcher (both made on the first call). A refused
 * certificate becomes a typed UNAVAILABLE naming the problem (the SDKs would report only "Connection error").
 */
export function guardedFetch(guard: EgressGuard, feature: EgressFeature, tls?: TlsClientOptions): typeof fetch {
  let dispatcher: Promise<Dispatcher> | undefined;
  const f = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    try {
      const { fetch: undiciFetch } = await loadUndici();
      dispatcher ??= guardedDispatcher(guard, feature, tls);
      return (await undiciFetch(input as Parameters<typeof undiciFetch>[0], {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: await dispatcher,
      })) as unknown as Response;
    } catch (e) {
      const cert = certificateProblem(e);
      if (cert) throw certificateError(originOf(input), cert, "add the server's CA certificate (CA file) to this connection's settings");
      throw unwrapRefusal(e);
    }
  };
  return f as typeof fetch;
}

function originOf(input: string | URL | Request): string {
  try {
    return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).origin;
  } catch {
    return 'the server';
  }
}

/** A connected TCP socket to host:port through the guard (nodemailer's getSocket; it upgrades to TLS itself). */
export function guardedSocket(
  guard: EgressGuard,
  feature: EgressFeature,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    try {
      guard.checkLiteral(feature, host, port);
    } catch (e) {
      reject(e);
      return;
    }
    const socket = net.connect({ host, port, lookup: guard.lookupFor(feature, port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new EvolveError('TIMEOUT', `Connecting to ${host}:${port} took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(socket);
    });
    const onError = (e: Error) => {
      clearTimeout(timer);
      reject(e);
    };
    socket.once('error', onError);
  });
}
