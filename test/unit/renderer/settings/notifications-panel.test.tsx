// The notifications panel's store side and markup with a scripted API (the service runs for real in
// test/integration/cluster/notification-wiring.test.ts): secrets show only as set / not set, a refused save and a
// failed test show main's typed error, a good test shows its time.
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvolveApi } from '../../../../common/contracts';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationState } from '../../../../common/contracts/notifications';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { NotificationsPanel } from '../../../../renderer/features/settings/NotificationsPanel';

const STATE: NotificationState = {
  settings: { ...DEFAULT_NOTIFICATION_SETTINGS, slack: { enabled: true, caFile: '/etc/ssl/slack-proxy-ca.pem' } },
  secrets: { slackWebhook: true, smtpPassword: false },
  stats: { channels: [{ channel: 'slack', sent: 3, failed: 1, rateLimited: 0, lastError: 'x' }], deduplicated: 2 },
};
const PRISTINE = useStore.getInitialState().notifications;
let calls: string[];

beforeEach(() => {
  calls = [];
  setApi({
    notifications: {
      get: async () => (calls.push('get'), { ok: true, value: STATE }),
      set: async (i: { settings: { email: { enabled: boolean } }; secrets: Record<string, unknown> }) => {
        calls.push(`set:${JSON.stringify(i.secrets)}`);
        return i.settings.email.enabled
          ? {
              ok: false,
              error: { code: 'INVALID_ARGUMENT', message: 'Invalid notification settings (email.to: at least one recipient is needed)' },
            }
          : { ok: true, value: STATE };
      },
      sendTest: async (i: { channel: string }) =>
        i.channel === 'slack'
          ? { ok: true, value: { channel: 'slack', ms: 42.4 } }
          : { ok: false, error: { code: 'UNAUTHENTICATED', message: 'E-mail to ops@example.org via smtp:587 failed: Invalid login' } },
    },
  } as unknown as EvolveApi);
  useStore.setState({ notifications: PRISTINE });
  Object.assign(useStore.getInitialState(), { notifications: PRISTINE });
});

/** Server rendering reads the store's initial state, so the current slice is copied there first. */
function render(): string {
  Object.assign(useStore.getInitialState(), { notifications: useStore.getState().notifications });
  return renderToString(<NotificationsPanel />);
}

describe('NotificationsPanel', () => {
  it('renders nothing until loaded, then secrets as set / not set and the counts', async () => {
    expect(render()).toBe('');
    await useStore.getState().loadNotifications();
    const html = render().replace(/<!-- -->/g, '');
    expect(html).toContain('data-testid="notify-slack-webhook-state">(set)');
    expect(html).toContain('data-testid="notify-smtp-password-state">(not set)');
    expect(html).toMatch(/Slack 3 sent, 1 failed/);
    expect(html).toMatch(/2 duplicates skipped/);
    // The secret inputs start empty: nothing of the stored secret reaches the page.
    expect(html).toMatch(/type="password"[^>]*value=""/);
    // Slack's CA file (a company proxy's private CA) is a plain setting, shown as saved; e-mail's is empty here.
    expect(html).toContain('data-testid="notify-slack-ca-file" value="/etc/ssl/slack-proxy-ca.pem"');
    expect(html).toContain('data-testid="notify-smtp-ca-file" value=""');
  });

  it('a refused save keeps the typed error for the panel; a good one stores the new state', async () => {
    const s = useStore.getState();
    const bad = { ...STATE.settings, email: { ...STATE.settings.email, enabled: true } };
    expect(await s.saveNotifications({ settings: bad, secrets: { smtpPassword: 'pw' } })).toBe(false);
    expect(useStore.getState().notifications.error?.message).toContain('at least one recipient');
    expect(await s.saveNotifications({ settings: STATE.settings, secrets: { slackWebhookUrl: null } })).toBe(true);
    expect(useStore.getState().notifications.error).toBeNull();
    expect(calls).toEqual(['set:{"smtpPassword":"pw"}', 'set:{"slackWebhookUrl":null}']);
  });

  it("send test: the time on success, main's error message on failure, inline per channel", async () => {
    await useStore.getState().loadNotifications();
    await useStore.getState().testNotification('slack');
    await useStore.getState().testNotification('email');
    const html = render().replace(/<!-- -->/g, '');
    expect(html).toMatch(/data-testid="notify-test-slack-result">Sent in 42 ms/);
    expect(html).toContain('Invalid login');
    expect(useStore.getState().notifications.tests.email.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});
