// Notifiers against real local receivers: a Slack-style webhook HTTP server and an SMTP server (smtp-server + nodemailer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DesktopNotifier,
  EmailNotifier,
  FanOutNotifier,
  SlackNotifier,
  type ClusterNotification,
} from '../../../main/services/cluster/notifier';
import { startRecordingServer, startSmtpSink, type RecordingServer, type SmtpSink } from '../../support/cluster/local-servers';
import { freePort } from '../../support/cluster/processes';

const note: ClusterNotification = {
  severity: 'critical',
  title: 'NodeDown on 10.0.0.7',
  body: 'node-exporter unreachable for 1m',
  source: 'alert',
  alertFingerprint: 'abc',
};

describe('notifications', () => {
  let hook: RecordingServer;
  let smtp: SmtpSink;
  let smtpAuth: SmtpSink;

  beforeAll(async () => {
    hook = await startRecordingServer();
    smtp = await startSmtpSink();
    smtpAuth = await startSmtpSink({ user: 'ops', password: 's3cret' });
  });
  afterAll(async () => {
    await hook.close();
    await smtp.close();
    await smtpAuth.close();
  });

  it('Slack: POSTs JSON text to the webhook path', async () => {
    await new SlackNotifier({ webhookUrl: `${hook.url}/services/T0/B0/xyz?x=1` }).notify(note);
    const req = hook.requests.at(-1);
    expect(req).toMatchObject({ method: 'POST', path: '/services/T0/B0/xyz?x=1' });
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '{}')).toEqual({ text: ':rotating_light: *NodeDown on 10.0.0.7*\nnode-exporter unreachable for 1m' });
  });

  it('Slack: a rejected webhook and a dead one are typed errors; a bad URL is refused up front', async () => {
    hook.respondWith = { status: 404, body: 'no_service' };
    await expect(new SlackNotifier({ webhookUrl: `${hook.url}/x` }).notify(note)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    hook.respondWith = { status: 200, body: 'ok' };
    const port = await freePort();
    await expect(new SlackNotifier({ webhookUrl: `http://127.0.0.1:${port}/x`, timeoutMs: 2000 }).notify(note)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    expect(() => new SlackNotifier({ webhookUrl: 'file:///etc/passwd' })).toThrow(/Invalid Slack webhook/);
  });

  it('e-mail: delivers through SMTP to every recipient', async () => {
    await new EmailNotifier({
      host: '127.0.0.1',
      port: smtp.port,
      from: 'evolve@example.org',
      to: ['a@example.org', 'b@example.org'],
    }).notify(note);
    const msg = smtp.messages.at(-1);
    expect(msg?.from).toBe('evolve@example.org');
    expect(msg?.to).toEqual(['a@example.org', 'b@example.org']);
    expect(msg?.raw).toContain('Subject: [Evolve Studio] NodeDown on 10.0.0.7');
    expect(msg?.raw).toContain('node-exporter unreachable for 1m');
  });

  it('e-mail: authenticates when configured; a wrong password is UNAUTHENTICATED; bad settings are refused', async () => {
    const cfg = { host: '127.0.0.1', port: smtpAuth.port, from: 'evolve@example.org', to: ['ops@example.org'], user: 'ops' };
    await new EmailNotifier({ ...cfg, password: 's3cret' }).notify(note);
    expect(smtpAuth.messages).toHaveLength(1);
    await expect(new EmailNotifier({ ...cfg, password: 'wrong' }).notify(note)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(() => new EmailNotifier({ ...cfg, to: ['not-an-address'] })).toThrow(/Invalid SMTP settings \(to\.0\)/);
  });

  it('fan-out: one failing channel does not stop the others; all failing is UNAVAILABLE', async () => {
    const shown: string[] = [];
    const desktop = new DesktopNotifier((t) => void shown.push(t));
    const deadPort = await freePort();
    const deadSlack = new SlackNotifier({ webhookUrl: `http://127.0.0.1:${deadPort}/x`, timeoutMs: 2000 });
    const results = await new FanOutNotifier([desktop, deadSlack]).send(note);
    expect(results.map((r) => [r.channel, r.ok])).toEqual([
      ['desktop', true],
      ['slack', false],
    ]);
    expect(shown).toEqual(['NodeDown on 10.0.0.7']);
    await expect(new FanOutNotifier([deadSlack]).notify(note)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('slack'),
    });
  });
});
