// NotificationCenter: Slack/e-mail channels built from settings, event filter, dedup, per-channel rate limits, audited sends.
import {
  SEVERITY_RANK,
  type NotificationEvent,
  type NotificationSettings,
  type NotificationState,
  type RemoteChannel,
} from '../../../common/contracts/notifications';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { EgressGuard } from '../../platform/egress';
import { EmailNotifier, FanOutNotifier, SlackNotifier, type ClusterNotification, type Notifier } from '../cluster/notifier';
import type { NotificationSettingsStore } from './settings-store';
import { ChannelBucket, Dedup } from './throttle';

/** What one send records in the audit log: never the message body, never a secret. */
export interface NotificationAuditData {
  channel: string;
  event: NotificationEvent | 'test' | 'rate-limit-summary';
  ok: boolean;
  error?: string;
  jobId?: string;
  alertFingerprint?: string;
}

export interface NotificationCenterOptions {
  settings: Pick<NotificationSettingsStore, 'load' | 'save' | 'secretFlags' | 'secrets'>;
  log: (level: 'info' | 'warn', msg: string) => void;
  /** Records each send (the store's audit log in the app). */
  audit?: (d: NotificationAuditData) => Promise<unknown>;
  guard?: EgressGuard;
  now?: () => number;
  /** Runs `fn` after `ms` (the rate-limit summary); returns a cancel function. Tests pass a manual scheduler. */
  schedule?: (ms: number, fn: () => void) => () => void;
  /** Builds one channel from settings and secrets (default: Slack webhook / SMTP through the egress guard). */
  buildChannel?: (channel: RemoteChannel, s: NotificationSettings, secrets: ChannelSecrets) => Notifier;
}

export interface ChannelSecrets {
  slackWebhookUrl: string | null;
  smtpPassword: string | null;
}

/** Extra text for a notification (e.g. the failure diagnosis of a job, issue 16 item 1); null adds nothing. */
export type DetailProvider = (n: ClusterNotification) => Promise<string | null>;

interface Built {
  settings: NotificationSettings;
  channels: Map<RemoteChannel, Notifier>;
  secrets: string[];
}

interface Stats {
  sent: number;
  failed: number;
  lastError: string | null;
}

const EVENT_SETTING: Record<NotificationEvent, keyof NotificationSettings['events']> = {
  'job-failed': 'jobFailed',
  'self-heal': 'selfHeal',
  'alert-firing': 'alertFiring',
  'alert-resolved': 'alertResolved',
};

export function eventOf(n: ClusterNotification): NotificationEvent {
  return n.event ?? (n.source === 'job' ? 'job-failed' : 'alert-firing');
}

/** Same key = same news: a job event per attempt, an alert per fingerprint and state. */
export function dedupKey(n: ClusterNotification): string {
  const event = eventOf(n);
  if (n.source === 'job') return `${event}:${n.jobId ?? n.title}:${n.submissionId ?? ''}`;
  return `${event}:${n.alertFingerprint ?? n.title}`;
}

export function defaultChannel(guard: EgressGuard | undefined) {
  return (channel: RemoteChannel, s: NotificationSettings, secrets: ChannelSecrets): Notifier => {
    if (channel === 'slack') {
      if (!secrets.slackWebhookUrl) throw new EvolveError('INVALID_ARGUMENT', 'No Slack webhook URL is set');
      return new SlackNotifier({ webhookUrl: secrets.slackWebhookUrl, ...(s.slack.caFile ? { caFile: s.slack.caFile } : {}) }, guard);
    }
    const e = s.email;
    return new EmailNotifier(
      {
        host: e.host,
        port: e.port,
        secure: e.tls === 'tls',
        requireTLS: e.tls === 'starttls',
        ignoreTLS: e.tls === 'none',
        user: e.user || undefined,
        password: e.user ? (secrets.smtpPassword ?? '') : undefined,
        from: e.from,
        to: e.to,
        ...(e.caFile ? { caFile: e.caFile } : {}),
      },
      guard,
    );
  };
}

/** Replaces any secret that a transport echoed into an error message. */
function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[secret]');
  return out;
}

export class NotificationCenter implements Notifier {
  readonly channel = 'notification-center';
  private built: Promise<Built> | null = null;
  private readonly now: () => number;
  private readonly dedup: Dedup;
  private readonly buckets = new Map<RemoteChannel, ChannelBucket>();
  private readonly summaryTimers = new Map<RemoteChannel, () => void>();
  private readonly stats = new Map<string, Stats>();
  private deduplicated = 0;
  private detail: DetailProvider | null = null;

