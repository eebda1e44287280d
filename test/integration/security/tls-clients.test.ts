// Every outbound client against local TLS servers whose certificate is signed by a throw-away CA: each refuses the
// server with a typed error naming the certificate problem (and the server never sees the request), a CA that did not
// sign it does not help, and the client's own CA setting makes it work. Turning verification off in any client makes
// its "refused" case succeed, so this file fails. Inventory and CA settings: docs/tls.md.
import { once } from 'node:events';
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { EvolveError } from '../../../common/errors';
import { EgressGuard, readCaFile } from '../../../main/platform/egress';
import { AlertmanagerClient } from '../../../main/services/cluster/alertmanager-client';
import { EmailNotifier, SlackNotifier, type ClusterNotification } from '../../../main/services/cluster/notifier';
import { PrometheusClient } from '../../../main/services/cluster/prometheus-client';
import { RayClient } from '../../../main/services/cluster/ray-client';
import { tailJobLogs } from '../../../main/services/cluster/ray-log-tail';
import type { LocalInferenceClient } from '../../../main/services/chat/inference-client';
import { downloadModel } from '../../../main/services/models/downloader';
import { ModelManager } from '../../../main/services/models/model-manager';
import { ModelRegistry } from '../../../main/services/models/registry';
import { MemoryModelRepository } from '../../../main/services/models/repository';
import { SettingsService } from '../../../main/services/settings/settings-service';
import { inspectGguf } from '../../../native/inference/gguf-file';
import { defaultChannel } from '../../../main/services/notifications/center';
import { createProvider } from '../../../main/services/providers/create-provider';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../../common/contracts/notifications';
import { CatalogEntrySchema } from '../../../common/inference/models';
import { missingBinaries } from '../../support/cluster/processes';
import { createTestCa, type TestCa } from '../../support/security/test-ca';

/** none = the client's defaults; other = a CA that did not sign the server; right = the CA that did. */
type Trust = 'none' | 'other' | 'right';

const note: ClusterNotification = { severity: 'warning', title: 'TLS test', body: 'hello', source: 'alert', alertFingerprint: 'tls' };
const MODEL_BYTES = Buffer.from('GGUF tiny model bytes for the TLS test');

let ca: TestCa;
let base = '';
let smtpsPort = 0;
let starttlsPort = 0;
let https_: https.Server;
let smtps: SMTPServer;
let starttls: SMTPServer;
/** Requests (or mails) each client's server handled: a refused client must leave its count unchanged. */
const served = new Map<string, number>();
/** TCP connections to the HTTPS server: a client that retried a refused certificate would open several. */
let httpsConnections = 0;
let downloads = 0;
const guard = new EgressGuard(() => ({ offlineOnly: false }));

const count = (k: string) => served.set(k, (served.get(k) ?? 0) + 1);
const caFileFor = (t: Trust) => (t === 'right' ? ca.caFile : t === 'other' ? ca.otherCaFile : undefined);
const caFor = (t: Trust) => (t === 'right' ? ca.ca : t === 'other' ? ca.otherCa : undefined);
const clusterTls = (t: Trust) => {
  const caFile = caFileFor(t);
  return caFile ? { tls: { caFile, insecure: false } } : {};
};
const caFileOpt = (t: Trust) => {
  const caFile = caFileFor(t);
  return caFile ? { caFile } : {};
};

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function smtpServer(secure: boolean, key: string): SMTPServer {
  const server = new SMTPServer({
    secure,
    key: ca.serverKey,
    cert: ca.serverCert,
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      stream.resume();
      stream.on('end', () => {
        count(key);
        cb();
      });
    },
  });
  // A client that refuses the certificate drops the socket mid-handshake; smtp-server reports that as an error event.
  server.on('error', () => undefined);
  return server;
}

async function listen(s: SMTPServer): Promise<number> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.server.address() as AddressInfo).port;
}

interface ClientCase {
  name: string;
  /** Key of `served` the request lands on when it gets through. */
  key: string;
  /** Where the user adds the CA (as docs/tls.md names it). */
  setting: string;
  run(t: Trust): Promise<unknown>;
}

