// Notification settings: the non-secret part in the encrypted store's settings table, the webhook and SMTP password in the keychain.
import { EvolveError } from '../../../common/errors';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  NotificationSetInputSchema,
  NotificationSettingsSchema,
  type NotificationSettings,
} from '../../../common/contracts/notifications';
import type { Json } from '../../../common/store/rows';
import type { StoreService } from '../store/store-service';

export const SETTINGS_KEY = 'notifications';
/** Keychain accounts (same keychain as the DB key and cluster tokens). */
export const SLACK_WEBHOOK_ACCOUNT = 'notifications:slack:webhook';
export const SMTP_PASSWORD_ACCOUNT = 'notifications:smtp:password';

/** The part of the store this needs (StoreService has it; tests can pass the real one on a temp dir). */
export type NotificationStorePort = Pick<StoreService, 'ready' | 'getSecret' | 'setSecret' | 'deleteSecret' | 'hasSecret' | 'client'>;

export interface SecretFlags {
  slackWebhook: boolean;
  smtpPassword: boolean;
}

/** First failing zod issue as one readable line: "email.to.0: not an e-mail address". */
function firstIssue(e: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const i = e.issues[0];
  return `${i?.path.length ? `${i.path.map(String).join('.')}: ` : ''}${i?.message ?? 'bad value'}`;
}

export class NotificationSettingsStore {
  constructor(private readonly store: NotificationStorePort) {}

  private requireStore(): void {
    if (!this.store.ready)
      throw new EvolveError('UNAVAILABLE', 'Unlock the encrypted store first: notification settings and secrets live there');
  }

  /** Saved settings; a field that no longer validates falls back to its default instead of losing the rest. */
  async load(): Promise<NotificationSettings> {
    if (!this.store.ready) return DEFAULT_NOTIFICATION_SETTINGS;
    const row = await this.store.client.call('setting.get', { key: SETTINGS_KEY });
    const raw = row?.value && typeof row.value === 'object' && !Array.isArray(row.value) ? (row.value as Record<string, unknown>) : {};
    const merged: Record<string, unknown> = { ...DEFAULT_NOTIFICATION_SETTINGS };
    for (const k of Object.keys(DEFAULT_NOTIFICATION_SETTINGS) as (keyof NotificationSettings)[])
      if (NotificationSettingsSchema.shape[k].safeParse(raw[k]).success) merged[k] = raw[k];
    // Fields can each be valid and still clash (an enabled e-mail channel with no recipient): then e-mail is off.
    const whole = NotificationSettingsSchema.safeParse(merged);
    return whole.success ? whole.data : NotificationSettingsSchema.parse({ ...merged, email: DEFAULT_NOTIFICATION_SETTINGS.email });
  }

  async secretFlags(): Promise<SecretFlags> {
    if (!this.store.ready) return { slackWebhook: false, smtpPassword: false };
    const [slackWebhook, smtpPassword] = await Promise.all([
      this.store.hasSecret(SLACK_WEBHOOK_ACCOUNT),
      this.store.hasSecret(SMTP_PASSWORD_ACCOUNT),
    ]);
    return { slackWebhook, smtpPassword };
  }

  /** The secrets themselves, for building the channels in main (never returned over the contract). */
  async secrets(): Promise<{ slackWebhookUrl: string | null; smtpPassword: string | null }> {
    this.requireStore();
    const [slackWebhookUrl, smtpPassword] = await Promise.all([
      this.store.getSecret(SLACK_WEBHOOK_ACCOUNT, 'Slack notifications'),
      this.store.getSecret(SMTP_PASSWORD_ACCOUNT, 'e-mail notifications'),
    ]);
    return { slackWebhookUrl, smtpPassword };
  }

  /**
   * Validates everything first (shape, and that an enabled channel will have what it needs), then writes the
   * secrets and the settings. A bad input throws INVALID_ARGUMENT before anything is written.
   */
  async save(input: unknown): Promise<NotificationSettings> {
    const p = NotificationSetInputSchema.safeParse(input);
    if (!p.success) throw new EvolveError('INVALID_ARGUMENT', `Invalid notification settings (${firstIssue(p.error)})`);
    this.requireStore();
    const { settings, secrets } = p.data;
    const has = await this.secretFlags();
    const willHave = (given: string | null | undefined, now: boolean) => (given === undefined ? now : given !== null);
    if (settings.slack.enabled && !willHave(secrets.slackWebhookUrl, has.slackWebhook))
      throw new EvolveError('INVALID_ARGUMENT', 'Invalid notification settings (slack: enter the webhook URL to turn Slack on)');
    if (settings.email.enabled && settings.email.user && !willHave(secrets.smtpPassword, has.smtpPassword))
      throw new EvolveError('INVALID_ARGUMENT', 'Invalid notification settings (email.user: an SMTP user needs a password)');
    await this.writeSecret(SLACK_WEBHOOK_ACCOUNT, secrets.slackWebhookUrl);
    await this.writeSecret(SMTP_PASSWORD_ACCOUNT, secrets.smtpPassword);
    // settings.change in the audit log records this value: it holds no secret by construction.
    await this.store.client.call('setting.set', { key: SETTINGS_KEY, value: settings as unknown as Json });
    return settings;
  }

  private async writeSecret(account: string, value: string | null | undefined): Promise<void> {
    if (typeof value === 'string') await this.store.setSecret(account, value);
    else if (value === null) await this.store.deleteSecret(account);
  }
}
