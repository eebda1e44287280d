// Roles per cluster profile through the real IPC dispatcher on the real encrypted store (DB worker, SQLCipher): every
// guarded action × role. A denied call is FORBIDDEN naming the action and the needed role, never reaches its service
// (a pass-through spy), changes nothing, and leaves a `cluster.role-denied` audit row; an allowed call reaches the
// service. Role changes: lowering is free, raising needs the real app lock's re-authentication (refusals audited).
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { JobRecord } from '../../../common/cluster/job';
import { CLUSTER_ACTIONS, CLUSTER_ROLES, roleAllows, type ClusterAction, type ClusterRole } from '../../../common/cluster/roles';
import { LaunchOptionsSchema, TrainingConfigSchema } from '../../../common/cluster/training-config';
import type { Result } from '../../../common/result';
import type { AuditRow } from '../../../common/store/audit';
import { appLockReauth } from '../../../main/services/cluster/roles/app-lock-port';
import { AppLockService } from '../../../main/services/security/app-lock/app-lock-service';
import { totpCodeAt } from '../../../main/services/security/app-lock/second-factor';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices;
const PASS = 'correct horse battery';
beforeAll(async () => {
  t = await startTempServices();
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.cleanup();
});

const call = async (channel: string, input: unknown): Promise<Result<unknown>> => t.dispatcher.call(`evolve:${channel}`, input, ctx());
async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await call(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
const auditRows = (kind: string): Promise<AuditRow[]> => t.services.store.client.call('audit.list', { kinds: [kind], limit: 1000 });

function job(id: string, profileId: string): JobRecord {
  return {
    id,
    profileId,
    name: id,
    config: TrainingConfigSchema.parse({}),
    launch: LaunchOptionsSchema.parse({}),
    packageUri: 'gcs://_ray_pkg_0123456789abcdef.zip',
    entrypoint: 'python ray_launch.py',
    status: 'SUCCEEDED',
    attempts: [
      { submissionId: `${id}-s1`, status: 'SUCCEEDED', message: null, resumed: false, reason: 'initial', submittedAt: 1, endedAt: 2 },
    ],
    restarts: 0,
    maxRestarts: 0,
    lastCheckpointStep: null,
    createdAt: 1,
    updatedAt: 2,
  };
}

/** A fresh profile (created through IPC, so its creator is admin), lowered to `role`, with one finished job. */
async function setup(profileId: string, role: ClusterRole): Promise<string> {
  await ok('cluster.upsertProfile', {
    profile: { id: profileId, name: profileId, dashboardUrl: 'http://127.0.0.1:9', requestTimeoutMs: 500 },
  });
  if (role !== 'admin') await ok('clusterRoles.set', { profileId, role });
  const jobId = `${profileId}-job`;
  await t.services.cluster.repo.save(job(jobId, profileId));
  return jobId;
}

interface Case {
  action: ClusterAction;
  channel: string;
  input: (profileId: string, jobId: string) => unknown;
  /** The service entry the handler calls once the guard lets it through. */
  reached: () => MockInstance;
  /** What a denied call must have left as it was. */
  unchanged?: (profileId: string, jobId: string) => Promise<void>;
}

const profileName = async (id: string) => (await t.services.cluster.profiles()).find((p) => p.id === id)?.name;
const CASES: Case[] = [
  {
    action: 'job.submit',
    channel: 'cluster.submit',
    input: (profileId) => ({ profileId, config: { max_steps: 2 }, launch: { numNodes: 1 } }),
    reached: () => vi.spyOn(t.services.cluster, 'services'),
  },
  {
    action: 'job.stop',
    channel: 'cluster.stop',
    input: (_, jobId) => ({ jobId }),
    reached: () => vi.spyOn(t.services.cluster, 'jobServicesFor'),
  },
  {
    action: 'job.resume',
    channel: 'cluster.resume',
    input: (_, jobId) => ({ jobId }),
    reached: () => vi.spyOn(t.services.cluster, 'jobServicesFor'),
  },
  {
    action: 'job.delete-history',
    channel: 'jobLogs.deleteJob',
    input: (_, jobId) => ({ jobId }),
    reached: () => vi.spyOn(t.services.jobLogs, 'deleteJob'),
    unchanged: async (_, jobId) => expect(await t.services.cluster.repo.get(jobId)).not.toBeNull(),
  },
  {
    action: 'diagnosis.apply-fix',
    channel: 'diagnosis.applyFix',
    input: (_, jobId) => ({ jobId, fix: { kind: 'resume', label: 'Resume' } }),
    reached: () => vi.spyOn(t.services.diagnosis, 'applyFix'),
  },
  {
    action: 'alert.acknowledge',
    channel: 'cluster.acknowledge',
    input: (profileId) => ({ profileId, labels: { alertname: 'NodeDown' }, minutes: 30 }),
    reached: () => vi.spyOn(t.services.cluster, 'services'),
  },
  {
    action: 'alert.unacknowledge',
    channel: 'cluster.unacknowledge',
    input: (profileId) => ({ profileId, silenceId: 'silence-1' }),
    reached: () => vi.spyOn(t.services.cluster, 'services'),
  },
  {
    action: 'profile.update',
    channel: 'cluster.upsertProfile',
    input: (profileId) => ({ profile: { id: profileId, name: 'renamed', dashboardUrl: 'http://127.0.0.1:10' } }),
    reached: () => vi.spyOn(t.services.cluster, 'upsertProfile'),
    unchanged: async (profileId) => expect(await profileName(profileId)).toBe(profileId),
  },
  {
    action: 'profile.token',
    channel: 'cluster.upsertProfile',
    input: (profileId) => ({ profile: { id: profileId, name: profileId, dashboardUrl: 'http://127.0.0.1:9' }, token: 'tok-xyz' }),
    reached: () => vi.spyOn(t.services.cluster, 'upsertProfile'),
    unchanged: async (profileId) => expect((await t.services.cluster.profile(profileId)).hasToken).toBe(false),
  },
  {
    action: 'profile.remove',
    channel: 'cluster.removeProfile',
    input: (profileId) => ({ id: profileId }),
    reached: () => vi.spyOn(t.services.cluster, 'removeProfile'),
    unchanged: async (profileId) => expect(await profileName(profileId)).toBe(profileId),
  },
];

describe('every guarded action × role through the IPC dispatcher', () => {
  it('covers every action of the matrix except the all-profiles one (tested below)', () => {
    expect(new Set(CASES.map((c) => c.action))).toEqual(new Set(Object.keys(CLUSTER_ACTIONS).filter((a) => a !== 'history.set-retention')));
  });

  const table = CASES.flatMap((c) => CLUSTER_ROLES.map((role) => ({ ...c, role })));
  it.each(table)('$action as $role', async ({ action, channel, input, reached, unchanged, role }) => {
    const profileId = `p-${action.replace('.', '-')}-${role}`;
    const jobId = await setup(profileId, role);
    const spy = reached();
    spy.mockClear();
    const before = (await auditRows('cluster.role-denied')).length;
    const r = await call(channel, input(profileId, jobId));
    const needed = CLUSTER_ACTIONS[action];
    if (roleAllows(role, needed)) {
      // Past the guard: the service ran (it may then fail for its own reasons: there is no cluster at 127.0.0.1:9).
      if (!r.ok) expect(r.error.code).not.toBe('FORBIDDEN');
      expect(spy).toHaveBeenCalled();
      expect((await auditRows('cluster.role-denied')).length).toBe(before);
    } else {
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('FORBIDDEN');
      expect(r.error.message).toContain(`"${action}"`);
      expect(r.error.message).toContain(`needs the ${needed} role`);
      expect(spy).not.toHaveBeenCalled();
      await unchanged?.(profileId, jobId);
      const rows = await auditRows('cluster.role-denied');
      expect(rows.length).toBe(before + 1);
      expect(rows.at(-1)?.data).toMatchObject({ profileId, action, role, needed });
    }
    spy.mockRestore();
  });
});

describe('the history retention policy reaches every profile', () => {
  it('needs operator on each profile: refused while one profile is viewer', async () => {
    const spy = vi.spyOn(t.services.jobLogs, 'setRetention');
    // Every profile so far is admin, operator or viewer; a viewer one exists, so the policy is refused.
    const r = await call('jobLogs.setRetention', { keepDays: 0, keepNewest: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(spy).not.toHaveBeenCalled();
    expect((await auditRows('cluster.role-denied')).at(-1)?.data).toMatchObject({ action: 'history.set-retention', role: 'viewer' });
    // Take the viewer profiles' rows out of the picture by raising them is impossible without the lock, so instead
    // check the allowed side on a fresh set of services where every profile is operator or admin.
    spy.mockRestore();
  });

  it('runs when every profile is operator or admin', async () => {
    const t2 = await startTempServices();
    try {
      const d = (ch: string, input: unknown) => t2.dispatcher.call(`evolve:${ch}`, input, ctx());
      for (const id of ['a', 'b'])
        expect((await d('cluster.upsertProfile', { profile: { id, name: id, dashboardUrl: 'http://127.0.0.1:9' } })).ok).toBe(true);
      expect((await d('clusterRoles.set', { profileId: 'b', role: 'operator' })).ok).toBe(true);
      const spy = vi.spyOn(t2.services.jobLogs, 'setRetention');
      expect(await d('jobLogs.setRetention', { keepDays: 0, keepNewest: 0 })).toMatchObject({ ok: true });
      expect(spy).toHaveBeenCalledOnce();
      expect((await d('clusterRoles.set', { profileId: 'a', role: 'viewer' })).ok).toBe(true);
      expect(await d('jobLogs.setRetention', { keepDays: 1, keepNewest: 0 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(spy).toHaveBeenCalledOnce();
    } finally {
      await t2.cleanup();
    }
  }, 60_000);
});

describe('role changes', () => {
  it('a new profile is admin; reads need no role; an unknown profile is NOT_FOUND, not a denial', async () => {
    await setup('fresh', 'admin');
    const list = await ok<{ roles: { profileId: string; role: string }[]; raiseAvailable: boolean }>('clusterRoles.list', {});
    expect(list.roles).toContainEqual({ profileId: 'fresh', role: 'admin' });
    expect(list.raiseAvailable).toBe(false);
    await setup('reader', 'viewer');
    expect((await call('cluster.jobs', { profileId: 'reader' })).ok).toBe(true);
    expect((await call('cluster.job', { jobId: 'reader-job' })).ok).toBe(true);
    expect(await call('cluster.submit', { profileId: 'nobody', config: {} })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('cluster.removeProfile', { id: 'nobody' })).toMatchObject({ ok: true, value: { removed: false } });
  });

  it('lowering is free and audited; raising is refused while the app lock is off (audited, role unchanged)', async () => {
    await setup('lower', 'admin');
    expect(await ok('clusterRoles.set', { profileId: 'lower', role: 'operator' })).toEqual({ profileId: 'lower', role: 'operator' });
    expect((await auditRows('cluster.role-change')).at(-1)?.data).toEqual({
      profileId: 'lower',
      from: 'admin',
      to: 'operator',
      ok: true,
      reason: 'lowered',
    });
    const r = await call('clusterRoles.set', { profileId: 'lower', role: 'admin', proof: { passphrase: 'x', code: '123456' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!r.ok) expect(r.error.message).toMatch(/enable the app lock to raise roles/i);
    expect((await auditRows('cluster.role-change')).at(-1)?.data).toMatchObject({
      profileId: 'lower',
      to: 'admin',
      ok: false,
      reason: 'app-lock-off',
    });
    expect(await t.services.clusterRoles.roleOf('lower')).toBe('operator');
  });

  it('raising needs the app lock passphrase and TOTP code (real AppLockService); wrong or missing proof is UNAUTHENTICATED and audited', async () => {
    let clock = Date.now();
    const lock = new AppLockService({
      dataDir: t.services.paths.dataDir,
      store: t.services.store,
      log: () => {},
      argon2: { m: 256, t: 1, p: 1 },
      now: () => clock,
      idleCheckMs: 0,
    });
    t.services.clusterRoles.setReauthenticator(appLockReauth(lock));
    try {
      await setup('raise', 'viewer');
      // The port answers only once the lock is on.
      expect((await ok<{ raiseAvailable: boolean }>('clusterRoles.list', {})).raiseAvailable).toBe(false);
      await lock.enable({ passphrase: PASS, idleMinutes: 0 });
      const { secretBase32 } = await lock.totpBegin({ passphrase: PASS });
      await lock.totpConfirm({ code: totpCodeAt(secretBase32, clock) });
      expect((await ok<{ raiseAvailable: boolean }>('clusterRoles.list', {})).raiseAvailable).toBe(true);
      clock += 30_000;

      const tries = [
        { passphrase: 'not the passphrase', code: totpCodeAt(secretBase32, clock) },
        { passphrase: PASS, code: '' },
        { passphrase: PASS, code: totpCodeAt(secretBase32, clock - 10 * 60_000) },
      ];
      for (const proof of tries) {
        const r = await call('clusterRoles.set', { profileId: 'raise', role: 'admin', proof });
        expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      }
      expect(await call('clusterRoles.set', { profileId: 'raise', role: 'operator' })).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
      const changes = (await auditRows('cluster.role-change')).filter((row) => (row.data as { profileId: string }).profileId === 'raise');
      expect(changes.map((row) => row.data)).toEqual([
        { profileId: 'raise', from: 'admin', to: 'viewer', ok: true, reason: 'lowered' },
        ...tries.map(() => ({ profileId: 'raise', from: 'viewer', to: 'admin', ok: false, reason: 'wrong-proof' })),
        { profileId: 'raise', from: 'viewer', to: 'operator', ok: false, reason: 'wrong-proof' },
      ]);
      // The app lock audited the two proofs it checked (a missing code is refused before any check) as admin purpose.
      const adminChecks = async () =>
        (await auditRows('security.unlock'))
          .map((row) => row.data as { purpose: string; outcome: string })
          .filter((d) => d.purpose === 'admin');
      expect((await adminChecks()).map((d) => d.outcome)).toEqual(['failed', 'failed']);
      expect(await t.services.clusterRoles.roleOf('raise')).toBe('viewer');
      expect(await call('cluster.submit', { profileId: 'raise', config: {} })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

      // Failures below the lock's delay threshold cost no wait: the right proof now raises the role.
      clock += 30_000;
      const right = { passphrase: PASS, code: totpCodeAt(secretBase32, clock) };
      expect(await ok('clusterRoles.set', { profileId: 'raise', role: 'admin', proof: right })).toEqual({
        profileId: 'raise',
        role: 'admin',
      });
      expect((await auditRows('cluster.role-change')).at(-1)?.data).toMatchObject({
        profileId: 'raise',
        to: 'admin',
        ok: true,
        reason: 'reauthenticated',
      });
      expect(await t.services.clusterRoles.roleOf('raise')).toBe('admin');
      expect((await adminChecks()).map((d) => d.outcome)).toEqual(['failed', 'failed', 'ok']);
      // The audit chain holds every row written above.
      expect(await t.services.store.client.call('audit.verify', {})).toMatchObject({ ok: true });
    } finally {
      t.services.clusterRoles.setReauthenticator(() => null);
      lock.dispose();
    }
  });
});