/** The tiny model on the HTTPS server as a catalog entry. */
const tinyCatalogEntry = () =>
  CatalogEntrySchema.parse({
    id: 'tiny-tls',
    name: 'Tiny TLS',
    description: '',
    url: `${base}/models/tiny.gguf`,
    fileName: 'tiny.gguf',
    sizeBytes: MODEL_BYTES.length,
    quantization: 'none',
    parameters: '0',
    contextLength: 1,
    license: 'test',
    instructionTuned: false,
  });

/** A real ModelManager on a fresh cache; the engine is never reached by a download (the registry reads the header itself). */
async function modelManager(cacheDir: string): Promise<ModelManager> {
  const registry = await ModelRegistry.open(new MemoryModelRepository(), async (p) => (await inspectGguf(p)).metadata);
  return new ModelManager({ registry, client: undefined as unknown as LocalInferenceClient, cacheDir, guard });
}

const provider = (cfg: Record<string, unknown>, t: Trust) =>
  createProvider({ ...cfg, ...caFileOpt(t) }, { getSecret: async () => 'test-key', guard }).listModels();

const CLIENTS: ClientCase[] = [
  {
    name: 'Ray dashboard (RayClient)',
    key: 'ray',
    setting: 'cluster profile → TLS CA file',
    run: async (t) => new RayClient({ baseUrl: base, guard, ...clusterTls(t) }).version(),
  },
  {
    name: 'Prometheus (PrometheusClient)',
    key: 'prometheus',
    setting: 'cluster profile → TLS CA file',
    run: async (t) => new PrometheusClient({ baseUrl: base, guard, ...clusterTls(t) }).query('up'),
  },
  {
    name: 'Alertmanager (AlertmanagerClient)',
    key: 'alertmanager',
    setting: 'cluster profile → TLS CA file',
    run: async (t) => new AlertmanagerClient({ baseUrl: base, guard, ...clusterTls(t) }).alerts(),
  },
  {
    name: 'Ray job log tail (wss)',
    key: 'log-tail',
    setting: 'cluster profile → TLS CA file',
    run: async (t) => {
      const lines: string[] = [];
      await tailJobLogs({ baseUrl: base, serviceName: 'Ray dashboard', guard, ...clusterTls(t) }, 'raysubmit_tls', {
        onLines: (l) => lines.push(...l),
        connectTimeoutMs: 5_000,
      });
      expect(lines).toEqual(['epoch 1', 'epoch 2']);
    },
  },
  {
    name: 'Slack webhook (SlackNotifier)',
    key: 'slack',
    setting: 'SlackConfig.caFile',
    run: async (t) => new SlackNotifier({ webhookUrl: `${base}/services/T0/B0/tls`, ...caFileOpt(t) }, guard).notify(note),
  },
  {
    name: 'SMTP with implicit TLS (EmailNotifier, secure)',
    key: 'smtps',
    setting: 'SmtpConfig.caFile',
    run: async (t) =>
      new EmailNotifier(
        {
          host: '127.0.0.1',
          port: smtpsPort,
          secure: true,
          from: 'ops@example.com',
          to: ['me@example.com'],
          timeoutMs: 5_000,
          ...caFileOpt(t),
        },
        guard,
      ).notify(note),
  },
  {
    name: 'SMTP with STARTTLS (EmailNotifier, requireTLS)',
    key: 'starttls',
    setting: 'SmtpConfig.caFile',
    run: async (t) =>
      new EmailNotifier(
        {
          host: '127.0.0.1',
          port: starttlsPort,
          secure: false,
          requireTLS: true,
          from: 'ops@example.com',
          to: ['me@example.com'],
          timeoutMs: 5_000,
          ...caFileOpt(t),
        },
        guard,
      ).notify(note),
  },
  {
    name: 'E-mail channel built from the notification settings (STARTTLS, CA file in Settings → Notifications)',
    key: 'starttls',
    setting: 'notification settings email.caFile',
    run: async (t) => {
      const email = {
        ...DEFAULT_NOTIFICATION_SETTINGS.email,
        enabled: true,
        host: '127.0.0.1',
        port: starttlsPort,
        tls: 'starttls' as const,
        from: 'ops@example.com',
        to: ['me@example.com'],
        ...caFileOpt(t),
      };
      await defaultChannel(guard)(
        'email',
        { ...DEFAULT_NOTIFICATION_SETTINGS, email },
        { slackWebhookUrl: null, smtpPassword: null },
      ).notify(note);
    },
  },
  {
    name: 'Model download (downloadModel)',
    key: 'download',
    setting: 'DownloadOptions.ca',
    run: async (t) => {
      const dest = path.join(ca.dir, `model-${++downloads}.gguf`);
      const c = caFor(t);
      const r = await downloadModel({ url: `${base}/models/tiny.gguf`, dest, guard, ...(c ? { ca: c } : {}) });
      expect(fs.readFileSync(r.path)).toEqual(MODEL_BYTES);
    },
  },
  {
    // What the models IPC handler does: the CA file saved in the settings (Models → Downloads), read at each download.
    name: 'Model download through ModelManager (CA file from the settings, Models → Downloads)',
    key: 'download',
    setting: 'settings modelDownloadCaFile',
    run: async (t) => {
      const dir = fs.mkdtempSync(path.join(ca.dir, 'mm-'));
      const settings = new SettingsService(path.join(dir, 'settings.json'));
      await settings.update({ modelDownloadCaFile: caFileFor(t) ?? null });
      const manager = await modelManager(path.join(dir, 'cache'));
      const r = await manager.download(tinyCatalogEntry(), undefined, undefined, { caFile: (await settings.get()).modelDownloadCaFile });
      expect(fs.readFileSync(r.path)).toEqual(MODEL_BYTES);
    },
  },
  {
    name: 'Slack channel built from the notification settings (CA file in Settings → Notifications → Slack)',
    key: 'slack',
    setting: 'notification settings slack.caFile',
    run: async (t) => {
      const slack = { ...DEFAULT_NOTIFICATION_SETTINGS.slack, enabled: true, ...caFileOpt(t) };
      await defaultChannel(guard)(
        'slack',
        { ...DEFAULT_NOTIFICATION_SETTINGS, slack },
        { slackWebhookUrl: `${base}/services/T0/B0/settings`, smtpPassword: null },
      ).notify(note);
    },
  },
  {
    name: 'OpenAI-compatible provider (openai SDK)',
    key: 'openai-models',
    setting: 'provider config caFile',
    run: (t) => provider({ id: 'vllm', label: 'vLLM', kind: 'openai-compatible', baseUrl: `${base}/v1` }, t),
  },
  {
    name: 'OpenAI provider with a gateway URL (openai SDK)',
    key: 'openai-models',
    setting: 'provider config caFile',
    run: (t) => provider({ id: 'openai', label: 'OpenAI', kind: 'openai', baseUrl: `${base}/v1` }, t),
  },
  {
    name: 'Anthropic provider with a gateway URL (anthropic SDK)',
    key: 'anthropic-models',
    setting: 'provider config caFile',
    run: (t) => provider({ id: 'claude', label: 'Claude', kind: 'anthropic', baseUrl: `${base}/anthropic` }, t),
  },
  {
    name: 'Hugging Face endpoint (TGI /info via the HF client fetch)',
    key: 'tgi-info',
    setting: 'provider config caFile',
    run: (t) => provider({ id: 'tgi', label: 'TGI', kind: 'huggingface', endpointUrl: `${base}/tgi` }, t),
  },
];

