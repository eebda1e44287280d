// The app's cluster wiring on the real encrypted store: profiles (token only in the keychain), job history with
// per-attempt logs and metrics, the audit mapping, and the wizard's TrainingConfig builder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord, MetricPoint } from '../../../common/cluster/job';
import { TrainingConfigSchema } from '../../../common/cluster/training-config';
import { clusterTokenAccount } from '../../../main/services/cluster';
import { toAuditEvent } from '../../../main/services/cluster/store-job-repository';
import { buildSubmit, WIZARD_DEFAULTS } from '../../../renderer/features/cluster/wizard-config';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices;
beforeAll(async () => {
  t = await startTempServices();
});
afterAll(() => t.cleanup());

const point = (step: number, loss: number): MetricPoint => ({ step, loss, lr: 0.001, samplesPerS: 100, epoch: 0, ts: step, extra: {} });

function record(id: string, profileId: string): JobRecord {
  return {
    id,
    profileId,
    name: 'run',
    config: TrainingConfigSchema.parse({ max_steps: 4, checkpoint_dir: '/tmp/ck', checkpoint_every: 2 }),
    launch: { numNodes: 2, nprocPerNode: 1, cpusPerNode: 1, gpusPerNode: 0, placementTimeoutS: 120 },
    packageUri: 'gcs://_ray_pkg_0123456789abcdef.zip',
    entrypoint: 'python ray_launch.py',
    status: 'PENDING',
    attempts: [
      {
        submissionId: `evolve-${id}-a1`,
        status: 'FAILED',
        message: 'node died',
        resumed: false,
        reason: 'initial',
        submittedAt: 1,
        endedAt: 2,
      },
      {
        submissionId: `evolve-${id}-a2`,
        status: 'SUCCEEDED',
        message: null,
        resumed: true,
        reason: 'self-heal',
        submittedAt: 3,
        endedAt: 4,
      },
    ],
    restarts: 1,
    maxRestarts: 2,
    lastCheckpointStep: 2,
    createdAt: 1000,
    updatedAt: 1000,
  };
}

