// The syslog forwarder against real local receivers: TCP and TLS (self-signed cert made here with openssl), octet-counted
// frames, unknown CA refused until configured, egress guard refusal until the host is allowed, bounded queue, reconnect.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../../common/contracts/security-events';
import { EgressGuard, type EgressPolicy } from '../../../main/platform/egress';
import { SyslogForwarder } from '../../../main/services/security/syslog/forwarder';
import { formatSecurityEvent, readOctetFrames } from '../../../main/services/security/syslog/rfc5424';

interface Receiver {
  port: number;
  messages: string[];
  sockets: Set<net.Socket>;
  close(): Promise<void>;
  waitFor(n: number, ms?: number): Promise<string[]>;
}

/** A syslog receiver reading RFC 6587 octet-counted frames, plain TCP or TLS. */
async function receiver(o: { host?: string; port?: number; tls?: { key: Buffer; cert: Buffer } } = {}): Promise<Receiver> {
  const messages: string[] = [];
  const sockets = new Set<net.Socket>();
  const onSocket = (s: net.Socket) => {
    sockets.add(s);
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      const r = readOctetFrames(Buffer.concat([buf, d]));
      messages.push(...r.messages);
      buf = Buffer.from(r.rest);
    });
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  };
  const server = o.tls ? tls.createServer({ key: o.tls.key, cert: o.tls.cert }, onSocket) : net.createServer(onSocket);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    messages,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    waitFor: async (n, ms = 5000) => {
      const end = Date.now() + ms;
      while (messages.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(messages.length).toBeGreaterThanOrEqual(n);
      return messages;
    },
  };
}

const event = (seq: number, summary = `event ${seq}`): SecurityEvent => ({
  seq,
  kind: 'api.request.denied',
  at: Date.UTC(2026, 0, 1, 0, 0, seq),
  severity: 'medium',
  category: 'token-misuse',
  summary,
  actor: 'token "ci"]\\',
  details: { status: 401 },
});

const HOSTNAME = 'test-host';
const local = (p: EgressPolicy = { offlineOnly: true }) => new EgressGuard(() => p, { isLocalAddress: (a) => a === '127.0.0.1' });
const appName = 'evolve-studio';

let certDir = '';
let key: Buffer;
let cert: Buffer;
let otherCert: Buffer;
const forwarders: SyslogForwarder[] = [];
const receivers: Receiver[] = [];
const track = <T extends SyslogForwarder | Receiver>(x: T): T => {
  if (x instanceof SyslogForwarder) forwarders.push(x);
  else receivers.push(x as Receiver);
  return x;
};

function selfSigned(dir: string, name: string): { key: Buffer; cert: Buffer } {
  const k = path.join(dir, `${name}.key`);
  const c = path.join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', k, '-out', c, '-days', '2'].concat([
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost',
    ]),
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(k), cert: fs.readFileSync(c) };
}

