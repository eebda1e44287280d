// Training jobs on Ray: submit a TrainingConfig, follow status and metrics, stop, resume, and self-heal from checkpoints.
import { randomUUID } from 'node:crypto';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { JobAttempt, JobRecord, MetricPoint, TrainingEvent } from '../../../common/cluster/job';
import { parseLog, parseLogLine } from '../../../common/cluster/log-lines';
import { isTerminalStatus, type JobSubmitRequest, type RayJob } from '../../../common/cluster/ray';
import { LaunchOptionsSchema, TrainingConfigSchema } from '../../../common/cluster/training-config';
import type { AuditSink } from './audit';
import { trainingEntrypoint } from './entrypoint';
import type { JobRepository } from './job-repository';
import type { ClusterNotification, Notifier } from './notifier';
import { ensurePackage, type PackageOptions, type PackageUploader } from './packaging';
import type { TailOptions } from './ray-log-tail';

/** The part of RayClient the job service needs (so tests can pass any implementation). */
export interface RayJobsApi extends PackageUploader {
  submitJob(req: JobSubmitRequest, signal?: AbortSignal): Promise<{ submissionId: string }>;
  getJob(id: string, signal?: AbortSignal): Promise<RayJob>;
  stopJob(id: string, signal?: AbortSignal): Promise<boolean>;
  getJobLogs(id: string, signal?: AbortSignal): Promise<string>;
  deleteJob?(id: string, signal?: AbortSignal): Promise<boolean>;
}
export type LogTailer = (submissionId: string, opts: TailOptions) => Promise<{ cancelled: boolean }>;

export interface JobServiceDeps {
  profileId: string;
  client: RayJobsApi;
  tail?: LogTailer;
  repo: JobRepository;
  audit: AuditSink;
  notifier?: Notifier;
  /** Folder uploaded as the job's working_dir (resources/training). */
  trainingDir: string;
  packageOptions?: PackageOptions;
  pollIntervalMs?: number;
  defaultMaxRestarts?: number;
  now?: () => number;
  /** Where non-fatal failures go (a broken listener, a final log fetch or a notification that failed). */
  log?: (level: 'warn', msg: string) => void;
}

export type JobServiceEvent =
  | { type: 'status'; job: JobRecord }
  | { type: 'lines'; jobId: string; submissionId: string; lines: string[] }
  | { type: 'metric'; jobId: string; submissionId: string; point: MetricPoint }
  | { type: 'training-event'; jobId: string; submissionId: string; event: TrainingEvent };

export interface SubmitTrainingInput {
  name?: string;
  config: unknown;
  launch?: unknown;
  /** Self-healing resubmissions allowed after a failure (default from the service; 0 disables). */
  maxRestarts?: number;
}

const bad = (what: string, e: { issues: { path: PropertyKey[]; message: string }[] }) => {
  const i = e.issues[0];
  return new EvolveError(
    'INVALID_ARGUMENT',
    `Invalid ${what}${i?.path.length ? ` (${i.path.join('.')})` : ''}: ${i?.message ?? 'bad value'}`,
    {
      issues: e.issues.slice(0, 10),
    },
  );
};

export class JobService {
  private readonly listeners = new Set<(e: JobServiceEvent) => void>();
  private readonly following = new Map<string, Promise<JobRecord>>();
  private readonly now: () => number;

  constructor(private readonly deps: JobServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Subscribe to status, log lines, metric points and training events; returns the unsubscribe function. */
  onEvent(listener: (e: JobServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: JobServiceEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        // A broken listener (a closed window) must not stop the job bookkeeping.
        this.deps.log?.('warn', `job event listener failed: ${toErrorInfo(err).message}`);
      }
    }
  }

