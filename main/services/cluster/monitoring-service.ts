// Cluster monitoring for the panel: node charts, Ray metrics, targets and alerts; an outage becomes a `degraded` value.
import { EvolveError, isEvolveError } from '../../../common/errors';
import {
  NODE_METRICS,
  type Alert,
  type MonitoringResult,
  type NodeMetric,
  type Series,
  type TimeRange,
} from '../../../common/cluster/monitoring';
import { matchersForAlert, type AlertmanagerClient } from './alertmanager-client';
import type { AuditSink } from './audit';
import { nodeQuery, RAY_QUERIES, type RayQuery } from './node-queries';
import { RANGE_PLAN, rateWindow, type PrometheusClient, type PromTarget } from './prometheus-client';

export interface MonitoringDeps {
  prometheus?: PrometheusClient;
  alertmanager?: AlertmanagerClient;
  audit?: AuditSink;
  profileId?: string;
  now?: () => number;
}

/** Outages (down, timing out, answering garbage) degrade; a bad query or argument is a bug and still throws. */
const DEGRADING = new Set(['UNAVAILABLE', 'TIMEOUT', 'CORRUPT', 'UNAUTHENTICATED', 'INTERNAL']);

export class MonitoringService {
  private readonly now: () => number;
  constructor(private readonly deps: MonitoringDeps) {
    this.now = deps.now ?? Date.now;
  }

  private async guard<T>(source: 'prometheus' | 'alertmanager', fn: () => Promise<T>): Promise<MonitoringResult<T>> {
    const configured = source === 'prometheus' ? this.deps.prometheus : this.deps.alertmanager;
    if (!configured)
      return {
        status: 'degraded',
        source,
        reason: `No ${source === 'prometheus' ? 'Prometheus' : 'Alertmanager'} URL in this cluster profile`,
      };
    try {
      return { status: 'ok', data: await fn() };
    } catch (e) {
      if (isEvolveError(e) && DEGRADING.has(e.code)) return { status: 'degraded', source, reason: e.message };
      throw e;
    }
  }

  /** One node chart over a time range; empty series for GPU metrics means "no DCGM exporter" (CPU-only cluster). */
  nodeMetric(metric: NodeMetric, range: TimeRange, signal?: AbortSignal): Promise<MonitoringResult<Series[]>> {
    const plan = RANGE_PLAN[range];
    if (!plan) throw new EvolveError('INVALID_ARGUMENT', `Unknown time range ${String(range)}`);
    if (!NODE_METRICS.includes(metric)) throw new EvolveError('INVALID_ARGUMENT', `Unknown node metric ${String(metric)}`);
    return this.guard('prometheus', () => {
      const end = Math.floor(this.now() / 1000);
      return this.deps.prometheus!.queryRange(
        nodeQuery(metric, rateWindow(plan.step)),
        { start: end - plan.seconds, end, step: plan.step },
        signal,
      );
    });
  }

  /** All node charts for one range; GPU charts are left out when the cluster exports no DCGM metrics. */
  async nodeOverview(
    range: TimeRange,
    signal?: AbortSignal,
  ): Promise<MonitoringResult<{ metrics: Partial<Record<NodeMetric, Series[]>>; hasGpu: boolean }>> {
    const results = await Promise.all(NODE_METRICS.map(async (m) => [m, await this.nodeMetric(m, range, signal)] as const));
    const degraded = results.find(([, r]) => r.status === 'degraded');
    if (degraded && degraded[1].status === 'degraded') return degraded[1];
    const metrics: Partial<Record<NodeMetric, Series[]>> = {};
    for (const [m, r] of results) if (r.status === 'ok') metrics[m] = r.data;
    const hasGpu = (metrics.gpu_util?.length ?? 0) > 0;
    if (!hasGpu) for (const m of ['gpu_util', 'gpu_temp', 'gpu_mem'] as const) delete metrics[m];
    return { status: 'ok', data: { metrics, hasGpu } };
  }

  rayMetric(name: RayQuery, range: TimeRange, signal?: AbortSignal): Promise<MonitoringResult<Series[]>> {
    const plan = RANGE_PLAN[range];
    const expr = RAY_QUERIES[name];
    if (!plan || !expr) throw new EvolveError('INVALID_ARGUMENT', `Unknown Ray metric or range: ${String(name)} ${String(range)}`);
    return this.guard('prometheus', () => {
      const end = Math.floor(this.now() / 1000);
      return this.deps.prometheus!.queryRange(expr, { start: end - plan.seconds, end, step: plan.step }, signal);
    });
  }

  /** A range query over an explicit window (a job's life on the job page), degraded like the charts. */
  rangeQuery(expr: string, range: { start: number; end: number; step: number }, signal?: AbortSignal): Promise<MonitoringResult<Series[]>> {
    return this.guard('prometheus', () => this.deps.prometheus!.queryRange(expr, range, signal));
  }

  targets(signal?: AbortSignal): Promise<MonitoringResult<PromTarget[]>> {
    return this.guard('prometheus', () => this.deps.prometheus!.targets(signal));
  }

  alerts(signal?: AbortSignal): Promise<MonitoringResult<Alert[]>> {
    return this.guard('alertmanager', () => this.deps.alertmanager!.alerts({ signal }));
  }

  /** Acknowledge = silence this exact alert for a while; recorded in the audit log. */
  async acknowledge(alert: Pick<Alert, 'labels'>, opts: { minutes: number; comment?: string; by?: string }): Promise<string> {
    if (!this.deps.alertmanager) throw new EvolveError('UNAVAILABLE', 'No Alertmanager URL in this cluster profile');
    const id = await this.deps.alertmanager.createSilence({
      matchers: matchersForAlert(alert),
      durationMinutes: opts.minutes,
      comment: opts.comment ?? 'Acknowledged in Evolve Studio',
      createdBy: opts.by ?? 'evolve-studio',
    });
    await this.deps.audit?.append({
      kind: 'cluster.silence',
      profileId: this.deps.profileId,
      detail: alert.labels.alertname ?? 'alert',
      data: { silenceId: id, minutes: opts.minutes },
    });
    return id;
  }

  async unacknowledge(silenceId: string): Promise<void> {
    if (!this.deps.alertmanager) throw new EvolveError('UNAVAILABLE', 'No Alertmanager URL in this cluster profile');
    await this.deps.alertmanager.deleteSilence(silenceId);
    await this.deps.audit?.append({ kind: 'cluster.unsilence', profileId: this.deps.profileId, data: { silenceId } });
  }
}
