// Per-job resources on a real Ray cluster (head only: cheap on 2 cores) scraped by real Prometheus via Ray's SD file.
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
    cluster = await startRayCluster({ workers: 0 });
    // The head's Ray writes every node's metrics address here (what the shipped prometheus.yml.tmpl points at).
    // The session dir's file, not the symlink in the temp dir: Ray rewrites the target, which a watcher of the link's
    // directory never hears about (seen: Prometheus kept the first, node-less list for minutes).
    const sdFile = path.join(cluster.tmp, 'n0', 'session_latest', 'prom_metrics_service_discovery.json');
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

  it("a job's page shows CPU and memory of the node it ran on, over its life; another node's attempt gets none of it", async () => {
    const scraped = await waitFor(
      'Ray node metrics in Prometheus',
      async () => {
        const ips = new Set((await prometheus.query('ray_node_cpu_utilization')).map((s) => s.labels.ip));
        return ips.size >= 1 ? ips : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    ).catch(async (e: unknown) => {
      // Say why: which targets Prometheus found in Ray's SD file and how their scrapes went.
      const targets = (await prometheus.targets()).map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`);
      throw new Error(`${String(e)}; targets: ${targets.join(' | ') || 'none'}`);
    });
    const job = await jobs.submitTraining({
      config: { run_name: 'res', strategy: 'ddp', max_steps: 30, log_every: 10, step_sleep_s: 0.1, hidden_dim: 16, num_layers: 2 },
      launch: { numNodes: 1, placementTimeoutS: 60 },
    });
    const done = await jobs.follow(job.id, { timeoutMs: 120_000 });
    expect(done.status).toBe('SUCCEEDED');
    const monitoring = new MonitoringService({ prometheus });
    const logs = await repo.getLogs(job.id);
    const r = await collectJobResources({ job: done, logs, monitoring });
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
    expect(metrics.cpu[0]!.points.every((p) => p.v >= 0 && p.v <= 100)).toBe(true);
    // Memory in bytes: a node running Ray and a PyTorch trainer uses far more than 100 MB.
    expect(Math.max(...metrics.memory[0]!.points.map((p) => p.v))).toBeGreaterThan(100e6);
    // A CPU-only cluster: no DCGM exporter and no Ray GPU metrics.
    expect(gpuSource).toBe('none');
    expect(metrics.gpuUtil).toEqual([]);
    // The same window, but the launch event names a node this cluster does not have: the filter leaves nothing.
    const elsewhere = logs.map((l) => ({ ...l, log: l.log.replace(`"nodes":["${a.nodes[0]}"]`, '"nodes":["10.255.0.1"]') }));
    const other = await collectJobResources({ job: done, logs: elsewhere, monitoring });
    expect(other.status === 'ok' && [other.data.attempts[0]!.nodes, other.data.metrics.cpu, other.data.metrics.memory]).toEqual([
      ['10.255.0.1'],
      [],
      [],
    ]);
  }, 180_000);

  it('a profile without Prometheus degrades with the reason instead of failing', async () => {
    const [job] = await repo.list();
    expect(job).toBeDefined();
    const r = await collectJobResources({ job: job!, logs: await repo.getLogs(job!.id), monitoring: new MonitoringService({}) });
    expect(r).toEqual({ status: 'degraded', source: 'prometheus', reason: 'No Prometheus URL in this cluster profile' });
  });
});