  async submitTraining(input: SubmitTrainingInput, signal?: AbortSignal): Promise<JobRecord> {
    const cfg = TrainingConfigSchema.safeParse(input.config);
    if (!cfg.success) throw bad('training config', cfg.error);
    const launch = LaunchOptionsSchema.safeParse(input.launch ?? {});
    if (!launch.success) throw bad('launch options', launch.error);
    const maxRestarts = input.maxRestarts ?? this.deps.defaultMaxRestarts ?? 2;
    if (!Number.isInteger(maxRestarts) || maxRestarts < 0 || maxRestarts > 20)
      throw new EvolveError('INVALID_ARGUMENT', 'maxRestarts must be an integer from 0 to 20');
    // Size check and upload happen before anything is submitted: a too-large folder never reaches Ray.
    const pkg = await ensurePackage(this.deps.client, this.deps.trainingDir, { ...this.deps.packageOptions, signal });
    const id = `job-${randomUUID().slice(0, 12)}`;
    const t = this.now();
    const record: JobRecord = {
      id,
      profileId: this.deps.profileId,
      name: input.name?.trim() || cfg.data.run_name,
      config: cfg.data,
      launch: launch.data,
      packageUri: pkg.uri,
      entrypoint: trainingEntrypoint(cfg.data, launch.data),
      status: 'PENDING',
      attempts: [],
      restarts: 0,
      maxRestarts,
      lastCheckpointStep: null,
      createdAt: t,
      updatedAt: t,
    };
    return this.submitAttempt(record, 'initial', signal);
  }

  private async submitAttempt(record: JobRecord, reason: JobAttempt['reason'], signal?: AbortSignal): Promise<JobRecord> {
    const resumed = reason !== 'initial';
    const entrypoint = trainingEntrypoint(record.config, record.launch, { resume: resumed });
    const submissionId = `evolve-${record.id}-a${record.attempts.length + 1}`;
    const req: JobSubmitRequest = {
      entrypoint,
      submission_id: submissionId,
      runtime_env: { working_dir: record.packageUri },
      metadata: { evolve_job_id: record.id, evolve_attempt: String(record.attempts.length + 1), evolve_reason: reason },
      // The driver (ray_launch.py) only coordinates; its CPUs go to the trainers' placement group.
      entrypoint_num_cpus: 0,
    };
    await this.deps.client.submitJob(req, signal);
    const t = this.now();
    const next: JobRecord = {
      ...record,
      status: 'PENDING',
      attempts: [...record.attempts, { submissionId, status: 'PENDING', message: null, resumed, reason, submittedAt: t, endedAt: null }],
      updatedAt: t,
    };
    await this.deps.repo.save(next);
    const kind = reason === 'initial' ? 'cluster.submit' : reason === 'manual-resume' ? 'cluster.resume' : 'cluster.self-heal';
    await this.deps.audit.append({
      kind,
      jobId: record.id,
      profileId: record.profileId,
      submissionId,
      detail:
        reason === 'self-heal'
          ? `restart ${next.restarts}/${next.maxRestarts} from checkpoint step ${next.lastCheckpointStep ?? 'none'}`
          : entrypoint.slice(0, 500),
    });
    this.emit({ type: 'status', job: next });
    return next;
  }

  async get(jobId: string): Promise<JobRecord> {
    const r = await this.deps.repo.get(jobId);
    if (!r) throw new EvolveError('NOT_FOUND', `No job ${jobId} in the history`);
    return r;
  }

  list(): Promise<JobRecord[]> {
    return this.deps.repo.list({ profileId: this.deps.profileId });
  }

  logs(jobId: string): Promise<{ submissionId: string; log: string }[]> {
    return this.deps.repo.getLogs(jobId);
  }

  metrics(jobId: string): Promise<MetricPoint[]> {
    return this.deps.repo.getMetrics(jobId);
  }

