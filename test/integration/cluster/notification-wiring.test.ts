// Notifications end to end on the real app services: secrets in the real keychain, a real failed job on a real Ray
// cluster and real Alertmanager alerts reach a local Slack-style webhook and a real SMTP server — once each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationSettings } from '../../../common/contracts/notifications';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../../common/contracts/notifications';
import { createAppServices, type AppServices } from '../../../main/services';
import { SETTINGS_KEY, SLACK_WEBHOOK_ACCOUNT, SMTP_PASSWORD_ACCOUNT } from '../../../main/services/notifications/settings-store';
import { KeytarKeychain } from '../../../native/keychain/keytar-keychain';
import { PassphraseKeychain } from '../../../native/keychain/passphrase-keychain';
import { startRecordingServer, startSmtpSink, type RecordingServer, type SmtpSink } from '../../support/cluster/local-servers';
import { missingBinaries, waitFor } from '../../support/cluster/processes';
import { startAlertmanager } from '../../support/cluster/prometheus-stack';
import { rayUnavailableReason, startRayCluster, type RayCluster } from '../../support/cluster/ray-cluster';

const skip = rayUnavailableReason() ?? (missingBinaries(['prometheus-alertmanager']).length ? 'no prometheus-alertmanager' : null);
/** scripts/store/with-keyring.sh (and CI's test-all.sh) provide a Secret Service; without one the store uses a passphrase keychain. */
const REAL_KEYCHAIN = !!process.env.DBUS_SESSION_BUS_ADDRESS;
const HOOK_PATH = '/services/T0/B0/secret-hook-path';
const SMTP_PASSWORD = 'smtp-pass-0xC0FFEE';

/** Quoted-printable bytes to text (UTF-8). */
const qp = (s: string) =>
  Buffer.from(
    s.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

/** Just enough MIME to read what nodemailer sent: unfolded headers with RFC 2047 words decoded, and a QP or base64 body. */
function decodeMail(raw: string): string {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split);
  const body = raw.slice(split).trim();
  const headers = head.replace(/\r?\n[ \t]+/g, ' ').replace(/=\?UTF-8\?Q\?([^?]*)\?=[ \t]*/gi, (_, q: string) => qp(q.replace(/_/g, ' ')));
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) return `${headers}\n\n${qp(body.replace(/=\r?\n/g, ''))}`;
  if (/content-transfer-encoding:\s*base64/i.test(head)) return `${headers}\n\n${Buffer.from(body, 'base64').toString('utf8')}`;
  return `${headers}\n\n${body}`;
}

