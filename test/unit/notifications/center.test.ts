// NotificationCenter: event filter, severity, dedup, rate limits with a summary, failures audited and scrubbed — injected clock.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  NotificationSetInputSchema,
  type NotificationSettings,
  type RemoteChannel,
} from '../../../common/contracts/notifications';
import { EvolveError } from '../../../common/errors';
import type { ClusterNotification, Notifier } from '../../../main/services/cluster/notifier';
import { NotificationCenter, type NotificationAuditData } from '../../../main/services/notifications/center';

const WEBHOOK = 'https://hooks.example.org/services/T000/B000/very-secret-token';

/** Channel that records what it was asked to send; `fail` makes it throw an error that echoes the webhook. */
class Recorder implements Notifier {
  sent: ClusterNotification[] = [];
  fail = false;
  constructor(readonly channel: string) {}
  async notify(n: ClusterNotification): Promise<void> {
    if (this.fail) throw new EvolveError('NOT_FOUND', `POST ${WEBHOOK}: not found (no_service)`);
    this.sent.push(n);
  }
}

function harness(patch: Partial<NotificationSettings> = {}) {
  let now = 1_000_000;
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const audit: NotificationAuditData[] = [];
  const logs: string[] = [];
  let settings: NotificationSettings = {
    ...DEFAULT_NOTIFICATION_SETTINGS,
    slack: { enabled: true },
    email: { ...DEFAULT_NOTIFICATION_SETTINGS.email, enabled: true, host: 'smtp.local', from: 'a@b.org', to: ['ops@b.org'] },
    rateLimit: { perHour: 60, burst: 2 },
    ...patch,
  };
  const channels = { slack: new Recorder('slack'), email: new Recorder('email') };
  const center = new NotificationCenter({
    settings: {
      load: async () => settings,
      save: async (input) => (settings = NotificationSetInputSchema.parse(input).settings),
      secretFlags: async () => ({ slackWebhook: true, smtpPassword: false }),
      secrets: async () => ({ slackWebhookUrl: WEBHOOK, smtpPassword: null }),
    },
    log: (_l, m) => void logs.push(m),
    audit: async (d) => void audit.push(d),
    now: () => now,
    schedule: (ms, fn) => {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return () => void (t.cancelled = true);
    },
    buildChannel: (c: RemoteChannel) => channels[c],
  });
  return {
    center,
    channels,
    audit,
    logs,
    timers,
    advance: async (ms: number) => {
      now += ms;
      for (const t of timers.filter((x) => !x.cancelled && x.at <= now)) {
        t.cancelled = true;
        t.fn();
      }
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

const failed = (jobId: string, submissionId: string): ClusterNotification => ({
  severity: 'critical',
  title: `Training job ${jobId} failed`,
  body: 'exit 1',
  source: 'job',
  jobId,
  event: 'job-failed',
  submissionId,
});
const alert = (fp: string, event: 'alert-firing' | 'alert-resolved', severity: ClusterNotification['severity'] = 'warning') => ({
  severity,
  title: `[${event}] ${fp}`,
  body: '',
  source: 'alert' as const,
  event,
  alertFingerprint: fp,
});

describe('NotificationCenter', () => {
  let h: ReturnType<typeof harness>;
  beforeEach(() => {
    h = harness({ rateLimit: { perHour: 60, burst: 10 } });
  });

  it('sends a job failure once per attempt within the dedup window, and again after it', async () => {
    await h.center.notify(failed('j1', 'a1'));
    await h.center.notify(failed('j1', 'a1'));
    expect(h.channels.slack.sent).toHaveLength(1);
    expect(h.channels.email.sent).toHaveLength(1);
    await h.center.notify(failed('j1', 'a2')); // a later attempt failing is news
    expect(h.channels.slack.sent).toHaveLength(2);
    await h.advance(30 * 60_000);
    await h.center.notify(failed('j1', 'a1'));
    expect(h.channels.slack.sent).toHaveLength(3);
    expect((await h.center.get()).stats.deduplicated).toBe(1);
    expect(h.audit.filter((a) => a.channel === 'slack').map((a) => [a.event, a.ok, a.jobId])).toEqual([
      ['job-failed', true, 'j1'],
      ['job-failed', true, 'j1'],
      ['job-failed', true, 'j1'],
    ]);
  });

  it('alerts: firing and resolved of one fingerprint are two events; a repeated firing is dropped', async () => {
    await h.center.notify(alert('fp1', 'alert-firing'));
    await h.center.notify(alert('fp1', 'alert-firing'));
    await h.center.notify(alert('fp1', 'alert-resolved'));
    expect(h.channels.email.sent.map((n) => n.event)).toEqual(['alert-firing', 'alert-resolved']);
  });

  it('honours the event switches, the minimum severity and the per-channel switch', async () => {
    h = harness({
      events: { jobFailed: true, selfHeal: false, alertFiring: true, alertResolved: true },
      minSeverity: 'critical',
      slack: { enabled: false },
    });
    await h.center.notify({ ...failed('j2', 'a1'), event: 'self-heal' });
    await h.center.notify(alert('fp2', 'alert-firing', 'warning'));
    await h.center.notify(alert('fp3', 'alert-firing', 'critical'));
    expect(h.channels.email.sent.map((n) => n.alertFingerprint)).toEqual(['fp3']);
    expect(h.channels.slack.sent).toEqual([]);
  });

  it('rate limit: a burst goes out, the rest are counted and summarised once a token is free', async () => {
    h = harness({ rateLimit: { perHour: 60, burst: 2 } });
    for (let i = 1; i <= 5; i++) await h.center.notify(alert(`storm-${i}`, 'alert-firing', i === 4 ? 'critical' : 'warning'));
    expect(h.channels.slack.sent.map((n) => n.alertFingerprint)).toEqual(['storm-1', 'storm-2']);
    const st = await h.center.get();
    expect(st.stats.channels.find((c) => c.channel === 'slack')).toMatchObject({ sent: 2, rateLimited: 3 });
    expect(h.logs.filter((l) => l.includes('rate limit reached'))).toHaveLength(6); // 3 per channel
    // One summary timer per channel, set for when the next token arrives (1 per minute).
    expect(h.timers.filter((t) => !t.cancelled).map((t) => t.at - 1_000_000)).toEqual([60_000, 60_000]);
    await h.advance(59_000);
    expect(h.channels.slack.sent).toHaveLength(2);
    await h.advance(1_000);
    const summary = h.channels.slack.sent.at(-1);
    expect(summary?.title).toBe('3 notifications held back by the rate limit');
    expect(summary?.severity).toBe('critical');
    expect(summary?.body).toContain('[alert-firing] storm-3');
    expect(summary?.body).toContain('[alert-firing] storm-5');
    expect(h.channels.email.sent.at(-1)?.title).toBe('3 notifications held back by the rate limit');
    expect((await h.center.get()).stats.channels.find((c) => c.channel === 'slack')?.rateLimited).toBe(0);
    expect(h.audit.filter((a) => a.event === 'rate-limit-summary').map((a) => a.channel)).toEqual(['slack', 'email']);
  });

  it('a failing channel does not stop the other; the failure is counted and audited without the secret', async () => {
    h.channels.slack.fail = true;
    await expect(h.center.notify(failed('j3', 'a1'))).resolves.toBeUndefined();
    expect(h.channels.email.sent).toHaveLength(1);
    const bad = h.audit.find((a) => a.channel === 'slack');
    expect(bad).toMatchObject({ ok: false, event: 'job-failed' });
    expect(bad?.error).toContain('[secret]');
    expect(JSON.stringify(h.audit)).not.toContain('very-secret-token');
    expect(JSON.stringify(await h.center.get())).not.toContain('very-secret-token');
    expect((await h.center.get()).stats.channels.find((c) => c.channel === 'slack')).toMatchObject({ failed: 1 });
  });

  it('sendTest: the channel error comes back typed and scrubbed; success reports the time taken', async () => {
    h.channels.slack.fail = true;
    const err = await h.center.sendTest('slack').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvolveError);
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
    expect((err as Error).message).not.toContain('very-secret-token');
    await expect(h.center.sendTest('email')).resolves.toMatchObject({ channel: 'email' });
    expect(h.channels.email.sent[0]?.title).toBe('Test notification from Evolve Studio');
    expect(h.audit.map((a) => [a.channel, a.event, a.ok])).toEqual([
      ['slack', 'test', false],
      ['email', 'test', true],
    ]);
  });

  it('a detail provider adds text to the body (the diagnosis summary); a failing one adds nothing', async () => {
    h.center.setDetailProvider(async (n) => (n.jobId === 'j4' ? 'Likely cause: host OOM-killed' : null));
    await h.center.notify(failed('j4', 'a1'));
    expect(h.channels.slack.sent[0]?.body).toBe('exit 1\n\nLikely cause: host OOM-killed');
    h.center.setDetailProvider(async () => {
      throw new Error('diagnosis unavailable');
    });
    await h.center.notify(failed('j5', 'a1'));
    expect(h.channels.slack.sent[1]?.body).toBe('exit 1');
  });

  it('saving new settings rebuilds the channels (turning Slack off stops Slack sends)', async () => {
    await h.center.notify(alert('fp9', 'alert-firing'));
    const current = (await h.center.get()).settings;
    await h.center.set({ settings: { ...current, slack: { enabled: false } } });
    await h.center.notify(alert('fp10', 'alert-firing'));
    expect(h.channels.slack.sent.map((n) => n.alertFingerprint)).toEqual(['fp9']);
    expect(h.channels.email.sent.map((n) => n.alertFingerprint)).toEqual(['fp9', 'fp10']);
  });
});
