// Contract for the `notifications` domain: Slack/e-mail settings (secrets only as set/not set), save, and "send test".
import { z } from 'zod';
import { EmptyInput } from './app';
import { call, defineDomain } from './define';

/** What can be notified: a failed job, a self-heal resubmission, an Alertmanager alert starting or ending. */
export const NOTIFICATION_EVENTS = ['job-failed', 'self-heal', 'alert-firing', 'alert-resolved'] as const;
export const NotificationEventSchema = z.enum(NOTIFICATION_EVENTS);
export type NotificationEvent = z.infer<typeof NotificationEventSchema>;

export const NotificationSeveritySchema = z.enum(['info', 'warning', 'critical']);
export type NotificationSeverity = z.infer<typeof NotificationSeveritySchema>;
export const SEVERITY_RANK: Record<NotificationSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** The remote channels the user configures (desktop notifications are always on and need no settings). */
export const REMOTE_CHANNELS = ['slack', 'email'] as const;
export const RemoteChannelSchema = z.enum(REMOTE_CHANNELS);
export type RemoteChannel = z.infer<typeof RemoteChannelSchema>;

/** tls = TLS from the first byte (usually port 465); starttls = plain, then STARTTLS required (587); none = never TLS. */
export const SmtpTlsModeSchema = z.enum(['tls', 'starttls', 'none']);
export type SmtpTlsMode = z.infer<typeof SmtpTlsModeSchema>;

const Email = z.string().trim().email('not an e-mail address').max(320);

export const EmailSettingsSchema = z
  .object({
    enabled: z.boolean(),
    host: z.string().trim().max(253),
    port: z.number().int().min(1).max(65535),
    tls: SmtpTlsModeSchema,
    /** Empty = no SMTP authentication; the password is in the keychain. */
    user: z.string().trim().max(320),
    from: z.union([Email, z.literal('')]),
    to: z.array(Email).max(50),
    /** PEM file of a private CA that signed the relay's certificate (added to the system roots); absent = system roots only. */
    caFile: z.string().trim().min(1).max(4096).optional(),
  })
  .superRefine((e, ctx) => {
    // A disabled channel may be half filled in (the user is still typing); an enabled one must be able to send.
    if (!e.enabled) return;
    if (!/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(e.host))
      ctx.addIssue({ code: 'custom', path: ['host'], message: 'an SMTP host name or address is needed' });
    if (!e.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'a sender address is needed' });
    if (e.to.length === 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'at least one recipient is needed' });
  });
export type EmailSettings = z.infer<typeof EmailSettingsSchema>;

export const NotificationSettingsSchema = z.object({
  /** Which events reach Slack and e-mail. */
  events: z.object({
    jobFailed: z.boolean(),
    selfHeal: z.boolean(),
    alertFiring: z.boolean(),
    alertResolved: z.boolean(),
  }),
  /** Events below this severity are not sent to Slack or e-mail. */
  minSeverity: NotificationSeveritySchema,
  slack: z.object({
    enabled: z.boolean(),
    /** PEM file of a private CA that signed the webhook server's certificate (a company Slack proxy or Mattermost); absent = system roots only. */
    caFile: z.string().trim().min(1).max(4096).optional(),
  }),
  email: EmailSettingsSchema,
  /** The same job event or alert state within this many minutes is sent once. */
  dedupMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Per channel: at most `burst` at once, refilled to `perHour` an hour; the rest are counted and summarised later. */
  rateLimit: z.object({ perHour: z.number().int().min(1).max(600), burst: z.number().int().min(1).max(50) }),
});
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  events: { jobFailed: true, selfHeal: true, alertFiring: true, alertResolved: true },
  minSeverity: 'warning',
  slack: { enabled: false },
  email: { enabled: false, host: '', port: 587, tls: 'starttls', user: '', from: '', to: [] },
  dedupMinutes: 30,
  rateLimit: { perHour: 20, burst: 5 },
};

const WebhookUrl = z
  .string()
  .trim()
  .url('not a URL')
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

/** A string sets the secret in the keychain, null removes it, absent keeps what is there. */
export const NotificationSecretsInputSchema = z
  .object({
    slackWebhookUrl: WebhookUrl.nullable().optional(),
    smtpPassword: z.string().min(1).max(1000).nullable().optional(),
  })
  .strict();

export const NotificationSetInputSchema = z.object({
  settings: NotificationSettingsSchema,
  secrets: NotificationSecretsInputSchema.default({}),
});
export type NotificationSetInput = z.input<typeof NotificationSetInputSchema>;

export const ChannelStatsSchema = z.object({
  channel: z.string(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Held back by the rate limit (and not yet summarised). */
  rateLimited: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
});

export const NotificationStateSchema = z.object({
  settings: NotificationSettingsSchema,
  /** Whether each secret is in the keychain; the values never leave main. */
  secrets: z.object({ slackWebhook: z.boolean(), smtpPassword: z.boolean() }),
  /** Since the app started: per channel counts (dedup drops are counted under `deduplicated`). */
  stats: z.object({ channels: z.array(ChannelStatsSchema), deduplicated: z.number().int().nonnegative() }),
});
export type NotificationState = z.infer<typeof NotificationStateSchema>;

export const SendTestResultSchema = z.object({ channel: RemoteChannelSchema, ms: z.number().nonnegative() });

export const notificationsContract = defineDomain('notifications', {
  get: call({ input: EmptyInput, output: NotificationStateSchema, doc: 'Notification settings, which secrets are set, and send counts.' }),
  set: call({
    input: NotificationSetInputSchema,
    output: NotificationStateSchema,
    doc: 'Validate and save notification settings; secrets go to the OS keychain. Bad input saves nothing.',
  }),
  sendTest: call({
    input: z.object({ channel: RemoteChannelSchema }),
    output: SendTestResultSchema,
    doc: 'Send a test message through one channel with the saved settings; a failure is a typed error.',
  }),
});
