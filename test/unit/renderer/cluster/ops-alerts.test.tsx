// The Ops tab's alert list with a predictive alert as Alertmanager delivers it: the "in ~N h" summary and, under it, what to do.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../common/cluster/monitoring';
import { useStore } from '../../../../renderer/app/store';
import { Alerts } from '../../../../renderer/features/cluster/OpsPanel';

function alert(name: string, annotations: Record<string, string>): Alert {
  return {
    fingerprint: `fp-${name}`,
    labels: { alertname: name, severity: 'critical', instance: 'node-1:9100', mountpoint: '/data' },
    annotations,
    startsAt: '2026-01-01T10:00:00Z',
    status: { state: 'active', silencedBy: [], inhibitedBy: [] },
  };
}

function render(alerts: Alert[]): string {
  useStore.setState((s) => ({ cluster: { ...s.cluster, alerts: { status: 'ok', data: alerts } } }));
  // renderToString reads zustand's server snapshot, which is the initial state.
  Object.assign(useStore.getInitialState(), { cluster: useStore.getState().cluster });
  return renderToString(<Alerts />).replace(/<!-- -->/g, '');
}

describe('Ops tab alert list', () => {
  it('shows a predictive alert with its time left and what to do', () => {
    const html = render([
      alert('NodeDiskFullIn4h', {
        summary: 'Disk /data on node-1:9100 will be full in ~3.4 h',
        description: 'At the rate of the last hour /data fills up within 4 hours. Free space now: delete old checkpoints.',
      }),
    ]);
    expect(html).toContain('data-alertname="NodeDiskFullIn4h"');
    expect(html).toContain('<p>Disk /data on node-1:9100 will be full in ~3.4 h</p>');
    expect(html).toMatch(
      /data-testid="alert-description">At the rate of the last hour \/data fills up within 4 hours\. Free space now: delete old checkpoints\.<\/p>/,
    );
  });

  it('an alert with only a description shows it once, as the main line', () => {
    const html = render([alert('Custom', { description: 'Only a description' })]);
    expect(html).toContain('<p>Only a description</p>');
    expect(html).not.toContain('alert-description');
  });
});
