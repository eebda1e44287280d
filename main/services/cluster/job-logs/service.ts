// JobLogService: search across every stored job log, delete a job's history, export a job as one file, and the
// retention policy (a setting) with its scheduler — the `jobLogs` contract's backend.
import {
  JobHistoryRetentionSchema,
  type JobExportResult,
  type JobHistoryRetention,
  type JobLogSearchResult,
} from '../../../../common/contracts/job-logs';
import type { Settings, SettingsPatch } from '../../../../common/contracts/settings';
import { EvolveError } from '../../../../common/errors';
import type { JobLogDeletion } from '../../../../common/store/job-log-requests';
import type { StoreService } from '../../store/store-service';
import type { JobRepository } from '../job-repository';
import { profileFromRow } from '../profile-rows';
import { buildJobExport, exportFileName, writeJobExport } from './export';
import { highlightSpans } from './highlight';
import { parseLogQuery } from './query';
import { applyRetention, RetentionScheduler } from './retention';

export interface JobLogServiceOptions {
  store: Pick<StoreService, 'client' | 'assertReady' | 'ready'>;
  settings: {
    get(): Promise<Settings>;
    update(patch: SettingsPatch): Promise<Settings>;
    onChange(cb: (s: Settings, changed: (keyof Settings)[]) => void): () => void;
  };
  repo: Pick<JobRepository, 'get' | 'getLogs' | 'getMetrics'>;
  app: { name: string; version: string };
  log: (level: 'info' | 'warn', msg: string) => void;
  /** The desktop app's save dialog; absent in the browser host, where the page downloads the export instead. */
  pickSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Other features' records to put in an export (a diagnosis…), keyed by feature. */
  exportExtras?: (jobId: string) => Promise<Record<string, unknown>>;
  retentionIntervalMs?: number;
}

export class JobLogService {
  readonly scheduler: RetentionScheduler;
  /** Set while setRetention saves the policy: it applies the policy itself and reports what went. */
  private savingOwnPolicy = false;

  constructor(private readonly o: JobLogServiceOptions) {
    this.scheduler = new RetentionScheduler({
      store: o.store,
      policy: () => this.retention(),
      log: o.log,
      ...(o.retentionIntervalMs ? { intervalMs: o.retentionIntervalMs } : {}),
    });
    // A policy changed through the settings contract is applied at once, like one set here.
    o.settings.onChange((_, changed) => {
      if (changed.includes('jobHistoryRetention') && !this.savingOwnPolicy && o.store.ready) void this.scheduler.runOnce();
    });
  }

  async search(input: { query: string; jobId?: string; limit?: number; offset?: number; context?: number }): Promise<JobLogSearchResult> {
    const q = parseLogQuery(input.query);
    this.o.store.assertReady();
    const offset = input.offset ?? 0;
    const r = await this.o.store.client.call('jobLog.search', {
      match: q.match,
      ...(input.jobId ? { jobId: input.jobId } : {}),
      limit: input.limit ?? 50,
      offset,
      context: input.context ?? 2,
    });
    return {
      hits: r.hits.map((h) => ({ ...h, highlights: highlightSpans(h.text, q.terms) })),
      total: r.total,
      totalCapped: r.totalCapped,
      offset,
      terms: q.terms.map((t) => t.tokens.join(' ') + (t.prefix ? '*' : '')),
    };
  }

  /** Deletes one finished job's history; the worker audits it in the same transaction. */
  deleteJob(jobId: string): Promise<JobLogDeletion> {
    this.o.store.assertReady();
    return this.o.store.client.call('jobLog.deleteJob', { jobId });
  }

  /** The profile a job ran on, also when the profile was removed (name kept) or its row is gone. */
  private async profile(profileId: string): Promise<{ id: string | null; name: string | null; deleted: boolean }> {
    const row = (await this.o.store.client.call('cluster.list', {})).find((r) => r.id === profileId);
    if (!row) return { id: profileId, name: null, deleted: true };
    return { id: row.id, name: row.name, deleted: profileFromRow(row) === null };
  }

  /** Builds the export; `path` (tests, CLI) writes there, else the save dialog, else the page downloads it. */
  async export(jobId: string, opts: { path?: string } = {}): Promise<JobExportResult> {
    this.o.store.assertReady();
    const doc = await buildJobExport(jobId, {
      repo: this.o.repo,
      profile: (id) => this.profile(id),
      app: this.o.app,
      ...(this.o.exportExtras ? { extras: this.o.exportExtras } : {}),
    });
    const fileName = exportFileName(doc.job);
    const target = opts.path ?? (this.o.pickSavePath ? await this.o.pickSavePath(fileName) : undefined);
    if (target === null) return { kind: 'cancelled' };
    if (target === undefined) {
      const content = JSON.stringify(doc, null, 2);
      return { kind: 'download', fileName, content, bytes: Buffer.byteLength(content) };
    }
    return { kind: 'saved', path: target, bytes: await writeJobExport(target, doc) };
  }

  async retention(): Promise<JobHistoryRetention> {
    return (await this.o.settings.get()).jobHistoryRetention;
  }

  /** Saves the policy (audited as a settings change) and applies it at once. */
  async setRetention(policy: JobHistoryRetention, now = Date.now()): Promise<{ policy: JobHistoryRetention; removed: JobLogDeletion }> {
    const p = JobHistoryRetentionSchema.safeParse(policy);
    if (!p.success) throw new EvolveError('INVALID_ARGUMENT', `Invalid retention policy: ${p.error.issues[0]?.message ?? ''}`);
    this.o.store.assertReady();
    this.savingOwnPolicy = true;
    try {
      await this.o.settings.update({ jobHistoryRetention: p.data });
    } finally {
      this.savingOwnPolicy = false;
    }
    return { policy: p.data, removed: await applyRetention(this.o.store, p.data, now) };
  }
}
