// Cluster state: profiles and connection test, job submit/history, the followed job (live batches per frame), and ops.
import type { z } from 'zod';
import type { JobRecord, JobSummary, MetricPoint, TrainingEvent } from '../../../common/cluster/job';
import type { TimeRange } from '../../../common/cluster/monitoring';
import type { ClusterProfile } from '../../../common/cluster/profile';
import type {
  AlertsResultSchema,
  ConnectionInfoSchema,
  FollowBatch,
  NodeOverviewSchema,
  ProfileUpsertSchema,
} from '../../../common/contracts/cluster';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import { FrameBatcher } from '../../lib/frame-batcher';
import type { UiError } from '../../lib/errors';

export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;
export type NodeOverview = z.infer<typeof NodeOverviewSchema>;
export type AlertsResult = z.infer<typeof AlertsResultSchema>;
export type ProfileUpsert = z.input<typeof ProfileUpsertSchema>;
export type ClusterTab = 'profiles' | 'train' | 'jobs' | 'ops';

/** The log tail the page keeps for the open job. */
export const LOG_LINES_SHOWN = 400;
/** Training events shown (checkpoints are summarised by the job's last checkpoint step instead). */
export const EVENTS_SHOWN = 30;

export interface FollowedJob {
  job: JobRecord;
  metrics: MetricPoint[];
  lines: string[];
  /** Launch, resumed, done, failed… — the trainer's own account, newest last. */
  events: TrainingEvent[];
  following: boolean;
}

export interface SubmitInput {
  name?: string;
  config: Record<string, unknown>;
  launch: Record<string, unknown>;
  maxRestarts: number;
}

export interface ClusterSlice {
  cluster: {
    tab: ClusterTab;
    profiles: ClusterProfile[];
    profileId: string | null;
    connection: { profileId: string; info: ConnectionInfo | null; error: UiError | null } | null;
    testing: boolean;
    jobs: JobSummary[];
    current: FollowedJob | null;
    submitting: boolean;
    range: TimeRange;
    overview: NodeOverview | null;
    alerts: AlertsResult | null;
    busy: string | null;
    error: UiError | null;
  };
  setClusterTab(tab: ClusterTab): void;
  loadCluster(): Promise<void>;
  selectClusterProfile(id: string): void;
  saveClusterProfile(profile: ProfileUpsert, token?: string | null): Promise<boolean>;
  removeClusterProfile(id: string): Promise<void>;
  testClusterConnection(): Promise<void>;
  submitTrainingJob(input: SubmitInput): Promise<string | null>;
  loadClusterJobs(): Promise<void>;
  openClusterJob(jobId: string): Promise<void>;
  stopClusterJob(): Promise<void>;
  resumeClusterJob(): Promise<void>;
  loadClusterOps(range?: TimeRange): Promise<void>;
  acknowledgeAlert(labels: Record<string, string>): Promise<void>;
}

function mergeMetrics(a: MetricPoint[], b: MetricPoint[]): MetricPoint[] {
  if (b.length === 0) return a;
  const byStep = new Map(a.map((p) => [p.step, p]));
  for (const p of b) byStep.set(p.step, p);
  return [...byStep.values()].sort((x, y) => x.step - y.step);
}

