// Per-job resources on a real two-node Ray cluster scraped by real Prometheus through Ray's service-discovery file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditSink } from '../../../main/services/cluster/audit';
import { JsonFileJobRepository } from '../../../main/services/cluster/job-repository';
import { collectJobResources } from '../../../main/services/cluster/job-resources';
import { JobService } from '../../../main/services/cluster/job-service';
import { MonitoringService } from '../../../main/services/cluster/monitoring-service';
import { PrometheusClient } from '../../../main/services/cluster/prometheus-client';
import { RayClient } from '../../../main/services/cluster/ray-client';
import { tailJobLogs } from '../../../main/services/cluster/ray-log-tail';
import { missingBinaries, tempDir, waitFor } from '../../support/cluster/processes';
import { REPO_ROOT, startPrometheus } from '../../support/cluster/prometheus-stack';
import { rayUnavailableReason, startRayCluster, type RayCluster } from '../../support/cluster/ray-cluster';

const skip = rayUnavailableReason() ?? (missingBinaries(['prometheus']).length ? 'no prometheus binary' : null);

describe.skipIf(skip !== null)('per-job resources from Ray metrics in real Prometheus', () => {
  let cluster: RayCluster;
  let prom: Awaited<ReturnType<typeof startPrometheus>>;
  let prometheus: PrometheusClient;
  let dir: string;
  let repo: JsonFileJobRepository;
  let jobs: JobService;

  beforeAll(async () => {
    cluster = await startRayCluster({ workers: 1 });
    // The head's Ray writes every node's metrics address here (what the shipped prometheus.yml.tmpl points at).
    const sdFile = path.join(cluster.tmp, 'n0', 'prom_metrics_service_discovery.json');
    await waitFor('Ray to write its service-discovery file', async () => fs.existsSync(sdFile), { timeoutMs: 60_000, intervalMs: 500 });
    prom = await startPrometheus({ nodeTargets: [], raySdFiles: [sdFile], interval: '1s' });
    prometheus = new PrometheusClient({ baseUrl: prom.url, timeoutMs: 10_000 });
    dir = tempDir('evres-');
    repo = new JsonFileJobRepository(path.join(dir, 'history'));
    const client = new RayClient({ baseUrl: cluster.dashboardUrl, timeoutMs: 20_000 });
    jobs = new JobService({
      profileId: 'local',
      client,
      tail: (id, opts) => tailJobLogs(client.target, id, opts),
      repo,
      audit: new MemoryAuditSink(),
      trainingDir: path.join(REPO_ROOT, 'resources/training'),
      pollIntervalMs: 500,
    });
  }, 180_000);

  afterAll(async () => {
    await prom?.svc.stop();
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it("a one-node job's page shows CPU and memory of the node it ran on, over its life, and not the other node", async () => {
    // Both nodes are scraped (through the SD file) before the job starts, so the filter below is what leaves one out.
    const scraped = await waitFor(
      'Ray node metrics of both nodes in Prometheus',
      async () => {
        const ips = new Set((await prometheus.query('ray_node_cpu_utilization')).map((s) => s.labels.ip));
        return ips.size >= 2 ? ips : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    const job = await jobs.submitTraining({
      config: { run_name: 'res', strategy: 'ddp', max_steps: 40, log_every: 10, step_sleep_s: 0.1, hidden_dim: 16, num_layers: 2 },
      launch: { numNodes: 1, placementTimeoutS: 60 },
    });
    const done = await jobs.follow(job.id, { timeoutMs: 120_000 });
    expect(done.status).toBe('SUCCEEDED');
    const monitoring = new MonitoringService({ prometheus });
    const r = await collectJobResources({ job: done, logs: await repo.getLogs(job.id), monitoring });
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    const { attempts, metrics, gpuSource } = r.data;
    expect(attempts).toHaveLength(1);
    const a = attempts[0]!;
    expect(a.nodesKnown).toBe(true);
    expect(a.nodes).toHaveLength(1);
    expect(scraped.has(a.nodes[0])).toBe(true);
    expect(a.end).toBeGreaterThan(a.start);
    for (const m of [metrics.cpu, metrics.memory]) {
      expect(m.map((s) => s.label)).toEqual(a.nodes);
      const pts = m[0]!.points;
      expect(pts.length).toBeGreaterThan(3);
      expect(pts.every((p) => p.t >= a.start && p.t <= a.end)).toBe(true);
    }
    expect(metrics.cpu[0]!.points.every((p) => p.v >= 0 && p.v <= 100 * 64)).toBe(true);
    // Memory in bytes: a node running Ray and a PyTorch trainer uses far more than 100 MB.
    expect(Math.max(...metrics.memory[0]!.points.map((p) => p.v))).toBeGreaterThan(100e6);
    // A CPU-only cluster: no DCGM exporter and no Ray GPU metrics.
    expect(gpuSource).toBe('none');
    expect(metrics.gpuUtil).toEqual([]);
  }, 180_000);

  it('a profile without Prometheus degrades with the reason instead of failing', async () => {
    const [job] = await repo.list();
    expect(job).toBeDefined();
    const r = await collectJobResources({ job: job!, logs: await repo.getLogs(job!.id), monitoring: new MonitoringService({}) });
    expect(r).toEqual({ status: 'degraded', source: 'prometheus', reason: 'No Prometheus URL in this cluster profile' });
  });
});
