// Diagnoses failed job attempts: evidence → rules → fixes → stored; the local model explains when someone looks.
import { EvolveError, toErrorInfo } from '../../../../common/errors';
import { FixActionSchema, type Diagnosis, type FixAction } from '../../../../common/cluster/diagnosis';
import type { JobAttempt, JobRecord } from '../../../../common/cluster/job';
import type { StoredDiagnosis } from '../../../../common/store/diagnosis-requests';
import type { AuditSink } from '../audit';
import { applyFix, type FixJobs, type FixOutcome, type FixRay } from './apply-fix';
import { collectEvidence, type EvidencePrometheus, type EvidenceRay } from './collect-evidence';
import type { Explainer } from './explain';
import { suggestFixes } from './fixes';
import { classifyFailure } from './rules';

export interface DiagnosisStore {
  put(d: StoredDiagnosis): Promise<void>;
  list(jobId: string): Promise<StoredDiagnosis[]>;
}

/** What the service needs of the cluster feature (AppCluster in the app; anything in a test). */
export interface DiagnosisCluster {
  job(jobId: string): Promise<JobRecord>;
  /** The log the app stored for an attempt (the evidence when the cluster is gone). */
  storedLog(jobId: string, submissionId: string): Promise<string | undefined>;
  /** Clients of the job's profile; rejects when the profile was removed (the stored log still gives a diagnosis). */
  clients(profileId: string): Promise<{ ray: EvidenceRay & FixRay; jobs: FixJobs; prometheus?: EvidencePrometheus }>;
  follow(profileId: string, jobId: string): void;
}

export interface DiagnosisServiceDeps {
  store: DiagnosisStore;
  cluster: DiagnosisCluster;
  audit: AuditSink;
  explain?: Explainer;
  log: (level: 'info' | 'warn', msg: string) => void;
  now?: () => number;
}

/** What the contract returns: the latest failed attempt's diagnosis, and whether the model is still writing. */
export interface DiagnosisView {
  jobId: string;
  submissionId: string;
  diagnosis: Diagnosis;
  createdAt: number;
  explaining: boolean;
}

const sameFix = (a: FixAction, b: FixAction): boolean => JSON.stringify({ ...a, label: '' }) === JSON.stringify({ ...b, label: '' });

