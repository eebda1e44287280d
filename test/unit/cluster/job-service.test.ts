// JobService logic (submit, follow, self-heal, stop, resume) with an in-memory Ray that plays scripted job lifecycles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSubmitRequest, RayJob, RayJobStatus } from '../../../common/cluster/ray';
import { MemoryAuditSink } from '../../../main/services/cluster/audit';
import { MemoryJobRepository } from '../../../main/services/cluster/job-repository';
import { JobService, type JobServiceEvent, type RayJobsApi } from '../../../main/services/cluster/job-service';
import type { ClusterNotification, Notifier } from '../../../main/services/cluster/notifier';

interface Script {
  statuses: RayJobStatus[];
  log: string;
}

/** Plays one script per submission, in order; records every call. */
class ScriptedRay implements RayJobsApi {
  readonly calls: string[] = [];
  readonly submitted: JobSubmitRequest[] = [];
  private readonly jobs = new Map<string, { script: Script; polls: number; stopped: boolean }>();
  constructor(private readonly scripts: Script[]) {}
  async packageExists() {
    return true;
  }
  async uploadPackage() {}
  async submitJob(req: JobSubmitRequest) {
    const script = this.scripts.shift();
    if (!script) throw new Error('no script left');
    this.submitted.push(req);
    this.calls.push(`submit ${req.submission_id}`);
    this.jobs.set(req.submission_id ?? '', { script, polls: 0, stopped: false });
    return { submissionId: req.submission_id ?? '' };
  }
  async getJob(id: string): Promise<RayJob> {
    const j = this.jobs.get(id);
    if (!j) throw new Error(`no job ${id}`);
    const status = j.stopped ? 'STOPPED' : (j.script.statuses[Math.min(j.polls++, j.script.statuses.length - 1)] ?? 'PENDING');
    return {
      status,
      entrypoint: 'x',
      submission_id: id,
      message: status === 'FAILED' ? 'Job entrypoint command failed with exit code 1' : null,
    };
  }
  async stopJob(id: string) {
    this.calls.push(`stop ${id}`);
    const j = this.jobs.get(id);
    if (j) j.stopped = true;
    return true;
  }
  async deleteJob(id: string) {
    this.calls.push(`delete ${id}`);
    return this.jobs.delete(id);
  }
  async getJobLogs(id: string) {
    return this.jobs.get(id)?.script.log ?? '';
  }
}

class RecordingNotifier implements Notifier {
  readonly channel = 'test';
  readonly sent: ClusterNotification[] = [];
  async notify(n: ClusterNotification) {
    this.sent.push(n);
  }
}

const m = (step: number, loss: number) => JSON.stringify({ evolve_metric: 1, step, loss, lr: 0.01, samples_per_s: 100, epoch: 0 });
const ck = (step: number) => JSON.stringify({ evolve_event: 'checkpoint', step, path: `/ck/${step}` });
const CK_CONFIG = { checkpoint_dir: '/shared/ck', checkpoint_every: 5, max_steps: 20 };

let trainingDir: string;
beforeEach(() => {
  trainingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtrain-'));
  fs.writeFileSync(path.join(trainingDir, 'ray_launch.py'), 'print(1)\n');
});
afterEach(() => fs.rmSync(trainingDir, { recursive: true, force: true }));

function setup(scripts: Script[]) {
  const ray = new ScriptedRay(scripts);
  const repo = new MemoryJobRepository();
  const audit = new MemoryAuditSink();
  const notifier = new RecordingNotifier();
  const events: JobServiceEvent[] = [];
  const service = new JobService({ profileId: 'p', client: ray, repo, audit, notifier, trainingDir, pollIntervalMs: 1 });
  service.onEvent((e) => events.push(e));
  return { ray, repo, audit, notifier, events, service };
}

