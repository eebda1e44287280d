// The app's cluster feature: profiles in the store (token in the keychain), one service set per profile, live job buffers.
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { JobRecord, MetricPoint, TrainingEvent } from '../../../common/cluster/job';
import { isTerminalStatus } from '../../../common/cluster/ray';
import type { ClusterProfile } from '../../../common/cluster/profile';
import type { ClusterConnectionInfo } from '../../../common/cluster/ray';
import type { BackendState } from '../../../common/contracts/app';
import type { StoreService } from '../store/store-service';
import { clusterTokenAccount, createClusterServices, parseProfile, type ClusterServices } from './index';
import { ClusterAuth } from './auth/cluster-auth';
import { guardedFetch, processEgressGuard } from '../../platform/egress';
import { tlsAgentOptions } from './http';
import type { JobServiceEvent } from './job-service';
import { DesktopNotifier, FanOutNotifier, type Notifier } from './notifier';
import { profileFromRow, profileToRow, type ProfileUpsert } from './profile-rows';
import { StoreAuditSink, StoreJobRepository } from './store-job-repository';

/** How many recent log lines a newly opened follow stream gets first. */
export const LIVE_LINES_KEPT = 500;
/** Training events kept per job for late subscribers (checkpoints are tracked by the job record instead). */
export const LIVE_EVENTS_KEPT = 100;

export interface AppClusterOptions {
  store: StoreService;
  trainingDir: string;
  log: (level: 'info' | 'warn' | 'error', msg: string, data?: unknown) => void;
  pollIntervalMs?: number;
  /** Shows a notification to the user (in-app notice; a native one in the desktop app). */
  notify?: (title: string, body: string) => void;
  /** Slack/e-mail (the notification center): gets what the desktop gets, plus self-heal actions. */
  notifier?: Notifier;
}

interface LiveJob {
  lines: string[];
  metrics: Map<number, MetricPoint>;
  events: TrainingEvent[];
}

export interface FollowBatch {
  job: JobRecord | null;
  lines: string[];
  metrics: MetricPoint[];
  events: TrainingEvent[];
}

export class AppCluster {
  private readonly cache = new Map<string, ClusterServices>();
  private readonly live = new Map<string, LiveJob>();
  private readonly listeners = new Set<(e: JobServiceEvent) => void>();
  private lastTest: { profile: string; ok: boolean; detail: string } | null = null;
  readonly repo: StoreJobRepository;
  private readonly audit: StoreAuditSink;

  /** OIDC sign-in and token state of every profile (sessions only in the keychain). */
  readonly auth: ClusterAuth;

  constructor(private readonly o: AppClusterOptions) {
    this.repo = new StoreJobRepository(o.store);
    this.audit = new StoreAuditSink(o.store, (m) => o.log('warn', m));
    this.auth = new ClusterAuth({
      secrets: {
        get: async (a) => (await o.store.getSecret(a, 'cluster sign-in')) ?? undefined,
        set: (a, v) => o.store.setSecret(a, v),
        delete: async (a) => void (await o.store.deleteSecret(a)),
      },
      audit: async (data) => {
        if (o.store.ready) await o.store.audit.record({ kind: 'cluster.auth', data });
      },
      // The IdP is reached through the egress guard, with the profile's CA (self-signed clusters often sign both).
      fetchFor: (p) => guardedFetch(processEgressGuard(), 'cluster', tlsAgentOptions(p.tls)),
      bearerAccount: clusterTokenAccount,
      log: (l, m) => o.log(l, m),
    });
  }

  async profiles(): Promise<ClusterProfile[]> {
    this.o.store.assertReady();
    const rows = await this.o.store.client.call('cluster.list', {});
    return rows.flatMap((r) => {
      const p = profileFromRow(r);
      return p ? [p] : [];
    });
  }

  async profile(id: string): Promise<ClusterProfile> {
    const p = (await this.profiles()).find((x) => x.id === id);
    if (!p) throw new EvolveError('NOT_FOUND', `No cluster profile ${id}`);
    return p;
  }

  /** `token`: a string sets it in the keychain, null removes it, undefined keeps what is there. */
  async upsertProfile(input: ProfileUpsert, token: string | null | undefined): Promise<ClusterProfile> {
    this.o.store.assertReady();
    const account = clusterTokenAccount(input.id);
    if (typeof token === 'string') await this.o.store.setSecret(account, token);
    else if (token === null) await this.o.store.deleteSecret(account);
    const hasToken = await this.o.store.hasSecret(account);
    const profile = parseProfile({ ...input, hasToken });
    await this.o.store.client.call('cluster.upsert', profileToRow(profile, false));
    // A session from another issuer or client is never used (session.ts checks both); drop it rather than keep it.
    if (profile.auth?.mode !== 'oidc') await this.auth.forget(profile.id);
    this.cache.delete(profile.id);
    return profile;
  }

  /** Hides the profile (its job history stays, as the point of history is to outlive the cluster) and drops the token. */
  async removeProfile(id: string): Promise<boolean> {
    const p = (await this.profiles()).find((x) => x.id === id);
    if (!p) return false;
    await this.o.store.client.call('cluster.upsert', profileToRow(p, true));
    await this.o.store.deleteSecret(clusterTokenAccount(id)).catch(() => false);
    await this.auth.forget(id);
    this.cache.delete(id);
    return true;
  }

