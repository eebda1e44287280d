// Plain-node network probes for E2E security checks: raw HTTP requests and WebSocket upgrade attempts with
// exactly the headers a test chooses, and a tiny second web server that plays a foreign origin.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request to 127.0.0.1:`port`, no cookies, no redirects followed, bounded in time. */
export function rawRequest(
  port: number,
  reqPath: string,
  opts: { method?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: reqPath,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: false,
        timeout: opts.timeoutMs ?? 5_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request ${reqPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Attempts a WebSocket upgrade on 127.0.0.1:`port` with the given headers. Resolves with 101 when the
 * server accepted (the socket is closed right away) or with the refusal's status code.
 */
export function rawUpgrade(
  port: number,
  reqPath: string,
  headers: Record<string, string>,
  timeoutMs = 5_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: reqPath,
      agent: false,
      timeout: timeoutMs,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`upgrade ${reqPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export interface ForeignOrigin {
  /** http://127.0.0.1:<port>/ — same host as the app, another port: a different origin (same site). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves one harmless HTML page from another port on 127.0.0.1, to act as "some other website". */
export async function startForeignOrigin(html = '<!doctype html><title>foreign</title><p>another origin</p>'): Promise<ForeignOrigin> {
  const server = http.createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