export const createClusterSlice: SliceCreator<ClusterSlice> = (set, get) => {
  const patch = (p: Partial<ClusterSlice['cluster']>) => set({ cluster: { ...get().cluster, ...p } });
  let cancelFollow: (() => void) | null = null;

  const applyBatches = (jobId: string, batches: FollowBatch[]) => {
    const cur = get().cluster.current;
    if (!cur || cur.job.id !== jobId) return;
    let { job, metrics, lines, events } = cur;
    for (const b of batches) {
      if (b.job) job = b.job;
      metrics = mergeMetrics(metrics, b.metrics);
      if (b.lines.length) lines = [...lines, ...b.lines].slice(-LOG_LINES_SHOWN);
      const shown = b.events.filter((e) => e.name !== 'checkpoint');
      if (shown.length) events = [...events, ...shown].slice(-EVENTS_SHOWN);
    }
    patch({ current: { ...cur, job, metrics, lines, events } });
  };

  const follow = (jobId: string) => {
    cancelFollow?.();
    // The stream's first batch carries the recent lines again, so the tail starts over instead of doubling them.
    const open = get().cluster.current;
    if (open?.job.id === jobId) patch({ current: { ...open, lines: [], events: [] } });
    const batcher = new FrameBatcher<FollowBatch>((items) => applyBatches(jobId, items));
    const handle = getApi().cluster.follow({ jobId }, (b) => batcher.push(b));
    cancelFollow = handle.cancel;
    void handle.result.then(async (r) => {
      batcher.drain();
      // The stored series is authoritative (a live tail can miss lines); merge it in once the job is final.
      const stored = r.ok ? await getApi().cluster.job({ jobId }) : null;
      const cur = get().cluster.current;
      if (!cur || cur.job.id !== jobId) return;
      const metrics = stored?.ok ? mergeMetrics(cur.metrics, stored.value.metrics) : cur.metrics;
      if (r.ok) patch({ current: { ...cur, job: r.value, metrics, following: false } });
      else patch({ current: { ...cur, following: false }, ...(r.error.code === 'CANCELLED' ? {} : { error: r.error }) });
      void get().loadClusterJobs();
    });
  };

  return {
    cluster: {
      tab: 'profiles',
      profiles: [],
      profileId: null,
      connection: null,
      testing: false,
      jobs: [],
      current: null,
      submitting: false,
      range: '15m',
      overview: null,
      alerts: null,
      busy: null,
      error: null,
    },
    setClusterTab(tab) {
      patch({ tab });
    },
    async loadCluster() {
      const r = await getApi().cluster.profiles({});
      if (!r.ok) return patch({ error: r.error });
      const keep = r.value.some((p) => p.id === get().cluster.profileId);
      patch({ profiles: r.value, profileId: keep ? get().cluster.profileId : (r.value[0]?.id ?? null), error: null });
      await get().loadClusterJobs();
    },
    selectClusterProfile(id) {
      patch({ profileId: id, connection: null, overview: null, alerts: null });
    },
    async saveClusterProfile(profile, token) {
      patch({ busy: 'Saving profile…' });
      const r = await getApi().cluster.upsertProfile({ profile, ...(token !== undefined ? { token } : {}) });
      patch({ busy: null });
      if (!r.ok) {
        patch({ error: r.error });
        return false;
      }
      const others = get().cluster.profiles.filter((p) => p.id !== r.value.id);
      patch({ profiles: [...others, r.value], profileId: r.value.id, connection: null, error: null });
      return true;
    },
    async removeClusterProfile(id) {
      const r = await getApi().cluster.removeProfile({ id });
      if (!r.ok) return patch({ error: r.error });
      await get().loadCluster();
    },
    async testClusterConnection() {
      const profileId = get().cluster.profileId;
      if (!profileId) return;
      patch({ testing: true, connection: null });
      const r = await getApi().cluster.testConnection({ profileId });
      patch({ testing: false, connection: { profileId, info: r.ok ? r.value : null, error: r.ok ? null : r.error } });
    },
    async submitTrainingJob(input) {
      const profileId = get().cluster.profileId;
      if (!profileId) {
        patch({ error: { code: 'INVALID_ARGUMENT', message: 'Create and select a cluster profile first' } });
        return null;
      }
      patch({ submitting: true, error: null });
      const r = await getApi().cluster.submit({ profileId, ...input });
      patch({ submitting: false });
      if (!r.ok) {
        patch({ error: r.error });
        return null;
      }
      patch({ current: { job: r.value, metrics: [], lines: [], events: [], following: true }, tab: 'jobs' });
      follow(r.value.id);
      void get().loadClusterJobs();
      return r.value.id;
    },
    async loadClusterJobs() {
      const r = await getApi().cluster.jobs({});
      if (r.ok) patch({ jobs: r.value });
      else patch({ error: r.error });
    },
    async openClusterJob(jobId) {
      const r = await getApi().cluster.job({ jobId });
      if (!r.ok) return patch({ error: r.error });
      patch({ current: { job: r.value.job, metrics: r.value.metrics, lines: [], events: [], following: true }, tab: 'jobs', error: null });
      follow(jobId);
    },
    async stopClusterJob() {
      const cur = get().cluster.current;
      if (!cur) return;
      patch({ busy: 'Stopping…' });
      const r = await getApi().cluster.stop({ jobId: cur.job.id });
      patch({ busy: null, ...(r.ok ? {} : { error: r.error }) });
    },
    async resumeClusterJob() {
      const cur = get().cluster.current;
      if (!cur) return;
      patch({ busy: 'Resuming…' });
      const r = await getApi().cluster.resume({ jobId: cur.job.id });
      patch({ busy: null });
      if (!r.ok) return patch({ error: r.error });
      patch({ current: { ...cur, job: r.value, following: true } });
      follow(r.value.id);
    },
    async loadClusterOps(range) {
      const profileId = get().cluster.profileId;
      if (!profileId) return;
      const rng = range ?? get().cluster.range;
      patch({ range: rng });
      const api = getApi();
      const [o, a] = await Promise.all([api.cluster.overview({ profileId, range: rng }), api.cluster.alerts({ profileId })]);
      patch({
        ...(o.ok ? { overview: o.value } : {}),
        ...(a.ok ? { alerts: a.value } : {}),
        error: !o.ok ? o.error : !a.ok ? a.error : get().cluster.error,
      });
    },
    async acknowledgeAlert(labels) {
      const profileId = get().cluster.profileId;
      if (!profileId) return;
      const r = await getApi().cluster.acknowledge({ profileId, labels, minutes: 120 });
      if (!r.ok) return patch({ error: r.error });
      await get().loadClusterOps();
    },
  };
};
