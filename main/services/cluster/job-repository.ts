// JobRepository: local job history, logs and metrics that outlive the cluster; in-memory and JSON-file implementations.
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import { JobRecordSchema, MetricPointSchema, type JobRecord, type MetricPoint } from '../../../common/cluster/job';
import { mergeMetricSeries } from '../../../common/cluster/log-lines';
import { readJsonOr, writeJsonAtomic } from '../json-file';
import { SequencerByKey } from '../../../common/base/sequencer';

/** Logs are kept per attempt, capped (keeping the tail, where failures are) so history stays small and fast. */
export const MAX_LOG_CHARS_PER_ATTEMPT = 2 * 1024 * 1024;

export interface JobRepository {
  save(record: JobRecord): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  list(filter?: { profileId?: string }): Promise<JobRecord[]>;
  delete(id: string): Promise<void>;
  /** Replaces an attempt's stored log (the final GET /logs is authoritative) and its parsed metrics. */
  putAttemptOutput(jobId: string, submissionId: string, out: { log: string; metrics: MetricPoint[] }): Promise<void>;
  /** Logs of every attempt, oldest first. */
  getLogs(jobId: string): Promise<{ submissionId: string; log: string }[]>;
  /** One continuous series across attempts (later attempts win on repeated steps). */
  getMetrics(jobId: string): Promise<MetricPoint[]>;
}

interface AttemptOutput {
  submissionId: string;
  log: string;
  metrics: MetricPoint[];
}

function checkRecord(record: JobRecord): JobRecord {
  const r = JobRecordSchema.safeParse(record);
  if (!r.success)
    throw new EvolveError(
      'INVALID_ARGUMENT',
      `Invalid job record (${r.error.issues[0]?.path.join('.')}): ${r.error.issues[0]?.message ?? ''}`,
    );
  return r.data;
}

const capLog = (log: string): string =>
  log.length <= MAX_LOG_CHARS_PER_ATTEMPT
    ? log
    : `[… ${log.length - MAX_LOG_CHARS_PER_ATTEMPT} earlier characters dropped …]\n${log.slice(-MAX_LOG_CHARS_PER_ATTEMPT)}`;

export class MemoryJobRepository implements JobRepository {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly outputs = new Map<string, AttemptOutput[]>();

  async save(record: JobRecord): Promise<void> {
    this.jobs.set(record.id, structuredClone(checkRecord(record)));
  }
  async get(id: string): Promise<JobRecord | undefined> {
    const r = this.jobs.get(id);
    return r && structuredClone(r);
  }
  async list(filter: { profileId?: string } = {}): Promise<JobRecord[]> {
    return [...this.jobs.values()]
      .filter((j) => !filter.profileId || j.profileId === filter.profileId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((j) => structuredClone(j));
  }
  async delete(id: string): Promise<void> {
    this.jobs.delete(id);
    this.outputs.delete(id);
  }
  async putAttemptOutput(jobId: string, submissionId: string, out: { log: string; metrics: MetricPoint[] }): Promise<void> {
    if (!this.jobs.has(jobId)) throw new EvolveError('NOT_FOUND', `No job ${jobId} in the history`);
    const list = this.outputs.get(jobId) ?? [];
    const entry = { submissionId, log: capLog(out.log), metrics: out.metrics };
    const i = list.findIndex((o) => o.submissionId === submissionId);
    if (i >= 0) list[i] = entry;
    else list.push(entry);
    this.outputs.set(jobId, list);
  }
  async getLogs(jobId: string): Promise<{ submissionId: string; log: string }[]> {
    return (this.outputs.get(jobId) ?? []).map(({ submissionId, log }) => ({ submissionId, log }));
  }
  async getMetrics(jobId: string): Promise<MetricPoint[]> {
    return mergeMetricSeries((this.outputs.get(jobId) ?? []).map((o) => o.metrics));
  }
}

const JobFileSchema = z.object({
  record: JobRecordSchema,
  outputs: z.array(z.object({ submissionId: z.string(), log: z.string(), metrics: z.array(MetricPointSchema) })).default([]),
});
type JobFile = z.infer<typeof JobFileSchema>;
const ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

/** One JSON file per job under `dir`, written atomically; a corrupt file is kept aside and skipped. */
export class JsonFileJobRepository implements JobRepository {
  // Writes to one job's file are serialised so a status update and a log update never race.
  private readonly locks = new SequencerByKey<string>();

  constructor(
    private readonly dir: string,
    private readonly onCorrupt?: (why: string) => void,
  ) {}

  private file(id: string): string {
    if (!ID_RE.test(id)) throw new EvolveError('INVALID_ARGUMENT', `Not a valid job id: ${id.slice(0, 80)}`);
    return path.join(this.dir, `${id}.json`);
  }

  private async read(id: string): Promise<JobFile | undefined> {
    const f = await readJsonOr<JobFile | null>(this.file(id), JobFileSchema, null, this.onCorrupt);
    return f ?? undefined;
  }

  private locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.queue(id, fn);
  }

  async save(record: JobRecord): Promise<void> {
    const parsed = checkRecord(record);
    return this.locked(record.id, async () => {
      const cur = await this.read(record.id);
      await writeJsonAtomic(this.file(record.id), { record: parsed, outputs: cur?.outputs ?? [] });
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    return (await this.read(id))?.record;
  }

  async list(filter: { profileId?: string } = {}): Promise<JobRecord[]> {
    const names = await fs.readdir(this.dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    const out: JobRecord[] = [];
    for (const n of names) {
      if (!n.endsWith('.json')) continue;
      const id = n.slice(0, -5);
      if (!ID_RE.test(id)) continue;
      const r = await this.get(id);
      if (r && (!filter.profileId || r.profileId === filter.profileId)) out.push(r);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  delete(id: string): Promise<void> {
    return this.locked(id, () => fs.rm(this.file(id), { force: true }));
  }

  putAttemptOutput(jobId: string, submissionId: string, out: { log: string; metrics: MetricPoint[] }): Promise<void> {
    return this.locked(jobId, async () => {
      const cur = await this.read(jobId);
      if (!cur) throw new EvolveError('NOT_FOUND', `No job ${jobId} in the history`);
      const entry = { submissionId, log: capLog(out.log), metrics: out.metrics };
      const i = cur.outputs.findIndex((o) => o.submissionId === submissionId);
      if (i >= 0) cur.outputs[i] = entry;
      else cur.outputs.push(entry);
      await writeJsonAtomic(this.file(jobId), cur);
    });
  }

  async getLogs(jobId: string): Promise<{ submissionId: string; log: string }[]> {
    return ((await this.read(jobId))?.outputs ?? []).map(({ submissionId, log }) => ({ submissionId, log }));
  }

  async getMetrics(jobId: string): Promise<MetricPoint[]> {
    return mergeMetricSeries(((await this.read(jobId))?.outputs ?? []).map((o) => o.metrics));
  }
}