beforeAll(() => {
  certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-syslog-'));
  ({ key, cert } = selfSigned(certDir, 'receiver'));
  otherCert = selfSigned(certDir, 'other').cert;
});
afterAll(() => fs.rmSync(certDir, { recursive: true, force: true }));
afterEach(async () => {
  for (const f of forwarders.splice(0)) f.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('syslog forwarder', () => {
  it('sends octet-counted RFC 5424 frames over TCP, escaped, in order', async () => {
    const r = track(await receiver());
    const f = track(new SyslogForwarder({ guard: local(), hostname: HOSTNAME }));
    f.configure({ host: '127.0.0.1', port: r.port, tls: false, caPem: '', appName });
    f.enqueue(event(1));
    f.enqueue(event(2, 'naïve ] "quoted"'));
    const got = await r.waitFor(2);
    const pid = String(process.pid);
    expect(got).toEqual([
      formatSecurityEvent(event(1), { hostname: HOSTNAME, appName, procId: pid }),
      formatSecurityEvent(event(2, 'naïve ] "quoted"'), { hostname: HOSTNAME, appName, procId: pid }),
    ]);
    // The receiver sees the escaped SD-PARAM (what a parser needs to find the element's end).
    expect(got[1]).toContain('actor="token \\"ci\\"\\]\\\\"');
    expect(got[1]).toContain('summary="naïve \\] \\"quoted\\"" d.status="401"] \uFEFFnaïve ] "quoted"');
    expect(f.status()).toMatchObject({ connected: true, sent: 2, dropped: 0, queued: 0 });
  });

  it('over TLS refuses a receiver whose CA is unknown, and delivers once the CA is configured', async () => {
    const r = track(await receiver({ tls: { key, cert } }));
    const f = track(new SyslogForwarder({ guard: local(), hostname: HOSTNAME, backoffBaseMs: 60_000 }));
    f.configure({ host: '127.0.0.1', port: r.port, tls: true, caPem: '', appName });
    await expect(f.sendTest()).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/certificate.*refused/) });
    // A CA that did not sign the receiver's certificate does not help either.
    f.configure({ host: '127.0.0.1', port: r.port, tls: true, caPem: otherCert.toString(), appName });
    await expect(f.sendTest()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(f.status().lastError).toMatch(/certificate/);
    expect(r.messages).toEqual([]);

    f.configure({ host: '127.0.0.1', port: r.port, tls: true, caPem: cert.toString(), appName });
    const bytes = await f.sendTest();
    f.enqueue(event(3));
    const got = await r.waitFor(2);
    expect(bytes).toBeGreaterThan(40);
    expect(got[0]).toMatch(/^<85>1 \S+ test-host evolve-studio \d+ test \[evolve@32473 test="true"\] Evolve Studio syslog test message$/);
    expect(got[1]).toBe(formatSecurityEvent(event(3), { hostname: HOSTNAME, appName, procId: String(process.pid) }));
  });

  it('goes through the egress guard: refused off this machine until the user allows the host for syslog', async () => {
    const r = track(await receiver({ host: '127.0.0.2' }));
    const policy: EgressPolicy = { offlineOnly: true, allow: {} };
    const guard = local(policy);
    const f = track(new SyslogForwarder({ guard, hostname: HOSTNAME, backoffBaseMs: 60_000 }));
    f.configure({ host: '127.0.0.2', port: r.port, tls: false, caPem: '', appName });
    await expect(f.sendTest()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(guard.recentBlocked().at(-1)).toMatchObject({ feature: 'syslog', host: '127.0.0.2' });
    // Allowing it for another feature does not count.
    policy.allow = { notifications: [`127.0.0.2:${r.port}`] };
    await expect(f.sendTest()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    policy.allow = { syslog: [`127.0.0.2:${r.port}`] };
    await f.sendTest();
    await r.waitFor(1);
  });

  it('holds a bounded queue while the receiver is down, counts drops, and reconnects with backoff', async () => {
    const probe = await receiver();
    const port = probe.port;
    await probe.close();
    // A frozen clock makes retryAt - now the backoff delay itself: 50, 100, 200, then capped at 200.
    const delays: number[] = [];
    const f = track(
      new SyslogForwarder({
        guard: local(),
        hostname: HOSTNAME,
        maxQueue: 3,
        backoffBaseMs: 50,
        backoffMaxMs: 200,
        now: () => 0,
        onError: () => delays.push(f.status().retryAt ?? -1),
      }),
    );
    f.configure({ host: '127.0.0.1', port, tls: false, caPem: '', appName });
    for (let i = 1; i <= 5; i++) f.enqueue(event(i));
    expect(f.status()).toMatchObject({ queued: 3, dropped: 2, connected: false });
    const until = Date.now() + 3000;
    while (delays.length < 4 && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
    expect(delays.slice(0, 4)).toEqual([50, 100, 200, 200]);
    expect(f.status().lastError).toMatch(/ECONNREFUSED/);

    const r = track(await receiver({ port }));
    const got = await r.waitFor(3);
    // The oldest two were dropped; the newest three arrive in order.
    expect(got.map((m) => /seq="(\d+)"/.exec(m)?.[1])).toEqual(['3', '4', '5']);
    expect(f.status()).toMatchObject({ connected: true, queued: 0, dropped: 2, lastError: null });

    // The receiver drops the connection: the next event reconnects and arrives.
    for (const s of r.sockets) s.destroy();
    await new Promise((res) => setTimeout(res, 50));
    f.enqueue(event(6));
    await r.waitFor(4);
    expect(r.messages[3]).toContain('seq="6"');
  });

  it('send test fails clearly while forwarding is off', async () => {
    const f = track(new SyslogForwarder({ guard: local() }));
    await expect(f.sendTest()).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