describe('cluster profiles in the store', () => {
  it('keeps the token in the keychain only, lists, updates and removes profiles', async () => {
    const c = t.services.cluster;
    const p = await c.upsertProfile(
      { id: 'lab', name: 'Lab', dashboardUrl: 'http://127.0.0.1:8265/', prometheusUrl: 'http://127.0.0.1:9090' },
      'tok-123',
    );
    expect(p).toMatchObject({ id: 'lab', dashboardUrl: 'http://127.0.0.1:8265', hasToken: true, prometheusUrl: 'http://127.0.0.1:9090' });
    expect(await t.services.store.getSecret(clusterTokenAccount('lab'), 'test')).toBe('tok-123');
    const rows = await t.services.store.client.call('cluster.list', {});
    expect(JSON.stringify(rows)).not.toContain('tok-123');
    // Absent token keeps it; null removes it.
    expect((await c.upsertProfile({ id: 'lab', name: 'Lab 2', dashboardUrl: 'http://127.0.0.1:8265' }, undefined)).hasToken).toBe(true);
    expect((await c.upsertProfile({ id: 'lab', name: 'Lab 2', dashboardUrl: 'http://127.0.0.1:8265' }, null)).hasToken).toBe(false);
    expect((await c.profiles()).map((x) => x.name)).toEqual(['Lab 2']);
    await expect(c.upsertProfile({ id: 'bad', name: 'Bad', dashboardUrl: 'ftp://x' }, undefined)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await c.removeProfile('lab')).toBe(true);
    expect(await c.profiles()).toEqual([]);
    expect(await c.removeProfile('lab')).toBe(false);
  });

  it('the contract rejects a token-looking option and an unknown profile with typed errors', async () => {
    const d = t.dispatcher;
    const r = await d.call('evolve:cluster.testConnection', { profileId: 'nope' }, ctx());
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const bad = await d.call(
      'evolve:cluster.upsertProfile',
      { profile: { id: 'x', name: 'x', dashboardUrl: 'http://a', token: 'oops' } },
      ctx(),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });
});

describe('job history in the store', () => {
  it('saves records, keeps per-attempt logs and metrics, merges attempts, and summarises', async () => {
    await t.services.cluster.upsertProfile({ id: 'hist', name: 'Hist', dashboardUrl: 'http://127.0.0.1:1' }, undefined);
    const repo = t.services.cluster.repo;
    const r = record('job-abc', 'hist');
    await repo.save(r);
    await repo.putAttemptOutput(r.id, 'evolve-job-abc-a1', { log: 'first\n', metrics: [point(1, 2), point(2, 1.5), point(3, 9)] });
    await repo.putAttemptOutput(r.id, 'evolve-job-abc-a2', { log: 'second\n', metrics: [point(3, 1.2), point(4, 1.0)] });
    // A re-stored attempt replaces its earlier log.
    await repo.putAttemptOutput(r.id, 'evolve-job-abc-a1', { log: 'first, final\n', metrics: [point(1, 2), point(2, 1.5), point(3, 9)] });
    await repo.save({ ...r, status: 'SUCCEEDED' });
    expect((await repo.get(r.id))?.status).toBe('SUCCEEDED');
    expect((await repo.getMetrics(r.id)).map((m) => [m.step, m.loss])).toEqual([
      [1, 2],
      [2, 1.5],
      [3, 1.2],
      [4, 1.0],
    ]);
    const logs = await repo.getLogs(r.id);
    expect(logs.map((l) => l.log)).toEqual(['first, final\n', 'second\n']);
    const sums = await repo.summaries('hist');
    expect(sums).toHaveLength(1);
    expect(sums[0]).toMatchObject({ id: 'job-abc', lastStep: 4, lastLoss: 1.0 });
    const viaApi = await t.dispatcher.call('evolve:cluster.jobs', {}, ctx());
    expect(viaApi).toMatchObject({ ok: true, value: [{ id: 'job-abc', status: 'SUCCEEDED', lastStep: 4 }] });
    const job = await t.dispatcher.call('evolve:cluster.job', { jobId: 'job-abc' }, ctx());
    expect(job.ok && (job.value as { metrics: unknown[] }).metrics).toHaveLength(4);
    // History outlives the profile: listed, opened and followed (a final job's stream is its stored snapshot).
    await t.services.cluster.removeProfile('hist');
    expect((await repo.list()).map((j) => j.id)).toContain('job-abc');
    const events: { job: { status: string } | null; metrics: unknown[]; lines: string[] }[] = [];
    const done = await t.dispatcher.stream('evolve:cluster.follow', { jobId: 'job-abc' }, ctx(), async (e) => {
      events.push(e as (typeof events)[number]);
    });
    expect(done).toMatchObject({ ok: true, value: { id: 'job-abc', status: 'SUCCEEDED' } });
    expect(events).toHaveLength(1);
    expect(events[0]?.job?.status).toBe('SUCCEEDED');
    expect(events[0]?.metrics).toHaveLength(4);
    expect(events[0]?.lines).toContain('second');
    const logs2 = await t.dispatcher.call('evolve:cluster.logs', { jobId: 'job-abc', maxChars: 7 }, ctx());
    expect(logs2).toMatchObject({ ok: true, value: [{ log: ' final\n' }, { log: 'second\n' }] });
  });

  it('an unreachable dashboard is a typed UNAVAILABLE error and shows in the backend state; no Prometheus is degraded', async () => {
    const c = t.services.cluster;
    await c.upsertProfile({ id: 'down', name: 'Down', dashboardUrl: 'http://127.0.0.1:9', requestTimeoutMs: 2000 }, undefined);
    const r = await t.dispatcher.call('evolve:cluster.testConnection', { profileId: 'down' }, ctx());
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await c.backendState()).toMatchObject({ state: 'degraded', detail: expect.stringContaining('Down:') });
    const o = await t.dispatcher.call('evolve:cluster.overview', { profileId: 'down', range: '1h' }, ctx());
    expect(o).toMatchObject({ ok: true, value: { status: 'degraded', source: 'prometheus' } });
    const a = await t.dispatcher.call('evolve:cluster.alerts', { profileId: 'down' }, ctx());
    expect(a).toMatchObject({ ok: true, value: { status: 'degraded', source: 'alertmanager' } });
    const sub = await t.dispatcher.call('evolve:cluster.submit', { profileId: 'down', config: { max_steps: 0 } }, ctx());
    expect(sub).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    await c.removeProfile('down');
  });

  it('maps cluster audit entries onto the store audit schema and records them', async () => {
    expect(toAuditEvent({ kind: 'cluster.submit', jobId: 'j', profileId: 'p', detail: 'python x' })).toEqual({
      kind: 'cluster.submit',
      data: { jobId: 'j', clusterProfileId: 'p', entrypoint: 'python x' },
    });
    const heal = toAuditEvent({ kind: 'cluster.self-heal', jobId: 'j', submissionId: 's', detail: 'restart 1/2', data: { n: 1 } });
    expect(heal).toMatchObject({
      kind: 'cluster.self-heal',
      data: { jobId: 'j', submissionId: 's', detail: 'restart 1/2', data: { n: 1 } },
    });
    await t.services.store.audit.record(heal);
    const rows = await t.dispatcher.call('evolve:audit.list', { kinds: ['cluster.self-heal'], limit: 5 }, ctx());
    expect(JSON.stringify(rows)).toContain('restart 1/2');
  });
});

describe('training wizard → TrainingConfig', () => {
  it('the defaults build a valid config with checkpoints in a fresh folder and self-healing on', () => {
    const s = buildSubmit(WIZARD_DEFAULTS, 36 ** 3);
    expect(TrainingConfigSchema.safeParse(s.config).success).toBe(true);
    expect(s.config).toMatchObject({
      strategy: 'ddp',
      checkpoint_dir: '/tmp/evolve-checkpoints/ddp-regression-1000',
      checkpoint_every: 10,
    });
    expect(s.launch).toEqual({ numNodes: 2, cpusPerNode: 1 });
    expect(s.maxRestarts).toBe(2);
  });

  it('turning checkpoints off leaves no checkpoint_dir; a pipeline batch the microbatches cannot split is caught', () => {
    expect(buildSubmit({ ...WIZARD_DEFAULTS, checkpointEvery: 0 }).config.checkpoint_dir).toBeUndefined();
    const p = buildSubmit({ ...WIZARD_DEFAULTS, strategy: 'pipeline', batchSize: 30 });
    expect(TrainingConfigSchema.safeParse(p.config).success).toBe(true);
    expect(TrainingConfigSchema.safeParse({ ...p.config, pipeline_microbatches: 4 }).success).toBe(false);
  });
});