  constructor(private readonly o: NotificationCenterOptions) {
    this.now = o.now ?? Date.now;
    this.dedup = new Dedup(this.now);
  }

  /** Lets another feature add text to notifications (the diagnosis summary on a job failure). */
  setDetailProvider(fn: DetailProvider | null): void {
    this.detail = fn;
  }

  async get(): Promise<NotificationState> {
    const [settings, secrets] = await Promise.all([this.o.settings.load(), this.o.settings.secretFlags()]);
    const channels = (['slack', 'email'] as const).map((c) => {
      const s = this.stats.get(c) ?? { sent: 0, failed: 0, lastError: null };
      return { channel: c, ...s, rateLimited: this.buckets.get(c)?.held.count ?? 0 };
    });
    return { settings, secrets, stats: { channels, deduplicated: this.deduplicated } };
  }

  /** Validates and saves; the channels are rebuilt from the new settings on the next notification. */
  async set(input: unknown): Promise<NotificationState> {
    await this.o.settings.save(input);
    this.built = null;
    return this.get();
  }

  private channels(): Promise<Built> {
    if (this.built) return this.built;
    const p = (async (): Promise<Built> => {
      const settings = await this.o.settings.load();
      const channels = new Map<RemoteChannel, Notifier>();
      const wanted = (['slack', 'email'] as const).filter((c) => settings[c].enabled);
      if (wanted.length === 0) return { settings, channels, secrets: [] };
      const secrets = await this.o.settings.secrets();
      const build = this.o.buildChannel ?? defaultChannel(this.o.guard);
      for (const c of wanted) {
        try {
          channels.set(c, build(c, settings, secrets));
        } catch (e) {
          // A channel that cannot be built (say, a webhook URL removed from the keychain) is skipped, not fatal.
          this.o.log('warn', `notifications: ${c} is on but cannot send: ${toErrorInfo(e).message}`);
        }
      }
      for (const [c, b] of this.buckets) if (channels.has(c)) b.setLimits(settings.rateLimit);
      return { settings, channels, secrets: [secrets.slackWebhookUrl, secrets.smtpPassword].filter((x): x is string => !!x) };
    })();
    this.built = p;
    // A locked store or a keychain hiccup is retried on the next notification instead of being cached.
    p.catch(() => {
      if (this.built === p) this.built = null;
    });
    return p;
  }

  /** Whether an alert watcher has anyone to tell (saves polling Alertmanager for nothing). */
  async wantsAlerts(): Promise<boolean> {
    const b = await this.channels();
    return b.channels.size > 0 && (b.settings.events.alertFiring || b.settings.events.alertResolved);
  }

  /** Never throws: a failing channel is counted, logged and audited; the caller's own work goes on. */
  async notify(n: ClusterNotification): Promise<void> {
    try {
      await this.dispatch(n);
    } catch (e) {
      this.o.log('warn', `notification "${n.title}" was not sent: ${toErrorInfo(e).message}`);
    }
  }

  private async dispatch(n: ClusterNotification): Promise<void> {
    const b = await this.channels();
    if (b.channels.size === 0) return;
    const event = eventOf(n);
    if (!b.settings.events[EVENT_SETTING[event]]) return;
    if (SEVERITY_RANK[n.severity] < SEVERITY_RANK[b.settings.minSeverity]) return;
    if (!this.dedup.admit(dedupKey(n), b.settings.dedupMinutes * 60_000)) {
      this.deduplicated += 1;
      return;
    }
    const extra = this.detail ? await this.detail(n).catch(() => null) : null;
    const note = extra ? { ...n, body: `${n.body}\n\n${extra}` } : n;
    const allowed: Notifier[] = [];
    for (const [c, notifier] of b.channels) {
      const bucket = this.bucket(c, b.settings);
      if (bucket.take()) allowed.push(notifier);
      else {
        bucket.hold(n.title, n.severity === 'critical');
        this.o.log('warn', `notifications: ${c} rate limit reached; held back "${n.title}" (${bucket.held.count} waiting for the summary)`);
        this.scheduleSummary(c, bucket);
      }
    }
    await this.sendAll(allowed, note, event, b.secrets);
  }

