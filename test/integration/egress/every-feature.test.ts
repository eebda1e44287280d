// Socket-level proof of the one egress guard for every feature that opens connections: providers, model downloads,
// Ray (HTTP and the log-tail WebSocket), Prometheus, Alertmanager, Slack and SMTP. Each target is a listener on its own
// 127.0.0.x address; a policy hook makes only 127.0.0.1 count as "this machine", so 127.0.0.2… stand in for other hosts
// (no real outside address is ever dialled) and a fake DNS maps the made-up names to them. Every feature gets a refused
// run (offline-only: no connection reaches its listener) and a control run (its destination allowed: the connection is seen).
import type dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressGuard, FEATURE_LABELS, type EgressFeature, type EgressPolicy } from '../../../main/platform/egress';
import { AlertmanagerClient } from '../../../main/services/cluster/alertmanager-client';
import { EmailNotifier, SlackNotifier } from '../../../main/services/cluster/notifier';
import { PrometheusClient } from '../../../main/services/cluster/prometheus-client';
import { RayClient } from '../../../main/services/cluster/ray-client';
import { tailJobLogs } from '../../../main/services/cluster/ray-log-tail';
import { downloadModel } from '../../../main/services/models/downloader';
import { OpenAIAdapter } from '../../../main/services/providers/openai-adapter';

/** Made-up names → the loopback address standing in for that host. */
const HOSTS: Record<string, string> = {
  'llm.example': '127.0.0.2',
  'models.example': '127.0.0.3',
  'ray.example': '127.0.0.4',
  'prom.example': '127.0.0.5',
  'am.example': '127.0.0.6',
  'hooks.example': '127.0.0.7',
  'smtp.example': '127.0.0.8',
  // Looks like this machine by name; resolves elsewhere (the DNS trick a name-based check would miss).
  'evil.localhost': '127.0.0.9',
};

const fakeDns = (hostname: string, _o: dns.LookupAllOptions, cb: (err: NodeJS.ErrnoException | null, a: dns.LookupAddress[]) => void) => {
  const address = HOSTS[hostname];
  if (address) setImmediate(() => cb(null, [{ address, family: 4 }]));
  else setImmediate(() => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []));
};

interface Listener {
  address: string;
  port: number;
  connections: number;
  close: () => Promise<void>;
}

/** An HTTP listener on `address` that counts TCP connections and answers every feature's request shape. */
async function httpListener(address: string): Promise<Listener> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.startsWith('/v1/models')) return json({ object: 'list', data: [{ id: 'm', object: 'model', owned_by: 'me' }] });
    if (url.startsWith('/api/jobs/')) return json([]);
    if (url.startsWith('/api/v1/query')) return json({ status: 'success', data: { resultType: 'vector', result: [] } });
    if (url.startsWith('/api/v2/alerts')) return json([]);
    if (url.startsWith('/services/')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('ok');
    }
    if (url.startsWith('/model.gguf')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '4' });
      return res.end('GGUF');
    }
    res.writeHead(404);
    res.end();
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    ws.send('step 1 loss 0.5\n');
    ws.close();
  });
  const l = { address, port: 0, connections: 0, close: async () => {} };
  server.on('connection', () => l.connections++);
  await new Promise<void>((r) => server.listen(0, address, r));
  l.port = (server.address() as net.AddressInfo).port;
  l.close = () =>
    new Promise<void>((r) => {
      wss.close();
      server.closeAllConnections();
      server.close(() => r());
    });
  return l;
}

/** A TCP listener that counts connections and hangs up (enough to see that SMTP reached it). */
async function tcpListener(address: string): Promise<Listener> {
  const server = net.createServer((s) => {
    l.connections++;
    s.end('554 test listener\r\n');
  });
  const l = { address, port: 0, connections: 0, close: () => new Promise<void>((r) => server.close(() => r())) };
  await new Promise<void>((r) => server.listen(0, address, r));
  l.port = (server.address() as net.AddressInfo).port;
  return l;
}

async function outcome(p: Promise<unknown>): Promise<{ ok: boolean; code?: string; message: string }> {
  try {
    await p;
    return { ok: true, message: '' };
  } catch (e) {
    return { ok: false, code: (e as { code?: string }).code, message: (e as Error).message };
  }
}