describe('JobService', () => {
  it('rejects a bad config before packaging or submitting anything', async () => {
    const { ray, service } = setup([]);
    await expect(service.submitTraining({ config: { strategy: 'magic' } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('strategy'),
    });
    await expect(service.submitTraining({ config: {}, launch: { numNodes: 0 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('numNodes'),
    });
    await expect(service.submitTraining({ config: {}, maxRestarts: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(ray.calls).toEqual([]);
  });

  it('submits with the package as working_dir, follows to SUCCEEDED and stores logs and metrics', async () => {
    const { ray, service, audit, repo } = setup([
      { statuses: ['PENDING', 'RUNNING', 'SUCCEEDED'], log: ['hello', m(1, 1), m(2, 0.5)].join('\n') },
    ]);
    const job = await service.submitTraining({ name: ' first ', config: { max_steps: 2 } });
    expect(job.name).toBe('first');
    expect(ray.submitted[0]).toMatchObject({
      submission_id: `evolve-${job.id}-a1`,
      runtime_env: { working_dir: job.packageUri },
      metadata: { evolve_job_id: job.id, evolve_attempt: '1', evolve_reason: 'initial' },
      entrypoint_num_cpus: 0,
    });
    const done = await service.follow(job.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.attempts[0]?.endedAt).not.toBeNull();
    expect((await service.metrics(job.id)).map((p) => p.loss)).toEqual([1, 0.5]);
    expect((await repo.getLogs(job.id))[0]?.log).toContain('hello');
    expect(audit.kinds()).toEqual(['cluster.submit', 'cluster.job-finished']);
  });

  it('self-heals a failed job from its last checkpoint, then gives up at the limit, audits and notifies', async () => {
    const { ray, service, audit, notifier, events } = setup([
      { statuses: ['RUNNING', 'FAILED'], log: [m(1, 1), ck(5), m(6, 0.8), ck(10), m(11, 0.7)].join('\n') },
      { statuses: ['RUNNING', 'FAILED'], log: [JSON.stringify({ evolve_event: 'resumed', step: 10 }), m(11, 0.6), ck(15)].join('\n') },
    ]);
    const job = await service.submitTraining({ config: CK_CONFIG, maxRestarts: 1 });
    const done = await service.follow(job.id);
    expect(ray.submitted.map((s) => s.entrypoint.includes('--resume-from auto'))).toEqual([false, true]);
    expect(ray.submitted[1]?.metadata).toMatchObject({ evolve_reason: 'self-heal', evolve_attempt: '2' });
    expect(done).toMatchObject({ status: 'FAILED', restarts: 1, lastCheckpointStep: 15 });
    expect(audit.kinds()).toEqual(['cluster.submit', 'cluster.self-heal', 'cluster.self-heal-skipped', 'cluster.job-failed']);
    expect(audit.entries[1]?.detail).toBe('restart 1/1 from checkpoint step 10');
    expect(audit.entries[2]?.detail).toBe('restart limit reached (1/1)');
    // The self-heal resubmission is notified (warning, its new attempt), then the final failure (critical).
    expect(notifier.sent.map((n) => [n.event, n.severity, n.submissionId])).toEqual([
      ['self-heal', 'warning', done.attempts[1]?.submissionId],
      ['job-failed', 'critical', done.attempts[1]?.submissionId],
    ]);
    expect(notifier.sent[0]?.body).toContain('resubmitted from checkpoint step 10');
    expect(notifier.sent[1]).toMatchObject({
      severity: 'critical',
      source: 'job',
      jobId: job.id,
      body: expect.stringContaining('restart limit reached'),
    });
    expect((await service.metrics(job.id)).map((p) => [p.step, p.loss])).toEqual([
      [1, 1],
      [6, 0.8],
      [11, 0.6],
    ]);
    expect(events.some((e) => e.type === 'status' && e.job.attempts.length === 2)).toBe(true);
  });

  it('does not self-heal without a checkpoint_dir, or after a config error', async () => {
    const a = setup([{ statuses: ['FAILED'], log: 'boom' }]);
    const j1 = await a.service.submitTraining({ config: {} });
    expect((await a.service.follow(j1.id)).attempts).toHaveLength(1);
    expect(a.audit.entries.find((e) => e.kind === 'cluster.self-heal-skipped')?.detail).toContain('no checkpoint_dir');

    const b = setup([{ statuses: ['FAILED'], log: JSON.stringify({ evolve_event: 'error', kind: 'config', message: 'bad field' }) }]);
    const j2 = await b.service.submitTraining({ config: CK_CONFIG });
    expect((await b.service.follow(j2.id)).attempts).toHaveLength(1);
    expect(b.audit.entries.find((e) => e.kind === 'cluster.self-heal-skipped')?.detail).toContain('bad field');
  });

  it('stop goes to the current attempt and a stopped job is not healed', async () => {
    const { ray, service, audit } = setup([{ statuses: ['RUNNING'], log: '' }]);
    const job = await service.submitTraining({ config: CK_CONFIG });
    const following = service.follow(job.id);
    await new Promise((r) => setTimeout(r, 20));
    await service.stop(job.id);
    const done = await following;
    expect(done.status).toBe('STOPPED');
    expect(ray.calls).toEqual([`submit evolve-${job.id}-a1`, `stop evolve-${job.id}-a1`]);
    expect(audit.kinds()).toEqual(['cluster.submit', 'cluster.stop']);
    await expect(service.stop(job.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('resume needs a finished job with a checkpoint_dir and submits --resume-from auto', async () => {
    const { ray, service, audit } = setup([
      { statuses: ['RUNNING'], log: '' },
      { statuses: ['STOPPED'], log: '' },
      { statuses: ['SUCCEEDED'], log: '' },
    ]);
    const running = await service.submitTraining({ config: CK_CONFIG });
    await expect(service.resume(running.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const noCk = await service.submitTraining({ config: {} });
    await service.follow(noCk.id);
    await expect(service.resume(noCk.id)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('checkpoint_dir'),
    });
    await service.stop(running.id);
    await service.follow(running.id);
    const resumed = await service.resume(running.id);
    expect(resumed.attempts.map((a) => a.reason)).toEqual(['initial', 'manual-resume']);
    expect(ray.submitted.at(-1)?.entrypoint).toContain('--resume-from auto');
    expect(audit.kinds()).toContain('cluster.resume');
    await expect(service.get('job-nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('forget removes a finished job locally and on the cluster, refuses a running one', async () => {
    const { ray, service } = setup([
      { statuses: ['SUCCEEDED'], log: '' },
      { statuses: ['RUNNING'], log: '' },
    ]);
    const done = await service.submitTraining({ config: {} });
    await service.follow(done.id);
    await service.forget(done.id, { alsoOnCluster: true });
    expect(ray.calls).toContain(`delete evolve-${done.id}-a1`);
    await expect(service.get(done.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const running = await service.submitTraining({ config: {} });
    await expect(service.forget(running.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('follow stops with CANCELLED when its signal aborts', async () => {
    const { service } = setup([{ statuses: ['RUNNING'], log: '' }]);
    const job = await service.submitTraining({ config: {} });
    const ctl = new AbortController();
    const p = service.follow(job.id, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 20);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('follow is bounded by its timeout', async () => {
    const { service } = setup([{ statuses: ['RUNNING'], log: '' }]);
    const job = await service.submitTraining({ config: {} });
    await expect(service.follow(job.id, { timeoutMs: 30 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
