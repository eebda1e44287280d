// Real Prometheus + Alertmanager + node-exporter: node metrics, the shipped NodeDown rule firing, silencing, degraded state.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerClient } from '../../../main/services/cluster/alertmanager-client';
import { MemoryAuditSink } from '../../../main/services/cluster/audit';
import { MonitoringService } from '../../../main/services/cluster/monitoring-service';
import { PrometheusClient } from '../../../main/services/cluster/prometheus-client';
import { startMetricsTarget, startRecordingServer, type RecordingServer } from '../../support/cluster/local-servers';
import { missingBinaries, waitFor } from '../../support/cluster/processes';
import { ALERTS_DIR, startAlertmanager, startNodeExporter, startPrometheus } from '../../support/cluster/prometheus-stack';

const run = promisify(execFile);
// Debian packages prometheus, prometheus-alertmanager, prometheus-node-exporter (see docs/cluster.md).
const missing = missingBinaries(['prometheus', 'prometheus-alertmanager', 'prometheus-node-exporter', 'promtool']);

const SUITE = `monitoring against real Prometheus, Alertmanager and node-exporter${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`;

describe.skipIf(missing.length > 0)(SUITE, () => {
  let hook: RecordingServer;
  let node: Awaited<ReturnType<typeof startNodeExporter>>;
  let am: Awaited<ReturnType<typeof startAlertmanager>>;
  let prom: Awaited<ReturnType<typeof startPrometheus>>;
  let gpuNode: Awaited<ReturnType<typeof startMetricsTarget>>;
  let failedTasks = 0;
  let monitoring: MonitoringService;
  let amClient: AlertmanagerClient;
  const audit = new MemoryAuditSink();

  beforeAll(async () => {
    hook = await startRecordingServer();
    node = await startNodeExporter();
    am = await startAlertmanager(`${hook.url}/alerts`);
    // DCGM exporter and Ray metric names as a GPU node of a busy cluster would export them (failed tasks keep rising).
    gpuNode = await startMetricsTarget(
      () =>
        [
          'DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="gpu-node-1"} 91',
          'DCGM_FI_DEV_GPU_UTIL{gpu="0",Hostname="gpu-node-1"} 77',
          'DCGM_FI_DEV_FB_USED{gpu="0",Hostname="gpu-node-1"} 15900',
          'DCGM_FI_DEV_FB_FREE{gpu="0",Hostname="gpu-node-1"} 100',
          'ray_node_cpu_utilization{instance="gpu-node-1"} 42',
          `ray_tasks{State="FAILED",JobId="03000000",IsRetry="0"} ${failedTasks++}`,
        ].join('\n') + '\n',
    );
    prom = await startPrometheus({
      nodeTargets: [node.target],
      rayTargets: [gpuNode.target],
      alertmanagerTarget: `127.0.0.1:${am.port}`,
      ruleFor: '2s',
    });
    amClient = new AlertmanagerClient({ baseUrl: am.url, timeoutMs: 5000 });
    monitoring = new MonitoringService({
      prometheus: new PrometheusClient({ baseUrl: prom.url, timeoutMs: 5000 }),
      alertmanager: amClient,
      audit,
      profileId: 'local',
    });
  }, 120_000);

  afterAll(async () => {
    await prom?.svc.stop();
    await am?.svc.stop();
    await node?.svc.stop();
    await gpuNode?.close();
    await hook?.close();
  });

  it('the shipped rules pass promtool', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', path.join(ALERTS_DIR, 'evolve-rules.yml')]);
    expect(stdout).toMatch(/SUCCESS: 12 rules found/);
  });

  it('shows node CPU, memory, disk and network from node-exporter, GPU charts from DCGM names, and Ray metrics', async () => {
    const overview = await waitFor(
      'node series',
      async () => {
        const r = await monitoring.nodeOverview('15m');
        return r.status === 'ok' && (r.data.metrics.cpu?.[0]?.points.length ?? 0) > 0 && (r.data.metrics.network_rx?.length ?? 0) > 0
          ? r
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    if (overview.status !== 'ok') throw new Error('degraded');
    const { metrics, hasGpu } = overview.data;
    expect(metrics.cpu?.[0]?.label).toBe(node.target);
    for (const m of ['cpu', 'memory', 'disk'] as const) {
      const v = metrics[m]?.[0]?.points.at(-1)?.v;
      expect(v, m).toBeGreaterThanOrEqual(0);
      expect(v, m).toBeLessThanOrEqual(100);
    }
    expect(hasGpu).toBe(true);
    expect(metrics.gpu_temp?.[0]).toMatchObject({ labels: { Hostname: 'gpu-node-1', gpu: '0' } });
    expect(metrics.gpu_temp?.[0]?.points.at(-1)?.v).toBe(91);
    expect(metrics.gpu_util?.[0]?.points.at(-1)?.v).toBe(77);
    const ray = await monitoring.rayMetric('cpu', '15m');
    expect(ray.status === 'ok' && ray.data[0]?.points.at(-1)?.v).toBe(42);
    const targets = await monitoring.targets();
    expect(targets.status === 'ok' && targets.data.some((t) => t.health === 'up' && t.labels.instance === node.target)).toBe(true);
  });

  it('a bad query is a typed INVALID_ARGUMENT, not a degraded panel', async () => {
    const client = new PrometheusClient({ baseUrl: prom.url });
    await expect(client.query('rate(up[')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('the shipped GpuHot, GpuMemoryFull and TrainingJobFailed rules fire from DCGM and Ray metrics', async () => {
    const names = await waitFor(
      'GPU and job alerts',
      async () => {
        const r = await monitoring.alerts();
        const got = r.status === 'ok' ? new Set(r.data.map((a) => a.labels.alertname)) : new Set<string>();
        return ['GpuHot', 'GpuMemoryFull', 'TrainingJobFailed'].every((n) => got.has(n)) ? got : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(names.has('NodeDown')).toBe(false);
    const r = await monitoring.alerts();
    const job = r.status === 'ok' ? r.data.find((a) => a.labels.alertname === 'TrainingJobFailed') : undefined;
    expect(job?.labels.JobId).toBe('03000000');
  });

  it('stopping node-exporter fires NodeDown through Alertmanager; acknowledging silences it', async () => {
    await node.svc.stop();
    const alert = await waitFor(
      'NodeDown in Alertmanager',
      async () => {
        const r = await monitoring.alerts();
        return r.status === 'ok' ? r.data.find((a) => a.labels.alertname === 'NodeDown' && a.labels.instance === node.target) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(alert.status.state).toBe('active');
    expect(alert.labels.severity).toBe('critical');
    expect(alert.annotations.summary).toContain(node.target);
    // Alertmanager also pushed it to the webhook receiver.
    await waitFor('webhook delivery', async () => hook.requests.some((r) => r.body.includes('NodeDown')), { timeoutMs: 30_000 });

    const silenceId = await monitoring.acknowledge(alert, { minutes: 30 });
    const silenced = await waitFor(
      'the alert to be suppressed',
      async () => {
        const r = await amClient.alerts();
        const a = r.find((x) => x.fingerprint === alert.fingerprint);
        return a && a.status.state === 'suppressed' ? a : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(silenced.status.silencedBy).toContain(silenceId);
    expect((await amClient.silences()).find((s) => s.id === silenceId)?.status.state).toBe('active');
    await monitoring.unacknowledge(silenceId);
    expect((await amClient.silences()).find((s) => s.id === silenceId)?.status.state).toBe('expired');
    expect(audit.kinds()).toEqual(['cluster.silence', 'cluster.unsilence']);
    await expect(amClient.deleteSilence('not a valid id!')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('Prometheus stopped → every Prometheus-backed call is a degraded value, not a throw', async () => {
    await prom.svc.stop();
    const r = await monitoring.nodeMetric('cpu', '1h');
    expect(r.status).toBe('degraded');
    if (r.status === 'degraded') {
      expect(r.source).toBe('prometheus');
      expect(r.reason).toMatch(/Prometheus at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\)/);
    }
    expect((await monitoring.nodeOverview('24h')).status).toBe('degraded');
    expect((await monitoring.targets()).status).toBe('degraded');
    expect((await monitoring.rayMetric('cpu', '6h')).status).toBe('degraded');
    // Alertmanager is still up: its part of the panel keeps working.
    expect((await monitoring.alerts()).status).toBe('ok');
    await am.svc.stop();
    expect((await monitoring.alerts()).status).toBe('degraded');
  });
});
