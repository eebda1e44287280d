// Notification settings state for Settings → Notifications: load, save (secrets go one way, to main), send a test.
import type { NotificationSetInput, NotificationState, RemoteChannel } from '../../../common/contracts/notifications';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';

export interface ChannelTest {
  running: boolean;
  /** The outcome of the last test: ok with the time taken, or the typed error main returned. */
  result: { ok: true; ms: number } | { ok: false; error: UiError } | null;
}

export interface NotificationsSlice {
  notifications: {
    state: NotificationState | null;
    saving: boolean;
    error: UiError | null;
    tests: Record<RemoteChannel, ChannelTest>;
  };
  loadNotifications(): Promise<void>;
  saveNotifications(input: NotificationSetInput): Promise<boolean>;
  testNotification(channel: RemoteChannel): Promise<void>;
}

const idle: ChannelTest = { running: false, result: null };

export const createNotificationsSlice: SliceCreator<NotificationsSlice> = (set, get) => {
  const patch = (p: Partial<NotificationsSlice['notifications']>) => set({ notifications: { ...get().notifications, ...p } });
  const setTest = (channel: RemoteChannel, t: ChannelTest) => patch({ tests: { ...get().notifications.tests, [channel]: t } });
  return {
    notifications: { state: null, saving: false, error: null, tests: { slack: idle, email: idle } },
    async loadNotifications() {
      const r = await getApi().notifications.get({});
      patch(r.ok ? { state: r.value, error: null } : { error: r.error });
    },
    async saveNotifications(input) {
      patch({ saving: true });
      const r = await getApi().notifications.set(input);
      patch(r.ok ? { state: r.value, saving: false, error: null } : { saving: false, error: r.error });
      return r.ok;
    },
    async testNotification(channel) {
      setTest(channel, { running: true, result: null });
      const r = await getApi().notifications.sendTest({ channel });
      setTest(channel, { running: false, result: r.ok ? { ok: true, ms: r.value.ms } : { ok: false, error: r.error } });
      // The counts (sent / failed) changed.
      void get().loadNotifications();
    },
  };
};
