// Settings → Notifications: Slack webhook and SMTP e-mail (secrets shown only as set / not set), which events, limits, Save and Send test.
import { useEffect, useState } from 'react';
import {
  NotificationSetInputSchema,
  NotificationSeveritySchema,
  SmtpTlsModeSchema,
  type NotificationSettings,
  type RemoteChannel,
} from '../../../common/contracts/notifications';
import { useStore } from '../../app/store';

const EVENTS: { key: keyof NotificationSettings['events']; label: string }[] = [
  { key: 'jobFailed', label: 'A training job failed' },
  { key: 'selfHeal', label: 'Self-healing restarted a job' },
  { key: 'alertFiring', label: 'A cluster alert started firing' },
  { key: 'alertResolved', label: 'A cluster alert resolved' },
];
const TLS_LABELS: Record<NotificationSettings['email']['tls'], string> = {
  starttls: 'STARTTLS (587)',
  tls: 'TLS (465)',
  none: 'None (local relay only)',
};

/** A secret field: empty keeps what is in the keychain; the stored value is never shown. */
function SecretField(p: {
  label: string;
  isSet: boolean;
  value: string;
  cleared: boolean;
  onChange(v: string): void;
  onClear(): void;
  testId: string;
}) {
  return (
    <label>
      {p.label}{' '}
      <span className="muted" data-testid={`${p.testId}-state`}>
        ({p.cleared ? 'will be removed' : p.isSet ? 'set' : 'not set'})
      </span>
      <span className="row">
        <input
          type="password"
          autoComplete="off"
          value={p.value}
          placeholder={p.isSet ? 'leave empty to keep the saved one' : ''}
          onChange={(e) => p.onChange(e.target.value)}
          data-testid={p.testId}
        />
        {p.isSet && (
          <button type="button" onClick={p.onClear} disabled={p.cleared}>
            Remove
          </button>
        )}
      </span>
    </label>
  );
}

function TestButton({ channel }: { channel: RemoteChannel }) {
  const test = useStore((s) => s.notifications.tests[channel]);
  const run = useStore((s) => s.testNotification);
  return (
    <div className="row">
      <button type="button" onClick={() => void run(channel)} disabled={test.running} data-testid={`notify-test-${channel}`}>
        {test.running ? 'Sending…' : 'Send test'}
      </button>
      {test.result?.ok === true && (
        <span className="ok-text" data-testid={`notify-test-${channel}-result`}>
          Sent in {Math.round(test.result.ms)} ms
        </span>
      )}
      {test.result?.ok === false && (
        <span className="error-text" role="alert" data-testid={`notify-test-${channel}-result`}>
          {test.result.error.message}
        </span>
      )}
    </div>
  );
}

export function NotificationsPanel() {
  const state = useStore((s) => s.notifications.state);
  const load = useStore((s) => s.loadNotifications);
  useEffect(() => void load(), [load]);
  // The form starts from the saved settings once they are loaded, then holds the user's draft until Save.
  return state ? <NotificationsForm saved={state.settings} /> : null;
}

