// Notifications for job failures and alerts: desktop (wired by the app), Slack webhook, SMTP e-mail, and a fan-out.
import { z } from 'zod';
import type { NotificationEvent } from '../../../common/contracts/notifications';
import { EvolveError, toErrorInfo, type ErrorInfo } from '../../../common/errors';
import {
  certificateError,
  certificateProblem,
  egressMailTransport,
  processEgressGuard,
  readCaFile,
  withSystemRoots,
  type EgressGuard,
} from '../../platform/egress';
import { errorForStatus, httpRequest } from './http';

export interface ClusterNotification {
  severity: 'info' | 'warning' | 'critical';
  title: string;
  body: string;
  source: 'job' | 'alert';
  jobId?: string;
  alertFingerprint?: string;
  /** What happened (the notification center filters, dedups and audits by it); absent = a job failure or an ad-hoc notice. */
  event?: NotificationEvent;
  /** The Ray submission (attempt) the job event is about: a later attempt failing again is a new event. */
  submissionId?: string;
}

export interface Notifier {
  readonly channel: string;
  notify(n: ClusterNotification): Promise<void>;
}

/** Desktop notifications: the app passes Electron's Notification (or the host's push) as `show`. */
export class DesktopNotifier implements Notifier {
  readonly channel = 'desktop';
  constructor(private readonly show: (title: string, body: string) => void | Promise<void>) {}
  async notify(n: ClusterNotification): Promise<void> {
    await this.show(n.title, n.body);
  }
}

export const SlackConfigSchema = z.object({
  webhookUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  /** PEM file of a private CA to trust for an https webhook (a self-hosted Slack-compatible server); the system CAs always apply. */
  caFile: z.string().min(1).optional(),
});
export type SlackConfig = z.input<typeof SlackConfigSchema>;

const ICON: Record<ClusterNotification['severity'], string> = {
  info: ':information_source:',
  warning: ':warning:',
  critical: ':rotating_light:',
};

/** Slack incoming webhook: POST {"text": …} as JSON; Slack answers 200 "ok". */
export class SlackNotifier implements Notifier {
  readonly channel = 'slack';
  private readonly cfg: z.output<typeof SlackConfigSchema>;
  constructor(
    cfg: SlackConfig,
    private readonly guard: EgressGuard = processEgressGuard(),
  ) {
    const p = SlackConfigSchema.safeParse(cfg);
    if (!p.success) throw new EvolveError('INVALID_ARGUMENT', `Invalid Slack webhook: ${p.error.issues[0]?.message ?? ''}`);
    this.cfg = p.data;
  }
  async notify(n: ClusterNotification): Promise<void> {
    const url = new URL(this.cfg.webhookUrl);
    const target = {
      baseUrl: url.origin,
      serviceName: 'Slack webhook',
      timeoutMs: this.cfg.timeoutMs,
      feature: 'notifications' as const,
      guard: this.guard,
      tls: { insecure: false, ...(this.cfg.caFile ? { caFile: this.cfg.caFile } : {}) },
      tlsSetting: 'Slack webhook settings',
    };
    const res = await httpRequest(target, {
      method: 'POST',
      path: url.pathname + url.search,
      body: JSON.stringify({ text: `${ICON[n.severity]} *${n.title}*\n${n.body}` }),
    });
    if (res.status < 200 || res.status >= 300) throw errorForStatus(target, res, 'the notification');
  }
}

export const SmtpConfigSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** true = TLS from the first byte (465); false = STARTTLS when offered. */
  secure: z.boolean().default(false),
  /** With secure=false: refuse to send unless the server upgrades with STARTTLS. */
  requireTLS: z.boolean().default(false),
  /** With secure=false: never STARTTLS, even when offered (a local relay without a certificate). */
  ignoreTLS: z.boolean().default(false),
  user: z.string().optional(),
  /** Comes from the keychain through getSecret, never from the profile file. */
  password: z.string().optional(),
  from: z.string().email(),
  to: z.array(z.string().email()).min(1),
  rejectUnauthorized: z.boolean().default(true),
  /** PEM file of a private CA to trust for TLS/STARTTLS (a company relay); the system CAs always apply. */
  caFile: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
});
export type SmtpConfig = z.input<typeof SmtpConfigSchema>;

export class EmailNotifier implements Notifier {
  readonly channel = 'email';
  private readonly cfg: z.output<typeof SmtpConfigSchema>;
  constructor(
    cfg: SmtpConfig,
    private readonly guard: EgressGuard = processEgressGuard(),
  ) {
    const p = SmtpConfigSchema.safeParse(cfg);
    if (!p.success)
      throw new EvolveError(
        'INVALID_ARGUMENT',
        `Invalid SMTP settings (${p.error.issues[0]?.path.join('.')}): ${p.error.issues[0]?.message ?? ''}`,
      );
    this.cfg = p.data;
  }
  async notify(n: ClusterNotification): Promise<void> {
    const c = this.cfg;
    // Connects through the egress guard ('notifications' allow-list).
    const transport = await egressMailTransport(this.guard, 'notifications', {
      host: c.host,
      port: c.port,
      secure: c.secure,
      requireTLS: c.requireTLS,
      ignoreTLS: c.ignoreTLS,
      auth: c.user ? { user: c.user, pass: c.password ?? '' } : undefined,
      tls: {
        rejectUnauthorized: c.rejectUnauthorized,
        ...withSystemRoots(c.caFile ? readCaFile(c.caFile) : undefined),
      },
      connectionTimeout: c.timeoutMs,
      greetingTimeout: c.timeoutMs,
      socketTimeout: c.timeoutMs,
    });
    try {
      await transport.sendMail({
        from: c.from,
        to: c.to.join(', '),
        subject: `[Evolve Studio] ${n.title}`,
        text: `${n.body}\n\nSeverity: ${n.severity}`,
      });
    } catch (e) {
      if (e instanceof EvolveError) throw e; // the egress guard's refusal, as it is
      const cert = certificateProblem(e);
      if (cert) throw certificateError(`the SMTP server ${c.host}:${c.port}`, cert, 'set a CA file in the e-mail settings');
      const code = (e as { code?: string }).code;
      const kind = code === 'EAUTH' ? 'UNAUTHENTICATED' : code === 'EENVELOPE' || code === 'EMESSAGE' ? 'INVALID_ARGUMENT' : 'UNAVAILABLE';
      throw new EvolveError(kind, `E-mail to ${c.to.join(', ')} via ${c.host}:${c.port} failed: ${(e as Error).message}`, { code });
    } finally {
      transport.close();
    }
  }
}

export interface FanOutResult {
  channel: string;
  ok: boolean;
  error?: ErrorInfo;
}

/** Sends to every channel; one failing channel does not stop the others. */
export class FanOutNotifier implements Notifier {
  readonly channel = 'fan-out';
  constructor(private readonly notifiers: Notifier[]) {}
  async send(n: ClusterNotification): Promise<FanOutResult[]> {
    return Promise.all(
      this.notifiers.map(async (x) => {
        try {
          await x.notify(n);
          return { channel: x.channel, ok: true };
        } catch (e) {
          return { channel: x.channel, ok: false, error: toErrorInfo(e) };
        }
      }),
    );
  }
  async notify(n: ClusterNotification): Promise<void> {
    const results = await this.send(n);
    const failed = results.filter((r) => !r.ok);
    if (failed.length && failed.length === results.length)
      throw new EvolveError(
        'UNAVAILABLE',
        `No notification channel worked: ${failed.map((f) => `${f.channel}: ${f.error?.message}`).join('; ')}`,
        { results },
      );
  }
}
