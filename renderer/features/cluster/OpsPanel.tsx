// Ops tab: node CPU/memory (and disk, GPU when present) charts over a time range and Alertmanager alerts with Acknowledge.
import { useEffect } from 'react';
import { TIME_RANGES } from '../../../common/cluster/monitoring';
import { useStore } from '../../app/store';
import { LineChart } from './LineChart';
import { useRoleGate } from './roles-store';

/** How often the tab refreshes while it is open. */
export const OPS_REFRESH_MS = 5000;

const CHARTS: { key: string; title: string; format: (v: number) => string }[] = [
  { key: 'cpu', title: 'CPU used (%)', format: (v) => v.toFixed(1) },
  { key: 'memory', title: 'Memory used (%)', format: (v) => v.toFixed(1) },
  { key: 'disk', title: 'Disk used (%)', format: (v) => v.toFixed(1) },
  { key: 'gpu_util', title: 'GPU utilisation (%)', format: (v) => v.toFixed(0) },
  { key: 'gpu_temp', title: 'GPU temperature (°C)', format: (v) => v.toFixed(0) },
];

function Degraded({ source, reason, testId }: { source: string; reason: string; testId: string }) {
  return (
    <p className="notice-inline" role="status" data-testid={testId}>
      {source === 'prometheus' ? 'Prometheus' : 'Alertmanager'} is unavailable: {reason}
    </p>
  );
}

export function Alerts() {
  const alerts = useStore((s) => s.cluster.alerts);
  const ack = useStore((s) => s.acknowledgeAlert);
  const gate = useRoleGate(
    useStore((s) => s.cluster.profileId),
    'alert.acknowledge',
  );
  if (!alerts) return <p className="hint">Loading alerts…</p>;
  if (alerts.status === 'degraded') return <Degraded source={alerts.source} reason={alerts.reason} testId="alerts-degraded" />;
  if (alerts.data.length === 0)
    return (
      <p className="hint" data-testid="alerts-empty">
        No alerts firing.
      </p>
    );
  return (
    <ul className="alert-list" data-testid="alerts">
      {alerts.data.map((a) => {
        const silenced = a.status.state === 'suppressed' || a.status.silencedBy.length > 0;
        return (
          <li
            key={a.fingerprint}
            className={`alert-row severity-${a.labels.severity ?? 'none'}`}
            data-testid="alert-row"
            data-alertname={a.labels.alertname}
          >
            <strong>{a.labels.alertname ?? 'alert'}</strong> <span className="muted">{a.labels.instance ?? a.labels.job ?? ''}</span>{' '}
            <span className="badge">{a.labels.severity ?? 'none'}</span>{' '}
            <span data-testid="alert-state">{silenced ? 'acknowledged' : 'firing'}</span>
            <p>{a.annotations.summary ?? a.annotations.description ?? ''}</p>
            {/* Predictive and GPU alerts say what to do in their description; show it under the summary. */}
            {a.annotations.summary && a.annotations.description && (
              <p className="muted" data-testid="alert-description">
                {a.annotations.description}
              </p>
            )}
            <span className="muted">since {new Date(a.startsAt).toLocaleTimeString()}</span>{' '}
            {!silenced && (
              <button type="button" data-testid="alert-ack" {...gate} onClick={() => void ack(a.labels)}>
                Acknowledge
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function OpsPanel() {
  const profileId = useStore((s) => s.cluster.profileId);
  const range = useStore((s) => s.cluster.range);
  const overview = useStore((s) => s.cluster.overview);
  const load = useStore((s) => s.loadClusterOps);
  useEffect(() => {
    void load();
    const t = setInterval(() => void load(), OPS_REFRESH_MS);
    return () => clearInterval(t);
  }, [load, profileId]);
  if (!profileId) return <p className="hint">Add a cluster profile with Prometheus and Alertmanager URLs first.</p>;
  return (
    <div className="ops-panel">
      <div className="segmented" role="group" aria-label="Time range">
        {TIME_RANGES.map((r) => (
          <button key={r} type="button" aria-pressed={r === range} onClick={() => void load(r)}>
            {r}
          </button>
        ))}
      </div>
      <h3>Alerts</h3>
      <Alerts />
      <h3>Nodes</h3>
      {!overview ? (
        <p className="hint">Loading node metrics…</p>
      ) : overview.status === 'degraded' ? (
        <Degraded source={overview.source} reason={overview.reason} testId="ops-degraded" />
      ) : (
        <div className="charts">
          {CHARTS.filter((c) => overview.data.metrics[c.key]).map((c) => {
            const series = overview.data.metrics[c.key] ?? [];
            // x is seconds since the range's first sample, the same origin for every node.
            const t0 = Math.min(...series.flatMap((s) => s.points.map((p) => p.t)));
            return (
              <LineChart
                key={c.key}
                title={c.title}
                testId={`ops-chart-${c.key}`}
                xLabel="s"
                format={c.format}
                empty="No samples in this range yet."
                series={series.map((s) => ({ label: s.label, points: s.points.map((p) => ({ x: Math.round(p.t - t0), y: p.v })) }))}
              />
            );
          })}
        </div>
      )}
    </div>
  );
}
