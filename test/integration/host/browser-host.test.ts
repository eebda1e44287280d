// The browser host over real sockets: token, Host and Origin checks, the cookie hand-off, static files,
// contracts over the WebSocket (including malformed frames and backpressure), and loopback-only binds.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { settingsContract } from '../../../common/contracts/settings';
import { createClient } from '../../../common/transport/client';
import { WireClient, socketPipe, type WebSocketLike } from '../../../common/transport/wire-client';
import { startHost, type RunningHost } from '../../../main/host/server';
import { malformedPayloads } from '../../support/fuzz';
import { VALID_INPUTS } from '../../support/contract-samples';
import { startTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices;
let host: RunningHost;
let rendererDir: string;

beforeAll(async () => {
  t = await startTempServices();
  rendererDir = path.join(t.root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Evolve</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(t.root, 'secret.txt'), 'outside the renderer dir');
  host = await startHost({ dispatcher: t.dispatcher, rendererDir });
});
afterAll(async () => {
  await host.close();
  await t.cleanup();
});

function get(
  p: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: host.port, path: p, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function openSocket(opts: { origin?: string; token?: string | null; host?: string } = {}): Promise<WebSocket> {
  const token = opts.token === null ? '' : `?token=${opts.token ?? host.token}`;
  const headers: Record<string, string> = { Origin: opts.origin ?? `http://127.0.0.1:${host.port}` };
  if (opts.host) headers.Host = opts.host;
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${token}`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('browser host HTTP', () => {
  it('refuses requests without the launch token (401) or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/assets/app.js', { Cookie: 'evolve_token=wrong' })).status).toBe(401);
  });

  it('trades the URL token for an HttpOnly SameSite cookie and redirects without it', async () => {
    const r = await get(`/?token=${host.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(String(r.headers['set-cookie'])).toMatch(/evolve_token=.+; HttpOnly; SameSite=Strict; Path=\//);
    const page = await get('/', { Cookie: `evolve_token=${host.token}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Evolve</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses cross-port fetches that carry the cookie (fetch metadata), but lets the user navigate in', async () => {
    const cookie = `evolve_token=${host.token}`;
    const fromOtherPort = await get('/', {
      Cookie: cookie,
      'Sec-Fetch-Site': 'same-site',
      'Sec-Fetch-Mode': 'cors',
      'Sec-Fetch-Dest': 'empty',
    });
    expect(fromOtherPort.status).toBe(403);
    const crossSite = await get('/assets/app.js', {
      Cookie: cookie,
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'no-cors',
      'Sec-Fetch-Dest': 'script',
    });
    expect(crossSite.status).toBe(403);
    const ownPage = await get('/assets/app.js', {
      Cookie: cookie,
      'Sec-Fetch-Site': 'same-origin',
      'Sec-Fetch-Mode': 'no-cors',
      'Sec-Fetch-Dest': 'script',
    });
    expect(ownPage.status).toBe(200);
    const userOpensUrl = await get(`/?token=${host.token}`, {
      'Sec-Fetch-Site': 'none',
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'document',
    });
    expect(userOpensUrl.status).toBe(303);
  });

  it('refuses a foreign Host header (DNS rebinding) and never serves files outside the renderer', async () => {
    expect((await get(`/?token=${host.token}`, { Host: 'evil.example:80' })).status).toBe(403);
    const cookie = { Cookie: `evolve_token=${host.token}` };
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await get(p, cookie);
      expect(r.body).not.toContain('outside the renderer dir');
    }
    expect((await get('/assets/missing.js', cookie)).status).toBe(404);
  });
});

describe('browser host WebSocket', () => {
  it('refuses a foreign Origin (403), a missing token (401) and a foreign Host', async () => {
    await expect(openSocket({ origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openSocket({ origin: `http://127.0.0.1:${host.port + 1}` })).rejects.toThrow('HTTP 403');
    await expect(openSocket({ token: null })).rejects.toThrow('HTTP 401');
    await expect(openSocket({ host: 'evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('serves the typed API over the socket', async () => {
    const ws = await openSocket();
    const api = createClient(new WireClient(socketPipe(ws as unknown as WebSocketLike)));
    const status = await api.app.status({});
    expect(status.ok && status.value.mode).toBe('host');
    const events: unknown[] = [];
    const run = api.doctor.run({}, (e) => events.push(e));
    const report = await run.result;
    expect(report.ok && report.value.checks.length).toBe(3);
    expect(events).toHaveLength(3);
    ws.close();
  });

  it('survives malformed frames and payloads, answering typed errors, and keeps serving', async () => {
    const ws = await openSocket();
    const replies: { id?: number; result?: { ok: boolean; error?: { code: string } } }[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    ws.send('not json');
    ws.send(Buffer.from([0, 1, 2]), { binary: true });
    ws.send(JSON.stringify({ t: 'call' }));
    const payloads = malformedPayloads(VALID_INPUTS['evolve:settings.update'], 300, 77);
    payloads.forEach((input, i) =>
      ws.send(JSON.stringify({ t: 'call', id: i + 1, channel: 'evolve:settings.update', input: input ?? null })),
    );
    const deadline = Date.now() + 10_000;
    while (replies.length < payloads.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(replies).toHaveLength(payloads.length);
    // Exactly the payloads the contract rejects (after JSON, as the socket carries them) are refused.
    for (const r of replies) {
      const sent = JSON.parse(JSON.stringify(payloads[(r.id ?? 0) - 1] ?? null));
      const valid = settingsContract.methods.update.input.safeParse(sent).success;
      expect(r.result?.ok, JSON.stringify(sent)?.slice(0, 200)).toBe(valid);
      if (!valid) expect(r.result?.error?.code).toBe('INVALID_ARGUMENT');
    }
    expect(replies.filter((r) => !r.result?.ok).length).toBeGreaterThan(payloads.length / 2);
    const api = createClient(new WireClient(socketPipe(ws as unknown as WebSocketLike)));
    expect((await api.app.status({})).ok).toBe(true);
    ws.close();
  });

  it('applies backpressure to a client that stops reading acks, and cancels on disconnect', async () => {
    const ws = await openSocket();
    const got: { t: string }[] = [];
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ t: 'open', id: 1, channel: 'evolve:app.events', input: {} }));
    const until = async (cond: () => boolean) => {
      const end = Date.now() + 5_000;
      while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => t.services.events.subscriberCount === 1);
    for (let i = 0; i < 200; i += 1) t.services.events.publish({ type: 'worker-ready', worker: `w${i}` });
    await until(() => got.length >= 64);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.length).toBe(64);
    ws.send(JSON.stringify({ t: 'ack', id: 1, n: 64 }));
    await until(() => got.length >= 128);
    expect(got.length).toBe(128);
    ws.close();
    await until(() => t.services.events.subscriberCount === 0);
    expect(t.services.events.subscriberCount).toBe(0);
  });
});

describe('binding', () => {
  it('refuses a non-loopback address unless explicitly allowed', async () => {
    await expect(startHost({ dispatcher: t.dispatcher, rendererDir, host: '0.0.0.0' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(startHost({ dispatcher: t.dispatcher, rendererDir, host: '192.168.10.10' })).rejects.toThrow(/--allow-remote/);
  });
});