  private bucket(c: RemoteChannel, s: NotificationSettings): ChannelBucket {
    let bucket = this.buckets.get(c);
    if (!bucket) this.buckets.set(c, (bucket = new ChannelBucket(s.rateLimit, this.now)));
    return bucket;
  }

  private async sendAll(notifiers: Notifier[], n: ClusterNotification, event: NotificationAuditData['event'], secrets: string[]) {
    if (notifiers.length === 0) return;
    const results = await new FanOutNotifier(notifiers).send(n);
    for (const r of results) {
      const error = r.error ? scrub(r.error.message, secrets) : undefined;
      const st = this.stats.get(r.channel) ?? { sent: 0, failed: 0, lastError: null };
      if (r.ok) st.sent += 1;
      else {
        st.failed += 1;
        st.lastError = error ?? null;
        this.o.log('warn', `notifications: ${r.channel} failed to send "${n.title}": ${error}`);
      }
      this.stats.set(r.channel, st);
      await this.o
        .audit?.({
          channel: r.channel,
          event,
          ok: r.ok,
          ...(error ? { error: error.slice(0, 1000) } : {}),
          ...(n.jobId ? { jobId: n.jobId } : {}),
          ...(n.alertFingerprint ? { alertFingerprint: n.alertFingerprint } : {}),
        })
        .catch((e: unknown) => this.o.log('warn', `audit of a notification failed: ${toErrorInfo(e).message}`));
    }
  }

  /** When the bucket has a token again, one summary says how many were held back and names the first few. */
  private scheduleSummary(c: RemoteChannel, bucket: ChannelBucket): void {
    if (this.summaryTimers.has(c)) return;
    const schedule =
      this.o.schedule ??
      ((ms: number, fn: () => void) => {
        const t = setTimeout(fn, ms);
        t.unref();
        return () => clearTimeout(t);
      });
    const cancel = schedule(Math.max(1000, bucket.msUntilToken()), () => {
      this.summaryTimers.delete(c);
      void this.sendSummary(c, bucket);
    });
    this.summaryTimers.set(c, cancel);
  }

  private async sendSummary(c: RemoteChannel, bucket: ChannelBucket): Promise<void> {
    if (bucket.held.count === 0) return;
    if (!bucket.take()) return this.scheduleSummary(c, bucket);
    const held = bucket.drainHeld();
    const b = await this.channels().catch(() => null);
    const notifier = b?.channels.get(c);
    if (!b || !notifier) return; // the channel was turned off meanwhile: nothing to summarise to
    const more = held.count - held.titles.length;
    const summary: ClusterNotification = {
      severity: held.critical ? 'critical' : 'warning',
      title: `${held.count} notification${held.count === 1 ? '' : 's'} held back by the rate limit`,
      body: `${held.titles.map((t) => `• ${t}`).join('\n')}${more > 0 ? `\n… and ${more} more` : ''}\nSee the cluster panel for details.`,
      source: 'alert',
    };
    await this.sendAll([notifier], summary, 'rate-limit-summary', b.secrets);
  }

  /** Sends a test message through one channel with the saved settings, ignoring on/off, dedup and rate limits. */
  async sendTest(channel: RemoteChannel): Promise<{ channel: RemoteChannel; ms: number }> {
    const settings = await this.o.settings.load();
    const secrets = await this.o.settings.secrets();
    const secretList = [secrets.slackWebhookUrl, secrets.smtpPassword].filter((x): x is string => !!x);
    const build = this.o.buildChannel ?? defaultChannel(this.o.guard);
    const notifier = build(channel, settings, secrets);
    const t0 = this.now();
    const test: ClusterNotification = {
      severity: 'info',
      title: 'Test notification from Evolve Studio',
      body: `This ${channel === 'slack' ? 'Slack channel' : 'mailbox'} will receive job failures, self-heal actions and cluster alerts.`,
      source: 'alert',
    };
    try {
      await notifier.notify(test);
    } catch (e) {
      const info = toErrorInfo(e);
      const message = scrub(info.message, secretList);
      await this.o.audit?.({ channel, event: 'test', ok: false, error: message.slice(0, 1000) }).catch(() => undefined);
      throw new EvolveError(info.code, message);
    }
    await this.o.audit?.({ channel, event: 'test', ok: true }).catch(() => undefined);
    return { channel, ms: Math.max(0, this.now() - t0) };
  }

  dispose(): void {
    for (const cancel of this.summaryTimers.values()) cancel();
    this.summaryTimers.clear();
  }
}
