// Store-backed JobRepository and AuditSink: job history, per-attempt logs and metrics in the encrypted store.
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import { JobRecordSchema, MetricPointSchema, type JobRecord, type MetricPoint } from '../../../common/cluster/job';
import { mergeMetricSeries } from '../../../common/cluster/log-lines';
import type { AuditEvent } from '../../../common/store/audit';
import type { Json } from '../../../common/store/rows';
import type { StoreService } from '../store/store-service';
import type { AuditSink, ClusterAuditEntry } from './audit';
import { MAX_LOG_CHARS_PER_ATTEMPT, type JobRepository } from './job-repository';
import { SequencerByKey } from '../../../common/base/sequencer';

/** Keeps the stored metadata bounded: a long run still charts well from its latest points. */
export const MAX_METRIC_POINTS_PER_ATTEMPT = 5000;
const HISTORY_LIMIT = 10_000;
/** Each stored log chunk starts with this line naming its attempt; a later chunk for one attempt replaces it. */
const ATTEMPT_HEADER = '\u0000evolve-attempt:';

const MetadataSchema = z.object({
  record: JobRecordSchema,
  metrics: z.array(z.object({ submissionId: z.string(), points: z.array(MetricPointSchema) })).default([]),
});
type Metadata = z.infer<typeof MetadataSchema>;

const capLog = (log: string): string =>
  log.length <= MAX_LOG_CHARS_PER_ATTEMPT
    ? log
    : `[… ${log.length - MAX_LOG_CHARS_PER_ATTEMPT} earlier characters dropped …]\n${log.slice(-MAX_LOG_CHARS_PER_ATTEMPT)}`;

export class StoreJobRepository implements JobRepository {
  // Writes to one job are serialised so a status update and a metrics update never race.
  private readonly locks = new SequencerByKey<string>();

  constructor(private readonly store: Pick<StoreService, 'client' | 'assertReady'>) {}