function NotificationsForm({ saved }: { saved: NotificationSettings }) {
  const n = useStore((s) => s.notifications);
  const save = useStore((s) => s.saveNotifications);
  const [draft, setDraft] = useState<NotificationSettings>(saved);
  const [webhook, setWebhook] = useState('');
  const [password, setPassword] = useState('');
  const [clear, setClear] = useState({ webhook: false, password: false });
  const [problem, setProblem] = useState<string | null>(null);
  if (!n.state) return null;
  const { secrets, stats } = n.state;
  const edit = (p: Partial<NotificationSettings>) => setDraft({ ...draft, ...p });
  const email = (p: Partial<NotificationSettings['email']>) => edit({ email: { ...draft.email, ...p } });

  const submit = async () => {
    const input = {
      settings: draft,
      secrets: {
        ...(webhook.trim() ? { slackWebhookUrl: webhook.trim() } : clear.webhook ? { slackWebhookUrl: null } : {}),
        ...(password ? { smtpPassword: password } : clear.password ? { smtpPassword: null } : {}),
      },
    };
    // The same schema main checks, for an answer before the round trip; main's verdict is the one that counts.
    const p = NotificationSetInputSchema.safeParse(input);
    if (!p.success) {
      const i = p.error.issues[0];
      return setProblem(`${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
    }
    setProblem(null);
    if (await save(input)) {
      setWebhook('');
      setPassword('');
      setClear({ webhook: false, password: false });
    }
  };
  const count = (c: RemoteChannel) => stats.channels.find((x) => x.channel === c);

  return (
    <fieldset data-testid="notifications-panel">
      <legend>Notifications</legend>
      <p className="hint">
        Desktop notifications are always on. Slack and e-mail reach you away from the app; they go through the same outbound guard as
        everything else (with offline-only on, allow their hosts under Privacy).
      </p>
      <div className="stack">
        <strong>Send</strong>
        {EVENTS.map((e) => (
          <label key={e.key} className="toggle">
            <input
              type="checkbox"
              checked={draft.events[e.key]}
              onChange={(ev) => edit({ events: { ...draft.events, [e.key]: ev.target.checked } })}
              data-testid={`notify-event-${e.key}`}
            />
            {e.label}
          </label>
        ))}
        <label>
          Minimum severity{' '}
          <select value={draft.minSeverity} onChange={(e) => edit({ minSeverity: NotificationSeveritySchema.parse(e.target.value) })}>
            {NotificationSeveritySchema.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>

      <div className="stack" data-testid="notify-slack">
        <label className="toggle">
          <input
            type="checkbox"
            checked={draft.slack.enabled}
            onChange={(e) => edit({ slack: { ...draft.slack, enabled: e.target.checked } })}
            data-testid="notify-slack-enabled"
          />
          <strong>Slack</strong> (incoming webhook)
        </label>
        <SecretField
          label="Webhook URL"
          isSet={secrets.slackWebhook}
          value={webhook}
          cleared={clear.webhook}
          onChange={setWebhook}
          onClear={() => setClear({ ...clear, webhook: true })}
          testId="notify-slack-webhook"
        />
        <label>
          CA file (PEM, optional: a private CA that signed the webhook server, e.g. a company proxy){' '}
          <input
            value={draft.slack.caFile ?? ''}
            onChange={(e) => edit({ slack: { ...draft.slack, caFile: e.target.value.trim() ? e.target.value : undefined } })}
            placeholder="/etc/ssl/company-ca.pem"
            data-testid="notify-slack-ca-file"
          />
        </label>
        <TestButton channel="slack" />
      </div>

      <div className="stack" data-testid="notify-email">
        <label className="toggle">
          <input
            type="checkbox"
            checked={draft.email.enabled}
            onChange={(e) => email({ enabled: e.target.checked })}
            data-testid="notify-email-enabled"
          />
          <strong>E-mail</strong> (SMTP)
        </label>
        <div className="row">
          <label>
            Host <input value={draft.email.host} onChange={(e) => email({ host: e.target.value })} data-testid="notify-smtp-host" />
          </label>
          <label>
            Port{' '}
            <input
              type="number"
              min={1}
              max={65535}
              value={draft.email.port}
              onChange={(e) => email({ port: Number(e.target.value) })}
              data-testid="notify-smtp-port"
            />
          </label>
          <label>
            Security{' '}
            <select value={draft.email.tls} onChange={(e) => email({ tls: SmtpTlsModeSchema.parse(e.target.value) })}>
              {SmtpTlsModeSchema.options.map((m) => (
                <option key={m} value={m}>
                  {TLS_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label>
          CA file (PEM, optional: a private CA that signed the server){' '}
          <input
            value={draft.email.caFile ?? ''}
            onChange={(e) => email({ caFile: e.target.value.trim() ? e.target.value : undefined })}
            placeholder="/etc/ssl/company-ca.pem"
            data-testid="notify-smtp-ca-file"
          />
        </label>
        <label>
          User (empty: no login) <input value={draft.email.user} onChange={(e) => email({ user: e.target.value })} autoComplete="off" />
        </label>
        <SecretField
          label="Password"
          isSet={secrets.smtpPassword}
          value={password}
          cleared={clear.password}
          onChange={setPassword}
          onClear={() => setClear({ ...clear, password: true })}
          testId="notify-smtp-password"
        />
        <label>
          From <input value={draft.email.from} onChange={(e) => email({ from: e.target.value })} data-testid="notify-smtp-from" />
        </label>
        <label>
          To (comma-separated){' '}
          <input
            value={draft.email.to.join(', ')}
            onChange={(e) =>
              email({
                to: e.target.value
                  .split(',')
                  .map((x) => x.trim())
                  .filter(Boolean),
              })
            }
            data-testid="notify-smtp-to"
          />
        </label>
        <TestButton channel="email" />
      </div>

      <div className="row">
        <label>
          Same event at most once per{' '}
          <input
            type="number"
            min={1}
            max={1440}
            value={draft.dedupMinutes}
            onChange={(e) => edit({ dedupMinutes: Number(e.target.value) })}
          />{' '}
          min
        </label>
        <label>
          Per channel: burst{' '}
          <input
            type="number"
            min={1}
            max={50}
            value={draft.rateLimit.burst}
            onChange={(e) => edit({ rateLimit: { ...draft.rateLimit, burst: Number(e.target.value) } })}
          />
          , then{' '}
          <input
            type="number"
            min={1}
            max={600}
            value={draft.rateLimit.perHour}
            onChange={(e) => edit({ rateLimit: { ...draft.rateLimit, perHour: Number(e.target.value) } })}
          />{' '}
          an hour (the rest are summarised)
        </label>
      </div>

      <div className="row">
        <button type="button" onClick={() => void submit()} disabled={n.saving} data-testid="notify-save">
          {n.saving ? 'Saving…' : 'Save'}
        </button>
        {(problem ?? n.error) && (
          <span className="error-text" role="alert" data-testid="notify-error">
            {problem ?? n.error?.message}
          </span>
        )}
      </div>
      <p className="muted" data-testid="notify-stats">
        Since start: Slack {count('slack')?.sent ?? 0} sent, {count('slack')?.failed ?? 0} failed · e-mail {count('email')?.sent ?? 0} sent,{' '}
        {count('email')?.failed ?? 0} failed · {stats.deduplicated} duplicates skipped
      </p>
    </fieldset>
  );
}