describe.skipIf(skip !== null)('notifications wired to real job failures and Alertmanager alerts', () => {
  let ray: RayCluster;
  let hook: RecordingServer;
  let smtp: SmtpSink;
  let am: Awaited<ReturnType<typeof startAlertmanager>>;
  let app: AppServices;
  // Made in beforeAll, not while collecting: a skipped suite never runs afterAll, so it would leave the folder behind.
  let root = '';
  const slackPosts = (text: string) => hook.requests.filter((r) => r.path === HOOK_PATH && r.body.includes(text));
  const mails = (text: string) => smtp.messages.map((m) => decodeMail(m.raw)).filter((m) => m.includes(text));

  const settings = (): NotificationSettings => ({
    ...DEFAULT_NOTIFICATION_SETTINGS,
    minSeverity: 'warning',
    slack: { enabled: true },
    email: {
      enabled: true,
      host: '127.0.0.1',
      port: smtp.port,
      tls: 'none',
      user: 'ops',
      from: 'evolve@example.org',
      to: ['oncall@example.org'],
    },
  });

  /** Slack and e-mail on, with their secrets (each test can run alone with -t). */
  const configure = () =>
    app.notifications.set({ settings: settings(), secrets: { slackWebhookUrl: `${hook.url}${HOOK_PATH}`, smtpPassword: SMTP_PASSWORD } });

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'evnotify-'));
    hook = await startRecordingServer();
    smtp = await startSmtpSink({ user: 'ops', password: SMTP_PASSWORD });
    [ray, am] = await Promise.all([startRayCluster({ workers: 0 }), startAlertmanager(`${hook.url}/alertmanager-webhook`)]);
    app = createAppServices({
      mode: 'host',
      paths: { dataDir: path.join(root, 'data'), modelCacheDir: path.join(root, 'models') },
      doctorChecks: [],
      modelFolders: [],
      scryptN: 2 ** 12,
      keychain: REAL_KEYCHAIN
        ? () => KeytarKeychain.create()
        : () => PassphraseKeychain.unlock(path.join(root, 'keychain.json'), 'test-passphrase', { scryptN: 2 ** 12 }),
      inferenceStartDelayMs: 3_600_000,
      alertPollIntervalMs: 300,
    });
    await app.start();
    expect(app.store.ready).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await app?.dispose();
    await Promise.all([ray?.stop(), am?.svc.stop(), hook?.close(), smtp?.close()]);
    if (root) fs.rmSync(root, { recursive: true, force: true }); // the job's checkpoint dir is inside it
  }, 60_000);

  it('bad settings are refused and save nothing; secrets go to the keychain and never come back out', async () => {
    const n = app.notifications;
    const bad = { ...settings(), email: { ...settings().email, to: ['not-an-address'] } };
    await expect(n.set({ settings: bad, secrets: { slackWebhookUrl: `${hook.url}${HOOK_PATH}` } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('email.to.0'),
    });
    await expect(n.set({ settings: { ...settings(), email: DEFAULT_NOTIFICATION_SETTINGS.email } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('webhook'),
    });
    expect(await n.get()).toMatchObject({ settings: DEFAULT_NOTIFICATION_SETTINGS, secrets: { slackWebhook: false, smtpPassword: false } });

    const state = await n.set({
      settings: settings(),
      secrets: { slackWebhookUrl: `${hook.url}${HOOK_PATH}`, smtpPassword: SMTP_PASSWORD },
    });
    expect(state.secrets).toEqual({ slackWebhook: true, smtpPassword: true });
    expect(JSON.stringify(state)).not.toMatch(/secret-hook-path|0xC0FFEE/);
    const row = await app.store.client.call('setting.get', { key: SETTINGS_KEY });
    expect(JSON.stringify(row)).not.toMatch(/secret-hook-path|0xC0FFEE/);
    if (REAL_KEYCHAIN) {
      // Straight from the OS keychain (Secret Service), not through the app.
      const kc = await KeytarKeychain.create();
      expect(await kc.get('evolve-studio.secrets', SLACK_WEBHOOK_ACCOUNT)).toBe(`${hook.url}${HOOK_PATH}`);
      expect(await kc.get('evolve-studio.secrets', SMTP_PASSWORD_ACCOUNT)).toBe(SMTP_PASSWORD);
    }
  });

  it('send test: delivers on each channel; a rejected webhook and a wrong SMTP password are typed errors', async () => {
    const n = app.notifications;
    await expect(n.sendTest('slack')).resolves.toMatchObject({ channel: 'slack' });
    await expect(n.sendTest('email')).resolves.toMatchObject({ channel: 'email' });
    expect(slackPosts('Test notification from Evolve Studio')).toHaveLength(1);
    expect(mails('Subject: [Evolve Studio] Test notification from Evolve Studio')).toHaveLength(1);

    hook.respondWith = { status: 404, body: 'no_service' };
    await expect(n.sendTest('slack')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    hook.respondWith = { status: 200, body: 'ok' };
    await n.set({ settings: settings(), secrets: { smtpPassword: 'wrong' } });
    await expect(n.sendTest('email')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await n.set({ settings: settings(), secrets: { smtpPassword: SMTP_PASSWORD } });
  });

  it('a job failing on the real Ray cluster: its self-heal and its final failure each arrive once on Slack and by e-mail', async () => {
    await configure();
    await app.cluster.upsertProfile({ id: 'local', name: 'Local Ray', dashboardUrl: ray.dashboardUrl, alertmanagerUrl: am.url }, undefined);
    const s = await app.cluster.services('local');
    // A bundle of 64 CPUs never fits this 1-CPU cluster: ray_launch.py gives up after 1 s (a placement error, which
    // self-healing retries once), so the job fails fast and for real, through Ray's job API.
    const job = await s.jobs.submitTraining({
      name: 'doomed-run',
      config: { run_name: 'doomed-run', max_steps: 5, checkpoint_dir: fs.mkdtempSync(path.join(root, 'ck-')) },
      launch: { numNodes: 1, cpusPerNode: 64, placementTimeoutS: 1 },
      maxRestarts: 1,
    });
    const done = await s.jobs.follow(job.id, { timeoutMs: 90_000 });
    expect(done.attempts.map((a) => [a.reason, a.status])).toEqual([
      ['initial', 'FAILED'],
      ['self-heal', 'FAILED'],
    ]);
    const sentSoFar = async () =>
      JSON.stringify({
        slack: hook.requests.map((r) => r.body.slice(0, 100)),
        mail: smtp.messages.map((m) => /Subject: .*/.exec(m.raw)?.[0]),
        stats: (await app.notifications.get()).stats,
      });
    await waitFor(
      'both notifications on both channels',
      async () => slackPosts('doomed-run').length >= 2 && mails('doomed-run').length >= 2,
      {
        timeoutMs: 15_000,
        intervalMs: 100,
      },
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; sent so far: ${await sentSoFar()}`);
    });
    expect(slackPosts('Training job \\"doomed-run\\" failed')).toHaveLength(1);
    expect(slackPosts('restarted (self-heal 1/1)')).toHaveLength(1);
    expect(mails('Subject: [Evolve Studio] Training job "doomed-run" failed')).toHaveLength(1);
    expect(mails('restarted (self-heal 1/1)')).toHaveLength(1);
    expect(mails('Training job "doomed-run" failed')[0]).toContain('restart limit reached');

    // The same failure reported again (a second follower, a restarted app re-reading the job) is not sent twice.
    const last = done.attempts.at(-1);
    await app.notifications.notify({
      severity: 'critical',
      title: `Training job "doomed-run" failed`,
      body: 'again',
      source: 'job',
      jobId: job.id,
      event: 'job-failed',
      submissionId: last?.submissionId,
    });
    expect(slackPosts('doomed-run')).toHaveLength(2);
    expect(mails('doomed-run')).toHaveLength(2);
    expect((await app.notifications.get()).stats.deduplicated).toBeGreaterThanOrEqual(1);

    const audit = await app.store.audit.list({ kinds: ['notification.send'], limit: 100 });
    const forJob = audit.filter((r) => JSON.stringify(r.data).includes(job.id));
    expect(forJob.map((r) => (r.data as { channel: string }).channel).sort()).toEqual(['email', 'email', 'slack', 'slack']);
    expect(JSON.stringify(audit)).not.toMatch(/secret-hook-path|0xC0FFEE/);
  });

  it('an alert firing in the real Alertmanager is notified once, and again when it resolves', async () => {
    const alert = {
      labels: { alertname: 'DiskWillFillIn4h', instance: 'node-1:9100', severity: 'critical', mountpoint: '/data' },
      annotations: { summary: 'Disk /data on node-1 fills within 4 h at the current rate' },
    };
    await configure();
    await app.cluster.upsertProfile({ id: 'local', name: 'Local Ray', dashboardUrl: ray.dashboardUrl, alertmanagerUrl: am.url }, undefined);
    const post = (endsAt: Date) =>
      fetch(`${am.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ ...alert, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: endsAt.toISOString() }]),
      });
    expect((await post(new Date(Date.now() + 3_600_000))).status).toBe(200);
    await waitFor(
      'the firing alert on Slack and e-mail',
      async () => slackPosts('[FIRING] DiskWillFillIn4h').length > 0 && mails('[FIRING] DiskWillFillIn4h').length > 0,
      {
        timeoutMs: 15_000,
        intervalMs: 100,
      },
    );
    // Several polls later it is still one message per channel.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(slackPosts('[FIRING] DiskWillFillIn4h')).toHaveLength(1);
    expect(mails('[FIRING] DiskWillFillIn4h')).toHaveLength(1);
    expect(slackPosts('[FIRING] DiskWillFillIn4h')[0]?.body).toContain('fills within 4 h');

    expect((await post(new Date(Date.now() - 1_000))).status).toBe(200);
    await waitFor(
      'the resolution on Slack and e-mail',
      async () => slackPosts('[RESOLVED] DiskWillFillIn4h').length > 0 && mails('[RESOLVED] DiskWillFillIn4h').length > 0,
      {
        timeoutMs: 15_000,
        intervalMs: 100,
      },
    );
    expect(slackPosts('[RESOLVED] DiskWillFillIn4h')).toHaveLength(1);
  });
});
