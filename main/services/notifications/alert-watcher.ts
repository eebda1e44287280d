// Polls each cluster profile's Alertmanager and turns changes into notifications: a new firing fingerprint, and its end.
import type { Alert, MonitoringResult } from '../../../common/cluster/monitoring';
import type { NotificationSeverity } from '../../../common/contracts/notifications';
import { toErrorInfo } from '../../../common/errors';
import type { ClusterNotification } from '../cluster/notifier';

export interface AlertSource {
  profileId: string;
  profileName: string;
  alerts: MonitoringResult<Alert[]>;
}

export interface AlertWatcherOptions {
  /** Current alerts of every profile that has an Alertmanager URL. */
  list: () => Promise<AlertSource[]>;
  notify: (n: ClusterNotification) => Promise<void>;
  /** Whether anyone wants alert notifications now (no polling otherwise). */
  wanted: () => Promise<boolean>;
  intervalMs: number;
  log: (level: 'warn', msg: string) => void;
}

const severityOf = (a: Alert): NotificationSeverity => {
  const s = a.labels.severity;
  return s === 'critical' || s === 'info' ? s : 'warning';
};

function describe(a: Alert, profileName: string, state: 'FIRING' | 'RESOLVED'): Pick<ClusterNotification, 'title' | 'body'> {
  const name = a.labels.alertname ?? 'Alert';
  const where = a.labels.instance ?? a.labels.node ?? a.labels.job;
  const text = a.annotations.summary ?? a.annotations.description ?? '';
  return {
    title: `[${state}] ${name}${where ? ` on ${where}` : ''} (${profileName})`,
    body: [text, state === 'FIRING' ? `Since ${a.startsAt}` : 'No longer firing'].filter(Boolean).join('\n'),
  };
}

/**
 * Firing = active (not silenced or inhibited) in Alertmanager. Resolved = gone from Alertmanager's list, which
 * drops an alert once it ends. A silenced alert is forgotten without a "resolved" (the user acknowledged it),
 * and an Alertmanager outage (a degraded result) changes nothing: absence during an outage is not a resolution.
 */
export class AlertWatcher {
  private readonly firing = new Map<string, Map<string, Alert>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(private readonly o: AlertWatcherOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.o.intervalMs);
    this.timer.unref();
    void this.poll();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One poll; overlapping calls share the one in progress. */
  poll(): Promise<void> {
    this.running ??= this.pollOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async pollOnce(): Promise<void> {
    try {
      if (!(await this.o.wanted())) return;
      for (const src of await this.o.list()) await this.observe(src);
    } catch (e) {
      this.o.log('warn', `alert notifications: polling failed: ${toErrorInfo(e).message}`);
    }
  }

  /** Compares one profile's current alerts with the last seen ones and notifies the differences. */
  async observe(src: AlertSource): Promise<void> {
    if (src.alerts.status !== 'ok') return;
    const before = this.firing.get(src.profileId) ?? new Map<string, Alert>();
    const now = new Map<string, Alert>();
    const present = new Set<string>();
    for (const a of src.alerts.data) {
      present.add(a.fingerprint);
      if (a.status.state === 'active') now.set(a.fingerprint, a);
    }
    this.firing.set(src.profileId, now);
    for (const [fp, a] of now)
      if (!before.has(fp))
        await this.o.notify({
          severity: severityOf(a),
          ...describe(a, src.profileName, 'FIRING'),
          source: 'alert',
          event: 'alert-firing',
          alertFingerprint: fp,
        });
    for (const [fp, a] of before)
      if (!present.has(fp))
        await this.o.notify({
          severity: severityOf(a),
          ...describe(a, src.profileName, 'RESOLVED'),
          source: 'alert',
          event: 'alert-resolved',
          alertFingerprint: fp,
        });
  }
}