describe.skipIf(missingBinaries(['openssl']).length > 0)('TLS verification of every outbound client (needs openssl)', () => {
  beforeAll(async () => {
    ca = createTestCa();
    https_ = https.createServer({ key: ca.serverKey, cert: ca.serverCert }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://x');
      const p = url.pathname;
      if (p === '/api/version') {
        count('ray');
        return json(res, { version: '4', ray_version: '2.60.0' });
      }
      if (p === '/api/v1/query') {
        count('prometheus');
        return json(res, { status: 'success', data: { resultType: 'vector', result: [] } });
      }
      if (p === '/api/v2/alerts') {
        count('alertmanager');
        return json(res, []);
      }
      if (p.startsWith('/services/')) {
        count('slack');
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('ok');
      }
      if (p === '/models/tiny.gguf') {
        count('download');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(MODEL_BYTES.length) });
        return res.end(MODEL_BYTES);
      }
      if (p === '/v1/models') {
        count('openai-models');
        return json(res, { object: 'list', data: [{ id: 'tls-model', object: 'model', created: 0, owned_by: 'test' }] });
      }
      if (p === '/anthropic/v1/models') {
        count('anthropic-models');
        const m = { type: 'model', id: 'claude-tls', display_name: 'Claude TLS', created_at: '2025-01-01T00:00:00Z' };
        return json(res, { data: [m], has_more: false, first_id: m.id, last_id: m.id });
      }
      if (p === '/tgi/info') {
        count('tgi-info');
        return json(res, { model_id: 'tgi-tls', max_total_tokens: 4096 });
      }
      res.writeHead(404).end();
    });
    https_.on('connection', () => httpsConnections++);
    const wss = new WebSocketServer({ server: https_ });
    wss.on('connection', (ws, req) => {
      if (req.url !== '/api/jobs/raysubmit_tls/logs/tail') return ws.close(1008);
      count('log-tail');
      ws.send('epoch 1\nepoch 2\n', () => ws.close());
    });
    https_.listen(0, '127.0.0.1');
    await once(https_, 'listening');
    base = `https://127.0.0.1:${(https_.address() as AddressInfo).port}`;
    smtps = smtpServer(true, 'smtps');
    starttls = smtpServer(false, 'starttls');
    smtpsPort = await listen(smtps);
    starttlsPort = await listen(starttls);
  });
  afterAll(async () => {
    https_?.closeAllConnections();
    await Promise.all([
      new Promise<void>((r) => (https_ ? https_.close(() => r()) : r())),
      new Promise<void>((r) => (smtps ? smtps.close(() => r()) : r())),
      new Promise<void>((r) => (starttls ? starttls.close(() => r()) : r())),
    ]);
    ca?.cleanup();
  });

  describe.each(CLIENTS)('$name', (c) => {
    it.each<Trust>(['none', 'other'])(
      'refuses the server when trusting %s CA, with a typed error naming the certificate problem',
      async (t) => {
        const before = served.get(c.key) ?? 0;
        const err = await c.run(t).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, 'the request went through: certificate verification is off').toBeInstanceOf(EvolveError);
        expect(err).toMatchObject({
          code: 'UNAVAILABLE',
          message: expect.stringMatching(
            /TLS certificate check failed for .*: .*\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\); .*CA/,
          ),
          details: { reason: 'tls-certificate' },
        });
        expect(served.get(c.key) ?? 0, 'the server handled the request').toBe(before);
      },
    );

    it(`works once the user adds the CA (${c.setting})`, async () => {
      const before = served.get(c.key) ?? 0;
      await c.run('right');
      expect(served.get(c.key)).toBe(before + 1);
    });
  });

  it('a refused certificate is not retried as a dropped connection (model download: one connection, one error)', async () => {
    const before = httpsConnections;
    await expect(downloadModel({ url: `${base}/models/tiny.gguf`, dest: path.join(ca.dir, 'once.gguf'), guard })).rejects.toMatchObject({
      details: { reason: 'tls-certificate' },
    });
    expect(httpsConnections - before).toBe(1);
  });

  it('a CA file that cannot be read or holds no certificate is INVALID_ARGUMENT, never "no CA"', () => {
    expect(() => readCaFile(path.join(ca.dir, 'missing.pem'))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const notPem = path.join(ca.dir, 'not.pem');
    fs.writeFileSync(notPem, 'hello');
    expect(() => readCaFile(notPem)).toThrow(/holds no PEM certificate/);
    expect(() =>
      createProvider(
        { id: 'vllm', label: 'vLLM', kind: 'openai-compatible', baseUrl: `${base}/v1`, caFile: notPem },
        { getSecret: async () => undefined, guard },
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('an unreadable download CA file (the Models → Downloads setting) fails the download before any request', async () => {
    const before = served.get('download') ?? 0;
    const manager = await modelManager(fs.mkdtempSync(path.join(ca.dir, 'mm-bad-')));
    const missing = path.join(ca.dir, 'missing.pem');
    await expect(manager.download(tinyCatalogEntry(), undefined, undefined, { caFile: missing })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/Cannot read the CA file/),
    });
    expect(served.get('download') ?? 0).toBe(before);
  });
});