describe('one egress guard, every feature', () => {
  const policy: EgressPolicy = { offlineOnly: true, allow: {} };
  const guard = new EgressGuard(() => policy, { isLocalAddress: (a) => a === '127.0.0.1', lookup: fakeDns });
  const L: Record<string, Listener> = {};
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evolve-egress-'));
    for (const [name, address] of Object.entries(HOSTS))
      L[name] = name === 'smtp.example' ? await tcpListener(address) : await httpListener(address);
  });
  afterAll(async () => {
    await Promise.all(Object.values(L).map((l) => l.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const at = (name: string) => `${name}:${(L[name] as Listener).port}`;
  const url = (name: string, path = '') => `http://${at(name)}${path}`;

  /** Every feature's call, aimed at its made-up host. */
  const calls: { feature: EgressFeature; what: string; host: string; run: () => Promise<unknown> }[] = [
    {
      feature: 'providers',
      what: 'OpenAI-compatible server',
      host: 'llm.example',
      run: () =>
        new OpenAIAdapter({
          id: 'lan',
          kind: 'openai-compatible',
          baseUrl: url('llm.example', '/v1'),
          requiresKey: false,
          getSecret: async () => undefined,
          guard,
        }).listModels(),
    },
    {
      feature: 'model-downloads',
      what: 'model download',
      host: 'models.example',
      run: () =>
        downloadModel({ url: url('models.example', '/model.gguf'), dest: join(dir, `m-${Math.random()}.gguf`), guard, maxRetries: 0 }),
    },
    {
      feature: 'cluster',
      what: 'Ray job list',
      host: 'ray.example',
      run: () => new RayClient({ baseUrl: url('ray.example'), guard }).listJobs(),
    },
    {
      feature: 'cluster',
      what: 'Ray log tail (WebSocket)',
      host: 'ray.example',
      run: () => tailJobLogs({ baseUrl: url('ray.example'), serviceName: 'Ray dashboard', guard }, 'raysubmit_1', { onLines: () => {} }),
    },
    {
      feature: 'cluster',
      what: 'Prometheus query',
      host: 'prom.example',
      run: () => new PrometheusClient({ baseUrl: url('prom.example'), guard }).query('up'),
    },
    {
      feature: 'cluster',
      what: 'Alertmanager alerts',
      host: 'am.example',
      run: () => new AlertmanagerClient({ baseUrl: url('am.example'), guard }).alerts(),
    },
    {
      feature: 'notifications',
      what: 'Slack webhook',
      host: 'hooks.example',
      run: () =>
        new SlackNotifier({ webhookUrl: url('hooks.example', '/services/T1/B1/x') }, guard).notify({
          severity: 'info',
          title: 't',
          body: 'b',
          source: 'job',
        }),
    },
    {
      feature: 'notifications',
      what: 'SMTP e-mail',
      host: 'smtp.example',
      run: () =>
        new EmailNotifier(
          {
            host: 'smtp.example',
            port: (L['smtp.example'] as Listener).port,
            from: 'a@example.com',
            to: ['b@example.com'],
            timeoutMs: 3000,
          },
          guard,
        ).notify({ severity: 'info', title: 't', body: 'b', source: 'job' }),
    },
  ];

  for (const c of calls) {
    it(`${c.what}: refused under offline-only (no connection), reaches its host once "${c.host}" is allowed for ${c.feature}`, async () => {
      const l = L[c.host] as Listener;
      policy.offlineOnly = true;
      policy.allow = {};
      const before = l.connections;
      const refused = await outcome(c.run());
      expect(refused.code, refused.message).toBe('FORBIDDEN');
      expect(refused.message).toContain(FEATURE_LABELS[c.feature]);
      expect(refused.message).toMatch(/Settings → Privacy → Allowed destinations/);
      expect(refused.message).toContain(c.host);
      expect(l.connections).toBe(before);

      // Allowed for another feature only: still refused.
      const other: EgressFeature = c.feature === 'cluster' ? 'model-downloads' : 'cluster';
      policy.allow = { [other]: [at(c.host)] };
      expect((await outcome(c.run())).code).toBe('FORBIDDEN');
      expect(l.connections).toBe(before);

      // Control: the same call with the destination allowed for this feature reaches the listener.
      policy.allow = { [c.feature]: [at(c.host)] };
      const allowed = await outcome(c.run());
      expect(allowed.code, allowed.message).not.toBe('FORBIDDEN');
      expect(l.connections).toBeGreaterThan(before);
    });
  }

  it('checks the resolved address: a name that looks local but resolves elsewhere is refused at the socket', async () => {
    policy.offlineOnly = true;
    policy.allow = {};
    const l = L['evil.localhost'] as Listener;
    // The provider pre-flight sees a *.localhost name and lets it through; the socket-level lookup does not.
    const r = await outcome(
      new OpenAIAdapter({
        id: 'trick',
        kind: 'openai-compatible',
        baseUrl: url('evil.localhost', '/v1'),
        requiresKey: false,
        getSecret: async () => undefined,
        guard,
      }).listModels(),
    );
    expect(r.code, r.message).toBe('FORBIDDEN');
    expect(r.message).toContain('127.0.0.9');
    const cluster = await outcome(new RayClient({ baseUrl: url('evil.localhost'), guard }).listJobs());
    expect(cluster.code).toBe('FORBIDDEN');
    expect(l.connections).toBe(0);
  });

  it('checks address literals too (they never reach a DNS lookup), and allows them by address', async () => {
    policy.offlineOnly = true;
    policy.allow = {};
    const l = L['ray.example'] as Listener;
    const before = l.connections;
    const literal = `http://127.0.0.4:${l.port}`;
    expect((await outcome(new RayClient({ baseUrl: literal, guard }).listJobs())).code).toBe('FORBIDDEN');
    expect(l.connections).toBe(before);
    policy.allow = { cluster: [`127.0.0.4:${l.port}`] };
    expect(await outcome(new RayClient({ baseUrl: literal, guard }).listJobs())).toEqual({ ok: true, message: '' });
    expect(l.connections).toBeGreaterThan(before);
  });

  it('with offline-only off every feature connects, and the real loopback (127.0.0.1) is always this machine', async () => {
    policy.offlineOnly = false;
    policy.allow = {};
    const l = L['prom.example'] as Listener;
    const before = l.connections;
    expect((await outcome(new PrometheusClient({ baseUrl: url('prom.example'), guard }).query('up'))).ok).toBe(true);
    expect(l.connections).toBe(before + 1);
    policy.offlineOnly = true;
    const local = await httpListener('127.0.0.1');
    try {
      expect((await outcome(new AlertmanagerClient({ baseUrl: `http://127.0.0.1:${local.port}`, guard }).alerts())).ok).toBe(true);
      expect(local.connections).toBe(1);
    } finally {
      await local.close();
    }
  });
});