  /**
   * Follows the job until it is final (self-heal resubmissions included): tails logs live, polls status,
   * stores logs and metrics per attempt. One follower per job; a second call shares the first.
   */
  follow(jobId: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<JobRecord> {
    const running = this.following.get(jobId);
    if (running) return running;
    const p = this.followLoop(jobId, opts).finally(() => this.following.delete(jobId));
    this.following.set(jobId, p);
    return p;
  }

  private async followLoop(jobId: string, opts: { signal?: AbortSignal; timeoutMs?: number }): Promise<JobRecord> {
    const deadline = opts.timeoutMs ? this.now() + opts.timeoutMs : Infinity;
    for (;;) {
      let record = await this.get(jobId);
      const attempt = record.attempts.at(-1);
      if (!attempt) throw new EvolveError('INTERNAL', `Job ${jobId} has no submission`);
      if (isTerminalStatus(attempt.status)) return record;
      record = await this.followAttempt(record, attempt.submissionId, deadline, opts.signal);
      const last = record.attempts.at(-1);
      if (!last || last.status !== 'FAILED') return record;
      const heal = await this.healDecision(record);
      if (!heal.ok) {
        await this.deps.audit.append({
          kind: 'cluster.self-heal-skipped',
          jobId,
          profileId: record.profileId,
          submissionId: last.submissionId,
          detail: heal.why,
        });
        await this.deps.audit.append({
          kind: 'cluster.job-failed',
          jobId,
          profileId: record.profileId,
          submissionId: last.submissionId,
          detail: last.message?.slice(0, 500),
        });
        await this.notify(
          record,
          `Training job "${record.name}" failed`,
          `${last.message?.split('\n')[0] ?? 'no message'} — not resubmitted: ${heal.why}`,
          { event: 'job-failed', submissionId: last.submissionId },
        );
        return record;
      }
      const healed = await this.submitAttempt({ ...record, restarts: record.restarts + 1 }, 'self-heal', opts.signal);
      // Self-heal is an action taken for the user: they hear of it, once per resubmission. Not awaited: a slow
      // SMTP server must not delay following the new attempt (notify logs its own failures).
      void this.notify(
        healed,
        `Training job "${record.name}" restarted (self-heal ${healed.restarts}/${healed.maxRestarts})`,
        `Attempt ${last.submissionId} failed: ${last.message?.split('\n')[0] ?? 'no message'} — resubmitted from checkpoint step ${healed.lastCheckpointStep ?? 'none'}`,
        { event: 'self-heal', severity: 'warning', submissionId: healed.attempts.at(-1)?.submissionId },
      );
    }
  }

  private async healDecision(record: JobRecord): Promise<{ ok: true } | { ok: false; why: string }> {
    if (record.restarts >= record.maxRestarts)
      return { ok: false, why: `restart limit reached (${record.restarts}/${record.maxRestarts})` };
    if (!record.config.checkpoint_dir) return { ok: false, why: 'the job has no checkpoint_dir, so there is nothing to resume from' };
    const logs = await this.deps.repo.getLogs(record.id);
    const lastLog = logs.at(-1)?.log ?? '';
    // A config or placement error fails the same way again; only crashes and lost nodes are worth a retry.
    const fatal = parseLog(lastLog).events.find((e) => e.name === 'error' && e.fields.kind === 'config');
    if (fatal) return { ok: false, why: `the config was rejected (${String(fatal.fields.message ?? '')})` };
    return { ok: true };
  }

  private async followAttempt(record: JobRecord, submissionId: string, deadline: number, signal?: AbortSignal): Promise<JobRecord> {
    const jobId = record.id;
    const tailAbort = new AbortController();
    const seen: string[] = [];
    let lastCheckpoint = record.lastCheckpointStep;
    const onLines = (lines: string[]) => {
      seen.push(...lines);
      this.emit({ type: 'lines', jobId, submissionId, lines });
      for (const line of lines) {
        const p = parseLogLine(line);
        if (p.kind === 'metric') this.emit({ type: 'metric', jobId, submissionId, point: p.point });
        else if (p.kind === 'event') this.emit({ type: 'training-event', jobId, submissionId, event: p.event });
      }
    };
    // The tail is best effort (a proxy may block WebSockets); the status poll below decides when the attempt is over.
    const tailDone = this.deps.tail
      ? this.deps.tail(submissionId, { onLines, signal: tailAbort.signal }).catch(() => ({ cancelled: true }))
      : Promise.resolve({ cancelled: false });
    let status = record.attempts.at(-1)?.status ?? 'PENDING';
    let message: string | null = null;
    try {
      for (;;) {
        if (signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
        if (this.now() > deadline) throw new EvolveError('TIMEOUT', `Job ${jobId} did not finish in time (last status ${status})`);
        const job = await this.deps.client.getJob(submissionId, signal);
        if (job.status !== status || (job.message ?? null) !== message) {
          status = job.status;
          message = job.message ?? null;
          record = this.withAttempt(record, submissionId, { status, message, endedAt: isTerminalStatus(status) ? this.now() : null });
          await this.deps.repo.save(record);
          this.emit({ type: 'status', job: record });
        }
        if (isTerminalStatus(status)) break;
        await sleep(this.deps.pollIntervalMs ?? 1000, signal);
      }
    } finally {
      // Ray closes the tail when the job ends; give it a moment to deliver the last lines, then cut it.
      await Promise.race([tailDone, sleep(2000)]);
      tailAbort.abort();
    }
    let log = seen.join('\n');
    try {
      log = await this.deps.client.getJobLogs(submissionId, signal);
    } catch (e) {
      // Keep what the tail saw: the history still has most of the log when the final fetch fails.
      this.deps.log?.(
        'warn',
        `final log of ${submissionId} could not be fetched; keeping the ${seen.length} lines the tail saw: ${toErrorInfo(e).message}`,
      );
    }
    const parsed = parseLog(log);
    await this.deps.repo.putAttemptOutput(jobId, submissionId, { log, metrics: parsed.metrics });
    for (const e of parsed.events)
      if (e.name === 'checkpoint' && typeof e.fields.step === 'number') lastCheckpoint = Math.max(lastCheckpoint ?? 0, e.fields.step);
    record = { ...record, lastCheckpointStep: lastCheckpoint, updatedAt: this.now() };
    await this.deps.repo.save(record);
    if (status === 'SUCCEEDED')
      await this.deps.audit.append({ kind: 'cluster.job-finished', jobId, profileId: record.profileId, submissionId });
    return record;
  }

  private withAttempt(record: JobRecord, submissionId: string, patch: Partial<JobAttempt>): JobRecord {
    const attempts = record.attempts.map((a) => (a.submissionId === submissionId ? { ...a, ...patch } : a));
    const last = attempts.at(-1);
    return { ...record, attempts, status: last?.status ?? record.status, updatedAt: this.now() };
  }

  /** Stops the current attempt; a stopped job is never self-healed. */
  async stop(jobId: string, signal?: AbortSignal): Promise<JobRecord> {
    const record = await this.get(jobId);
    const last = record.attempts.at(-1);
    if (!last) throw new EvolveError('INTERNAL', `Job ${jobId} has no submission`);
    if (isTerminalStatus(last.status)) throw new EvolveError('CONFLICT', `Job ${jobId} is already ${last.status}`);
    const stopped = await this.deps.client.stopJob(last.submissionId, signal);
    await this.deps.audit.append({
      kind: 'cluster.stop',
      jobId,
      profileId: record.profileId,
      submissionId: last.submissionId,
      data: { stopped },
    });
    return record;
  }

  /** Removes a finished job from the local history and, when asked, from the cluster's job table too. */
  async forget(jobId: string, opts: { alsoOnCluster?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const record = await this.get(jobId);
    const last = record.attempts.at(-1);
    if (last && !isTerminalStatus(last.status)) throw new EvolveError('CONFLICT', `Job ${jobId} is still ${last.status}; stop it first`);
    if (opts.alsoOnCluster && this.deps.client.deleteJob) {
      for (const a of record.attempts) {
        // The cluster may already be gone (that is why history is kept locally): deleting there is best effort.
        await this.deps.client.deleteJob(a.submissionId, opts.signal).catch(() => false);
      }
    }
    await this.deps.repo.delete(jobId);
  }

  /** Manual resume from the latest checkpoint (`--resume-from auto`) of a finished, stopped or failed job. */
  async resume(jobId: string, signal?: AbortSignal): Promise<JobRecord> {
    const record = await this.get(jobId);
    const last = record.attempts.at(-1);
    if (last && !isTerminalStatus(last.status)) throw new EvolveError('CONFLICT', `Job ${jobId} is still ${last.status}; stop it first`);
    if (!record.config.checkpoint_dir)
      throw new EvolveError('INVALID_ARGUMENT', `Job ${jobId} has no checkpoint_dir, so it cannot be resumed`);
    return this.submitAttempt(record, 'manual-resume', signal);
  }

  private async notify(
    record: JobRecord,
    title: string,
    body: string,
    extra: Pick<ClusterNotification, 'event' | 'submissionId'> & { severity?: ClusterNotification['severity'] } = {},
  ): Promise<void> {
    if (!this.deps.notifier) return;
    try {
      await this.deps.notifier.notify({ severity: 'critical', ...extra, title, body, source: 'job', jobId: record.id });
    } catch (e) {
      // A failing webhook must not hide the job's own state.
      this.deps.log?.('warn', `notification "${title}" for job ${record.id} failed: ${toErrorInfo(e).message}`);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
