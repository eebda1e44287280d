// The app's notifications: the center on the encrypted store (audited sends) and the alert watcher over every cluster profile.
import { toErrorInfo } from '../../../common/errors';
import type { Log } from '../../platform/log/logger';
import type { EgressGuard } from '../../platform/egress';
import type { AppCluster } from '../cluster/app-cluster';
import type { StoreService } from '../store/store-service';
import { AlertWatcher } from './alert-watcher';
import { NotificationCenter } from './center';
import { NotificationSettingsStore } from './settings-store';

/** How often Alertmanager is asked for alerts while alert notifications are on (the panel's own fetches are separate). */
export const ALERT_POLL_MS = 30_000;

export function createNotificationCenter(o: { store: StoreService; log: Log; guard?: EgressGuard }): NotificationCenter {
  return new NotificationCenter({
    settings: new NotificationSettingsStore(o.store),
    log: (level, msg) => o.log(level, msg),
    guard: o.guard,
    audit: async (data) => {
      if (o.store.ready) await o.store.audit.record({ kind: 'notification.send', data });
    },
  });
}

/** Starts polling when the store opens (profiles live there); returns the stop function. */
export function watchClusterAlerts(
  center: NotificationCenter,
  cluster: Pick<AppCluster, 'profiles' | 'services'>,
  o: { store: StoreService; log: Log; intervalMs?: number },
): { watcher: AlertWatcher; stop: () => void } {
  const watcher = new AlertWatcher({
    intervalMs: o.intervalMs ?? ALERT_POLL_MS,
    wanted: () => (o.store.ready ? center.wantsAlerts() : Promise.resolve(false)),
    notify: (n) => center.notify(n),
    log: (l, m) => o.log(l, m),
    list: async () => {
      const profiles = (await cluster.profiles()).filter((p) => p.alertmanagerUrl);
      return Promise.all(
        profiles.map(async (p) => {
          try {
            const alerts = await (await cluster.services(p.id)).monitoring.alerts();
            return { profileId: p.id, profileName: p.name, alerts };
          } catch (e) {
            return {
              profileId: p.id,
              profileName: p.name,
              alerts: { status: 'degraded', source: 'alertmanager', reason: toErrorInfo(e).message } as const,
            };
          }
        }),
      );
    },
  });
  const offReady = o.store.onReady(() => watcher.start());
  if (o.store.ready) watcher.start();
  return {
    watcher,
    stop: () => {
      offReady();
      watcher.stop();
    },
  };
}