  private locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.queue(id, fn);
  }

  private async readMeta(id: string): Promise<Metadata | undefined> {
    this.store.assertReady();
    const rows = await this.store.client.call('job.list', { limit: HISTORY_LIMIT });
    const row = rows.find((r) => r.id === id);
    if (!row) return undefined;
    const m = MetadataSchema.safeParse(row.metadata);
    return m.success ? m.data : undefined;
  }

  private async write(meta: Metadata): Promise<void> {
    const r = meta.record;
    const ended = r.attempts.at(-1)?.endedAt ?? null;
    await this.store.client.call('job.upsert', {
      id: r.id,
      clusterProfileId: r.profileId,
      entrypoint: r.entrypoint.slice(0, 10_000),
      status: r.status,
      submittedAt: Math.floor(r.createdAt),
      endedAt: ended === null ? null : Math.floor(ended),
      metadata: JSON.parse(JSON.stringify(meta)) as Json,
    });
  }

  save(record: JobRecord): Promise<void> {
    const parsed = JobRecordSchema.safeParse(record);
    if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `Invalid job record: ${parsed.error.issues[0]?.message ?? ''}`);
    return this.locked(record.id, async () => {
      const cur = await this.readMeta(record.id);
      await this.write({ record: parsed.data, metrics: cur?.metrics ?? [] });
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    return (await this.readMeta(id))?.record;
  }

  async list(filter: { profileId?: string } = {}): Promise<JobRecord[]> {
    this.store.assertReady();
    const rows = await this.store.client.call('job.list', {
      limit: HISTORY_LIMIT,
      ...(filter.profileId ? { clusterProfileId: filter.profileId } : {}),
    });
    const out: JobRecord[] = [];
    for (const row of rows) {
      const m = MetadataSchema.safeParse(row.metadata);
      if (m.success) out.push(m.data.record);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** History rows with the last step and loss, read in one query (the job list shows them). */
  async summaries(profileId?: string): Promise<(JobRecord & { lastStep: number | null; lastLoss: number | null })[]> {
    this.store.assertReady();
    const rows = await this.store.client.call('job.list', { limit: HISTORY_LIMIT, ...(profileId ? { clusterProfileId: profileId } : {}) });
    const out: (JobRecord & { lastStep: number | null; lastLoss: number | null })[] = [];
    for (const row of rows) {
      const m = MetadataSchema.safeParse(row.metadata);
      if (!m.success) continue;
      const last = mergeMetricSeries(m.data.metrics.map((x) => x.points)).at(-1);
      out.push({ ...m.data.record, lastStep: last?.step ?? null, lastLoss: last?.loss ?? null });
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  async delete(): Promise<void> {
    // The store has no job delete; history is meant to outlive the cluster.
    throw new EvolveError('INVALID_ARGUMENT', 'Job history is kept; deleting jobs is not supported');
  }

  putAttemptOutput(jobId: string, submissionId: string, out: { log: string; metrics: MetricPoint[] }): Promise<void> {
    return this.locked(jobId, async () => {
      const cur = await this.readMeta(jobId);
      if (!cur) throw new EvolveError('NOT_FOUND', `No job ${jobId} in the history`);
      const points = out.metrics.slice(-MAX_METRIC_POINTS_PER_ATTEMPT);
      const metrics = [...cur.metrics.filter((m) => m.submissionId !== submissionId), { submissionId, points }];
      await this.write({ record: cur.record, metrics });
      await this.store.client.call('job.appendLog', { jobId, text: `${ATTEMPT_HEADER}${submissionId}\n${capLog(out.log)}` });
    });
  }

  async getLogs(jobId: string): Promise<{ submissionId: string; log: string }[]> {
    this.store.assertReady();
    const chunks = await this.store.client.call('job.logs', { jobId, afterSeq: 0, limit: HISTORY_LIMIT });
    const byAttempt = new Map<string, string>();
    for (const c of chunks) {
      if (!c.text.startsWith(ATTEMPT_HEADER)) continue;
      const nl = c.text.indexOf('\n');
      const id = c.text.slice(ATTEMPT_HEADER.length, nl < 0 ? undefined : nl);
      byAttempt.set(id, nl < 0 ? '' : c.text.slice(nl + 1)); // a re-stored attempt's later chunk wins
    }
    // Oldest attempt first, in the record's order (the order chunks were written in is not the attempts' order).
    const order = new Map((await this.get(jobId))?.attempts.map((a, i) => [a.submissionId, i]));
    const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
    return [...byAttempt].sort(([a], [b]) => rank(a) - rank(b)).map(([submissionId, log]) => ({ submissionId, log }));
  }

  async getMetrics(jobId: string): Promise<MetricPoint[]> {
    const cur = await this.readMeta(jobId);
    if (!cur) return [];
    const order = new Map(cur.record.attempts.map((a, i) => [a.submissionId, i]));
    const sorted = [...cur.metrics].sort((a, b) => (order.get(a.submissionId) ?? 0) - (order.get(b.submissionId) ?? 0));
    return mergeMetricSeries(sorted.map((m) => m.points));
  }
}

/** Maps the cluster services' audit entries onto the store's hash-chained audit log. */
export class StoreAuditSink implements AuditSink {
  constructor(
    private readonly store: Pick<StoreService, 'ready' | 'audit'>,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  async append(e: ClusterAuditEntry): Promise<void> {
    if (!this.store.ready) {
      this.log(`audit skipped (store locked): ${e.kind}`);
      return;
    }
    await this.store.audit.record(toAuditEvent(e));
  }
}

export function toAuditEvent(e: ClusterAuditEntry): AuditEvent {
  const short = (s: string | undefined) => (s ? s.slice(0, 500) : undefined);
  if (e.kind === 'cluster.submit')
    return {
      kind: 'cluster.submit',
      data: { jobId: short(e.jobId) ?? 'unknown', clusterProfileId: short(e.profileId), entrypoint: e.detail?.slice(0, 10_000) },
    };
  if (e.kind === 'cluster.stop')
    return { kind: 'cluster.stop', data: { jobId: short(e.jobId) ?? 'unknown', clusterProfileId: short(e.profileId) } };
  const data: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(e.data ?? {})) data[k.slice(0, 100)] = typeof v === 'string' ? v.slice(0, 2000) : v;
  return {
    kind: e.kind,
    data: {
      jobId: short(e.jobId),
      profileId: short(e.profileId),
      submissionId: short(e.submissionId),
      detail: e.detail?.slice(0, 2000),
      ...(e.data ? { data } : {}),
    },
  };
}
