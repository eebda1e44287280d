// Local receivers for notification tests: an HTTP server that records POSTs (Slack, Alertmanager webhooks) and an SMTP server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface RecordingServer {
  url: string;
  requests: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[];
  /** Status the next requests get (to test failures). */
  respondWith: { status: number; body: string };
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const rec: RecordingServer = { url: '', requests: [], respondWith: { status: 200, body: 'ok' }, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      rec.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(rec.respondWith.status, { 'content-type': 'text/plain' });
      res.end(rec.respondWith.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rec.close = () => new Promise((r) => server.close(() => r()));
  return rec;
}

export interface SmtpSink {
  port: number;
  messages: { from: string; to: string[]; raw: string }[];
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that accepts everything, with optional required auth. */
export async function startSmtpSink(opts: { user?: string; password?: string } = {}): Promise<SmtpSink> {
  const sink: SmtpSink = { port: 0, messages: [], close: async () => {} };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.password) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        sink.messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  sink.port = (server.server.address() as AddressInfo).port;
  sink.close = () => new Promise((r) => server.close(() => r()));
  return sink;
}

/**
 * A scrape target serving Prometheus text format from `render()` on every scrape: stands in for exporters
 * that need hardware we do not have here (DCGM on a GPU node) or a busy cluster (Ray's failed-task counts).
 */
export async function startMetricsTarget(render: () => string): Promise<{ target: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(render());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { target: `127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}
