// AlertWatcher: a new active fingerprint fires, a vanished one resolves; silenced alerts and Alertmanager outages resolve nothing.
import { describe, expect, it } from 'vitest';
import type { Alert, MonitoringResult } from '../../../common/cluster/monitoring';
import type { ClusterNotification } from '../../../main/services/cluster/notifier';
import { AlertWatcher } from '../../../main/services/notifications/alert-watcher';

const alert = (fp: string, state: Alert['status']['state'] = 'active', severity = 'critical'): Alert => ({
  fingerprint: fp,
  labels: { alertname: 'NodeDown', instance: `10.0.0.${fp.length}:9100`, severity },
  annotations: { summary: 'node-exporter unreachable' },
  startsAt: '2026-12-02T10:00:00Z',
  status: { state, silencedBy: [], inhibitedBy: [] },
});

function watcher() {
  const sent: ClusterNotification[] = [];
  let current: MonitoringResult<Alert[]> = { status: 'ok', data: [] };
  let wanted = true;
  const w = new AlertWatcher({
    list: async () => [{ profileId: 'p1', profileName: 'lab', alerts: current }],
    notify: async (n) => void sent.push(n),
    wanted: async () => wanted,
    intervalMs: 60_000,
    log: () => {},
  });
  return {
    w,
    sent,
    set: (r: MonitoringResult<Alert[]>) => (current = r),
    want: (v: boolean) => (wanted = v),
  };
}

describe('AlertWatcher', () => {
  it('notifies a new firing alert once and its resolution when it leaves Alertmanager', async () => {
    const h = watcher();
    h.set({ status: 'ok', data: [alert('aa')] });
    await h.w.poll();
    await h.w.poll();
    h.set({ status: 'ok', data: [] });
    await h.w.poll();
    expect(h.sent.map((n) => [n.event, n.alertFingerprint, n.severity, n.title])).toEqual([
      ['alert-firing', 'aa', 'critical', '[FIRING] NodeDown on 10.0.0.2:9100 (lab)'],
      ['alert-resolved', 'aa', 'critical', '[RESOLVED] NodeDown on 10.0.0.2:9100 (lab)'],
    ]);
    expect(h.sent[0]?.body).toContain('node-exporter unreachable');
  });

  it('an outage is not a resolution; a silenced alert is neither firing nor resolved', async () => {
    const h = watcher();
    h.set({ status: 'ok', data: [alert('bb'), alert('ccc', 'suppressed')] });
    await h.w.poll();
    h.set({ status: 'degraded', source: 'alertmanager', reason: 'connection refused' });
    await h.w.poll();
    h.set({ status: 'ok', data: [alert('bb', 'suppressed')] });
    await h.w.poll();
    expect(h.sent.map((n) => [n.event, n.alertFingerprint])).toEqual([['alert-firing', 'bb']]);
  });

  it('does not poll while nobody wants alert notifications', async () => {
    const h = watcher();
    h.want(false);
    h.set({ status: 'ok', data: [alert('dd')] });
    await h.w.poll();
    expect(h.sent).toEqual([]);
    h.want(true);
    await h.w.poll();
    expect(h.sent.map((n) => n.alertFingerprint)).toEqual(['dd']);
  });
});
