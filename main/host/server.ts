// The browser host: the same main-process services and contracts as the desktop app, served to a
// browser on 127.0.0.1 over HTTP (the built renderer) and one WebSocket (the contracts), behind a
// per-launch token, a Host check and an Origin check.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ServerMessage } from '../../common/contracts/wire';
import { EvolveError } from '../../common/errors';
import type { Dispatcher } from '../ipc/dispatcher';
import { WireSession } from '../ipc/wire-session';
import {
  TOKEN_COOKIE,
  contentSecurityPolicy,
  fetchMetadataAllowed,
  hostAllowed,
  isLoopbackHost,
  newLaunchToken,
  originAllowed,
  presentedToken,
  tokensEqual,
} from './security';
import { newCspNonce } from './csp-nonce';
import { lockedRefusal } from './lock-gate';
import { serveStatic } from './static-files';

export const WS_PATH = '/ws';
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface HostOptions {
  dispatcher: Dispatcher;
  /** Directory with the built renderer (index.html + assets). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Binding to a non-loopback address exposes the app to the network: refused unless this is true. */
  allowRemote?: boolean;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /**
   * Settles once the services have started (the store opened or found locked). The host listens and serves the page
   * before that, so the page loads while the store opens; contract messages that arrive earlier wait for it (in order),
   * so the page's first call gets the real vault status instead of an error. Already settled when omitted.
   */
  ready?: Promise<unknown>;
  /** The app lock's state: while it says true, only the lock screen's channels are served (lock-gate.ts). */
  isLocked?: () => boolean;
}

export interface RunningHost {
  url: string;
  /** The URL with the launch token: what the user opens. */
  launchUrl: string;
  port: number;
  host: string;
  token: string;
  sessions(): number;
  close(): Promise<void>;
}

function deny(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function denyUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !opts.allowRemote) {
    throw new EvolveError(
      'FORBIDDEN',
      `Refusing to listen on ${host}: the browser host gives full access to your projects and keys. ` +
        'Use 127.0.0.1, or pass --allow-remote if you really mean to expose it.',
    );
  }
  const token = opts.token ?? newLaunchToken();
  const log = opts.log ?? (() => {});
  const allowedHosts = new Set<string>();
  const sessions = new Set<WireSession>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // A failed start is reported by whoever started the services; calls then get the services' own typed errors.
  const ready: Promise<unknown> | undefined = opts.ready?.catch(() => undefined);

  const server = http.createServer((req, res) => void handleHttp(req, res));

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, allowedHosts)) return deny(res, 403, 'Forbidden: unexpected Host header');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed');
    if (!fetchMetadataAllowed(req)) return deny(res, 403, 'Forbidden: cross-site request');
    if (!tokensEqual(presentedToken(req, url), token)) {
      return deny(res, 401, 'Missing or invalid launch token: open the URL that `evolve serve` printed.');
    }
    // A fresh style nonce per response: the page served below carries the same one (csp-nonce.ts).
    const cspNonce = newCspNonce();
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host ?? '', cspNonce));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for an HttpOnly cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: url.pathname + url.search, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const served = await serveStatic(opts.rendererDir, url.pathname, res, req.method === 'HEAD', cspNonce);
    // Unknown paths fall back to the app (client-side sections), except obvious asset requests.
    if (!served && !/\.[a-z0-9]+$/i.test(url.pathname)) {
      if (await serveStatic(opts.rendererDir, '/', res, req.method === 'HEAD', cspNonce)) return;
    }
    if (!served) deny(res, 404, 'Not found');
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'invalid'}`);
    if (url.pathname !== WS_PATH) return denyUpgrade(socket, 404, 'Not found');
    if (!hostAllowed(req, allowedHosts)) return denyUpgrade(socket, 403, 'Forbidden: unexpected Host header');
    if (!originAllowed(req, allowedHosts)) return denyUpgrade(socket, 403, 'Forbidden: foreign Origin');
    if (!tokensEqual(presentedToken(req, url), token)) return denyUpgrade(socket, 401, 'Missing or invalid launch token');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const session = new WireSession(opts.dispatcher, (msg: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    });
    sessions.add(session);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return; // not JSON: nothing to answer, the client library never sends that
      }
      // Checked when the message is handled, not when it arrived: a call queued behind `ready` meets the lock too.
      const handle = () => {
        const refusal = lockedRefusal(parsed, opts.isLocked?.() ?? false);
        if (!refusal) session.receive(parsed);
        else if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(refusal));
      };
      if (ready) void ready.then(handle);
      else handle();
    });
    ws.on('close', () => {
      session.close();
      sessions.delete(session);
    });
    ws.on('error', (e) => log('warn', `websocket error: ${e.message}`));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = host.includes(':') ? `[${host}]` : host;
  for (const h of [`${displayHost}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) allowedHosts.add(h.toLowerCase());
  const url = `http://${displayHost}:${port}/`;
  log('info', `browser host listening on ${url}`);

  return {
    url,
    launchUrl: `${url}?token=${token}`,
    port,
    host,
    token,
    sessions: () => sessions.size,
    close: async () => {
      for (const s of sessions) s.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