  /** Connection test; its outcome is what the status bar's cluster backend shows (no polling of the cluster). */
  async testConnection(profileId: string, signal?: AbortSignal): Promise<ClusterConnectionInfo> {
    const s = await this.services(profileId);
    try {
      const info = await s.ray.connectionTest(signal);
      this.lastTest = {
        profile: s.profile.name,
        ok: true,
        detail: `${s.profile.name}: Ray ${info.rayVersion}, ${info.aliveNodes} nodes alive`,
      };
      return info;
    } catch (e) {
      this.lastTest = { profile: s.profile.name, ok: false, detail: `${s.profile.name}: ${toErrorInfo(e).message}` };
      throw e;
    }
  }

  async backendState(): Promise<BackendState> {
    if (!this.o.store.ready) return { state: 'pending', detail: 'Unlock the store to see cluster profiles' };
    const n = (await this.profiles()).length;
    if (n === 0) return { state: 'pending', detail: 'No cluster profile configured' };
    if (!this.lastTest) return { state: 'pending', detail: `${n} profile${n === 1 ? '' : 's'}, connection not tested yet` };
    return { state: this.lastTest.ok ? 'ready' : 'degraded', detail: this.lastTest.detail };
  }

  async services(profileId: string): Promise<ClusterServices> {
    const cached = this.cache.get(profileId);
    if (cached) return cached;
    const profile = await this.profile(profileId);
    const s = createClusterServices(profile, {
      getSecret: async (account) => (await this.o.store.getSecret(account, `cluster ${profile.name}`)) ?? undefined,
      repo: this.repo,
      audit: this.audit,
      notifier: this.withRemote(
        new DesktopNotifier((title, body) => {
          this.o.log('warn', `${title}: ${body}`);
          this.o.notify?.(title, body);
        }),
      ),
      trainingDir: this.o.trainingDir,
      log: (l, m) => this.o.log(l, m),
      auth: this.auth,
    });
    s.jobs.onEvent((e) => this.onJobEvent(e));
    this.cache.set(profileId, s);
    return s;
  }

  private withRemote(desktop: Notifier): Notifier {
    return this.o.notifier ? new FanOutNotifier([desktop, this.o.notifier]) : desktop;
  }

  /** A job from the local history; needs no profile, so history outlives a removed profile or a gone cluster. */
  async historyJob(jobId: string): Promise<JobRecord> {
    this.o.store.assertReady();
    const job = await this.repo.get(jobId);
    if (!job) throw new EvolveError('NOT_FOUND', `No job ${jobId} in the history`);
    return job;
  }

  async jobServicesFor(jobId: string): Promise<{ s: ClusterServices; job: JobRecord }> {
    const job = await this.historyJob(jobId);
    return { s: await this.services(job.profileId), job };
  }

  private onJobEvent(e: JobServiceEvent): void {
    const jobId = e.type === 'status' ? e.job.id : e.jobId;
    let l = this.live.get(jobId);
    if (!l) this.live.set(jobId, (l = { lines: [], metrics: new Map(), events: [] }));
    if (e.type === 'lines') {
      l.lines.push(...e.lines);
      if (l.lines.length > LIVE_LINES_KEPT) l.lines.splice(0, l.lines.length - LIVE_LINES_KEPT);
    } else if (e.type === 'metric') l.metrics.set(e.point.step, e.point);
    else if (e.type === 'training-event' && e.event.name !== 'checkpoint') {
      l.events.push(e.event);
      if (l.events.length > LIVE_EVENTS_KEPT) l.events.splice(0, l.events.length - LIVE_EVENTS_KEPT);
    }
    for (const fn of this.listeners) fn(e);
  }

  /** Every job event of every profile (the diagnosis service watches for failed attempts); returns the unsubscribe. */
  watchJobs(listener: (e: JobServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Follows a job in the background until it is final (self-healing included); errors are logged, not thrown. */
  followInBackground(s: ClusterServices, jobId: string): void {
    s.jobs.follow(jobId).catch((e: unknown) => this.o.log('warn', `following job ${jobId} stopped: ${toErrorInfo(e).message}`));
  }

  /**
   * What a newly opened follow stream starts from (stored + live metrics, recent lines), and a subscription to
   * everything after it — taken in the same tick so no event falls between them.
   */
  async subscribe(jobId: string, onEvent: (e: JobServiceEvent) => void): Promise<{ snapshot: FollowBatch; unsubscribe: () => void }> {
    const job = await this.historyJob(jobId);
    const [stored, logs] = await Promise.all([this.repo.getMetrics(jobId), this.repo.getLogs(jobId)]);
    const byStep = new Map(stored.map((p) => [p.step, p]));
    const l = this.live.get(jobId);
    for (const [step, p] of l?.metrics ?? []) byStep.set(step, p);
    const lines = l?.lines.length ? [...l.lines] : (logs.at(-1)?.log ?? '').split('\n').slice(-LIVE_LINES_KEPT);
    const listener = (e: JobServiceEvent) => {
      if ((e.type === 'status' ? e.job.id : e.jobId) === jobId) onEvent(e);
    };
    this.listeners.add(listener);
    return {
      snapshot: { job, lines, metrics: [...byStep.values()].sort((a, b) => a.step - b.step), events: [...(l?.events ?? [])] },
      unsubscribe: () => this.listeners.delete(listener),
    };
  }

  /** Waits until the job is final; a stream closing does not stop the background follower. */
  async waitFinal(jobId: string, signal: AbortSignal): Promise<JobRecord> {
    const job = await this.historyJob(jobId);
    const last = job.attempts.at(-1);
    if (!last || isTerminalStatus(last.status)) return job;
    const s = await this.services(job.profileId);
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(new EvolveError('CANCELLED', 'Cancelled'));
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
    });
    return Promise.race([s.jobs.follow(jobId), aborted]);
  }
}