export class DiagnosisService {
  private readonly running = new Map<string, Promise<StoredDiagnosis>>();
  private readonly explaining = new Map<string, Promise<void>>();
  /** Attempts diagnosed from a status event in this session (a repeated FAILED event does not diagnose again). */
  private readonly seen = new Set<string>();
  /** Attempts the model was asked about already (a null answer is not retried until the diagnosis is re-run). */
  private readonly explained = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly d: DiagnosisServiceDeps) {
    this.now = d.now ?? Date.now;
  }

  /** Called for every job status change: a newly FAILED attempt is diagnosed in the background. */
  onJobStatus(job: JobRecord): void {
    const last = job.attempts.at(-1);
    if (!last || last.status !== 'FAILED' || this.running.has(last.submissionId) || this.seen.has(last.submissionId)) return;
    this.seen.add(last.submissionId);
    this.diagnose(job, last).catch((e: unknown) =>
      this.d.log('warn', `diagnosis of ${last.submissionId} failed: ${toErrorInfo(e).message}`),
    );
  }

  /**
   * The latest failed attempt's diagnosis; diagnosed now when none is stored yet (an older failure, an app restart).
   * `explain`: someone is looking at it, so the local model may write its explanation (once per diagnosis). The
   * automatic path never starts the model: a self-healing job's brief failures must not cost a model run each.
   */
  async get(jobId: string, opts: { explain?: boolean } = {}): Promise<DiagnosisView | null> {
    const job = await this.d.cluster.job(jobId);
    const failed = lastFailed(job);
    if (!failed) return null;
    const stored = (await this.d.store.list(jobId)).find((s) => s.submissionId === failed.submissionId);
    const row = stored ?? (await this.diagnose(job, failed));
    if (opts.explain) this.maybeExplain(job, row);
    return this.view(row);
  }

  /** Diagnoses the latest failed attempt again (new log lines, the cluster back, a model installed since). */
  async run(jobId: string): Promise<DiagnosisView> {
    const job = await this.d.cluster.job(jobId);
    const failed = lastFailed(job);
    if (!failed) throw new EvolveError('CONFLICT', `Job ${jobId} has no failed attempt to diagnose`);
    await this.running.get(failed.submissionId)?.catch(() => null);
    const row = await this.diagnose(job, failed, true);
    this.explained.delete(row.submissionId);
    this.maybeExplain(job, row);
    return this.view(row);
  }

  /** Applies one of the fixes the stored diagnosis offers (only those: a renderer cannot invent a resubmission). */
  async applyFix(jobId: string, fixInput: unknown, signal?: AbortSignal): Promise<FixOutcome> {
    const fix = FixActionSchema.parse(fixInput);
    const view = await this.get(jobId);
    if (!view) throw new EvolveError('CONFLICT', `Job ${jobId} has no failed attempt to fix`);
    const offered = view.diagnosis.fixes.find((f) => sameFix(f, fix));
    if (!offered) throw new EvolveError('INVALID_ARGUMENT', `The diagnosis of job ${jobId} does not offer the fix "${fix.label}"`);
    const job = await this.d.cluster.job(jobId);
    const c = await this.d.cluster.clients(job.profileId);
    return applyFix(
      { jobs: c.jobs, ray: c.ray, audit: this.d.audit, follow: (id) => this.d.cluster.follow(job.profileId, id), now: this.now },
      jobId,
      offered,
      signal,
    );
  }

  /** Rules first (fast, stored at once), then the model's explanation stored over it when it arrives. */
  private diagnose(job: JobRecord, attempt: JobAttempt, force = false): Promise<StoredDiagnosis> {
    const key = attempt.submissionId;
    const inFlight = this.running.get(key);
    if (inFlight && !force) return inFlight;
    const p = this.classify(job, attempt).finally(() => {
      if (this.running.get(key) === p) this.running.delete(key);
    });
    this.running.set(key, p);
    return p;
  }

  private async classify(job: JobRecord, attempt: JobAttempt): Promise<StoredDiagnosis> {
    const gaps: string[] = [];
    const clients = await this.d.cluster.clients(job.profileId).catch((e: unknown) => {
      gaps.push(`cluster clients: ${toErrorInfo(e).message}`);
      return null;
    });
    const storedLog = await this.d.cluster.storedLog(job.id, attempt.submissionId).catch(() => undefined);
    const evidence = await collectEvidence(clients?.ray ?? null, attempt.submissionId, {
      prometheus: clients?.prometheus,
      storedLog,
      knownStatus: { status: attempt.status, message: attempt.message, startMs: attempt.submittedAt, endMs: attempt.endedAt },
      onGap: (what, why) => gaps.push(`${what}: ${why}`),
    });
    if (gaps.length) this.d.log('info', `diagnosis of ${attempt.submissionId} without ${gaps.join('; ')}`);
    const base = classifyFailure(evidence);
    const alive = evidence.nodes.length ? evidence.nodes.filter((n) => n.alive).length : null;
    const diagnosis: Diagnosis = { ...base, fixes: suggestFixes(base.class, { job, aliveNodes: alive }) };
    const stored: StoredDiagnosis = { jobId: job.id, submissionId: attempt.submissionId, diagnosis, createdAt: this.now() };
    await this.d.store.put(stored);
    this.d.log('info', `job ${job.id} attempt ${attempt.submissionId}: ${diagnosis.class} (${diagnosis.confidence})`);
    return stored;
  }

  private maybeExplain(job: JobRecord, stored: StoredDiagnosis): void {
    const explain = this.d.explain;
    const key = stored.submissionId;
    if (!explain || stored.diagnosis.explanation !== null || this.explaining.has(key) || this.explained.has(key)) return;
    this.explained.add(key);
    const p = (async () => {
      const text = await explain(stored.diagnosis, { jobName: job.name });
      if (text === null) return;
      // Only over the same diagnosis: a re-run that replaced it meanwhile keeps its own (fresher) row.
      const current = (await this.d.store.list(job.id)).find((s) => s.submissionId === key);
      if (current && current.createdAt !== stored.createdAt) return;
      await this.d.store.put({ ...stored, diagnosis: { ...stored.diagnosis, explanation: text } });
    })()
      .catch((e: unknown) => this.d.log('warn', `explanation of ${key} not stored: ${toErrorInfo(e).message}`))
      .finally(() => {
        if (this.explaining.get(key) === p) this.explaining.delete(key);
      });
    this.explaining.set(key, p);
  }

  /** Waits for pending explanations (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.running.values()].map((p) => p.catch(() => null)));
    await Promise.all(this.explaining.values());
  }

  /** One line for a failure notification: the class summary of the attempt, when diagnosed within `waitMs`. */
  async summaryFor(jobId: string, submissionId: string | undefined, waitMs = 5000): Promise<string | null> {
    const pending = submissionId ? this.running.get(submissionId) : undefined;
    if (pending) await Promise.race([pending.catch(() => null), new Promise((r) => setTimeout(r, waitMs))]);
    const rows = await this.d.store.list(jobId);
    const row = submissionId ? rows.find((r) => r.submissionId === submissionId) : rows[0];
    return row ? `Diagnosis: ${row.diagnosis.summary}` : null;
  }

  private view(s: StoredDiagnosis): DiagnosisView {
    return { ...s, explaining: this.explaining.has(s.submissionId) };
  }
}

function lastFailed(job: JobRecord): JobAttempt | null {
  for (let i = job.attempts.length - 1; i >= 0; i--) if (job.attempts[i]?.status === 'FAILED') return job.attempts[i] ?? null;
  return null;
}
