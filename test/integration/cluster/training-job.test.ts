// Real two-node Ray cluster + our PyTorch training code through JobService: DDP trains, live metrics, kill-a-worker self-heal.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricPoint, TrainingEvent } from '../../../common/cluster/job';
import { MemoryAuditSink } from '../../../main/services/cluster/audit';
import { JobService } from '../../../main/services/cluster/job-service';
import { JsonFileJobRepository } from '../../../main/services/cluster/job-repository';
import { RayClient } from '../../../main/services/cluster/ray-client';
import { tailJobLogs } from '../../../main/services/cluster/ray-log-tail';
import { tempDir, waitFor } from '../../support/cluster/processes';
import { REPO_ROOT } from '../../support/cluster/prometheus-stack';
import { rayUnavailableReason, startRayCluster, type RayCluster } from '../../support/cluster/ray-cluster';

const TRAINING_DIR = path.join(REPO_ROOT, 'resources/training');
const skip =
  rayUnavailableReason() ?? (fs.existsSync(path.join(TRAINING_DIR, 'ray_launch.py')) ? null : 'no resources/training/ray_launch.py');

describe.skipIf(skip !== null)('training jobs through JobService on a real two-node Ray cluster', () => {
  let cluster: RayCluster;
  let client: RayClient;
  let dir: string;
  const audit = new MemoryAuditSink();
  let service: JobService;

  beforeAll(async () => {
    cluster = await startRayCluster({ workers: 1 });
    client = new RayClient({ baseUrl: cluster.dashboardUrl, timeoutMs: 20_000 });
    dir = tempDir('evjobs-');
    service = new JobService({
      profileId: 'local',
      client,
      tail: (id, opts) => tailJobLogs(client.target, id, opts),
      repo: new JsonFileJobRepository(path.join(dir, 'history')),
      audit,
      trainingDir: TRAINING_DIR,
      pollIntervalMs: 500,
    });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('a two-node DDP job trains to a lower loss; live metrics arrive; history survives a new repository', async () => {
    const live: MetricPoint[] = [];
    const off = service.onEvent((e) => e.type === 'metric' && live.push(e.point));
    const job = await service.submitTraining({
      config: { run_name: 'ddp-smoke', strategy: 'ddp', max_steps: 40, log_every: 2, lr: 0.003, seed: 1 },
      launch: { numNodes: 2, placementTimeoutS: 90 },
    });
    expect(job.packageUri).toMatch(/^gcs:\/\/_ray_pkg_[0-9a-f]{40}\.zip$/);
    const done = await service.follow(job.id, { timeoutMs: 240_000 });
    off();
    expect(done.status).toBe('SUCCEEDED');
    expect(live.length).toBeGreaterThan(5);
    const metrics = await new JsonFileJobRepository(path.join(dir, 'history')).getMetrics(job.id);
    expect(metrics.at(-1)?.step).toBe(40);
    const first = metrics[0]?.loss ?? NaN;
    const last = metrics.at(-1)?.loss ?? NaN;
    expect(last).toBeLessThan(first);
    expect(metrics.every((m) => (m.samplesPerS ?? 0) > 0)).toBe(true);
    const logs = await service.logs(job.id);
    expect(logs[0]?.log).toContain('"evolve_event":"launch"');
    expect(audit.entries.filter((e) => e.jobId === job.id).map((e) => e.kind)).toEqual(['cluster.submit', 'cluster.job-finished']);
  });

  it('killing a worker node mid-training fails the attempt; self-healing resumes from the checkpoint and finishes with continuous steps from the resume point', async () => {
    const ck = path.join(dir, 'ck');
    const events: TrainingEvent[] = [];
    const off = service.onEvent((e) => e.type === 'training-event' && events.push(e.event));
    const job = await service.submitTraining({
      config: {
        run_name: 'kill-me',
        strategy: 'ddp',
        max_steps: 60,
        log_every: 1,
        lr: 0.003,
        checkpoint_dir: ck,
        checkpoint_every: 5,
        step_sleep_s: 0.15,
      },
      launch: { numNodes: 2, placementTimeoutS: 150 },
      maxRestarts: 2,
    });
    const following = service.follow(job.id, { timeoutMs: 420_000 });
    await waitFor('a checkpoint at step ≥ 10', async () => events.some((e) => e.name === 'checkpoint' && Number(e.fields.step) >= 10), {
      timeoutMs: 180_000,
      intervalMs: 200,
    });
    await cluster.killWorker(1);
    // The node comes back (a real cluster's autoscaler or operator would do this); the resubmission waits for placement.
    await cluster.addWorker(1);
    const done = await following;
    off();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.restarts).toBe(1);
    expect(done.attempts.map((a) => [a.reason, a.status])).toEqual([
      ['initial', 'FAILED'],
      ['self-heal', 'SUCCEEDED'],
    ]);
    expect(done.lastCheckpointStep).toBeGreaterThanOrEqual(10);
    const logs = await service.logs(job.id);
    expect(logs[1]?.log).toMatch(/"evolve_event":"resumed","step":\d+/);
    const metrics = await service.metrics(job.id);
    const steps = metrics.map((m) => m.step);
    const resumedAt = Number(/"evolve_event":"resumed","step":(\d+)/.exec(logs[1]?.log ?? '')?.[1]);
    // Every step is recorded once, in order, and everything from the resume point on is continuous. Steps
    // before the resumed checkpoint can be missing when the killed node held rank 0: lines it had not yet
    // passed to the job driver die with it (seen in a clean-clone CI run: 58 of 60). They were trained —
    // the checkpoint has them — only their log lines are gone.
    expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
    expect(steps.filter((x) => x > resumedAt)).toEqual(Array.from({ length: 60 - resumedAt }, (_, i) => resumedAt + i + 1));
    const missing = Array.from({ length: 60 }, (_, i) => i + 1).filter((x) => !steps.includes(x));
    expect(missing.every((x) => x <= resumedAt)).toBe(true);
    expect(missing.length).toBeLessThanOrEqual(10); // a short tail of unflushed log lines, not a hole in training
    expect(metrics.every((m) => m.loss !== null && Number.isFinite(m.loss))).toBe(true);
    const entries = audit.entries.filter((e) => e.jobId === job.id);
    expect(entries.map((e) => e.kind)).toEqual(['cluster.submit', 'cluster.self-heal', 'cluster.job-finished']);
    expect(entries[1]?.detail).toMatch(/^restart 1\/2 from checkpoint step \d+/);
  });
});
