// Performs a diagnosis fix through the job service: resume = a new attempt of the same job; a changed config = a new job.
//
// Why a new job for a changed config: a JobRecord's config and launch options describe every one of its attempts (the
// history, the charts and the self-healer rely on that), and the trainer refuses to resume a checkpoint written with a
// different batch layout or world size. So "smaller batch" starts a fresh job in its own checkpoint folder, named after
// the failed one; "fewer nodes" keeps the world size when it can (more trainers per node) and then resumes the
// failed job's checkpoint, otherwise it starts fresh too. Each application is audited as cluster.diagnosis-fix.
import { EvolveError } from '../../../../common/errors';
import type { FixAction } from '../../../../common/cluster/diagnosis';
import type { JobRecord } from '../../../../common/cluster/job';
import { isTerminalStatus, type JobSubmitRequest, type RayJob } from '../../../../common/cluster/ray';
import type { LaunchOptions, TrainingConfig } from '../../../../common/cluster/training-config';
import type { AuditSink } from '../audit';
import { shellQuote } from '../entrypoint';
import type { SubmitTrainingInput } from '../job-service';

/** The part of JobService a fix needs. */
export interface FixJobs {
  get(jobId: string): Promise<JobRecord>;
  resume(jobId: string, signal?: AbortSignal): Promise<JobRecord>;
  submitTraining(input: SubmitTrainingInput, signal?: AbortSignal): Promise<JobRecord>;
}

/** The part of RayClient the disk clean-up job needs. */
export interface FixRay {
  submitJob(req: JobSubmitRequest, signal?: AbortSignal): Promise<{ submissionId: string }>;
  getJob(id: string, signal?: AbortSignal): Promise<RayJob>;
  getJobLogs(id: string, signal?: AbortSignal): Promise<string>;
}

export interface ApplyFixDeps {
  jobs: FixJobs;
  ray: FixRay;
  audit: AuditSink;
  /** Starts following a job in the background (the app's follower) so its status and logs reach the UI. */
  follow?: (jobId: string) => void;
  pollMs?: number;
  pruneTimeoutMs?: number;
  now?: () => number;
}

export interface FixOutcome {
  /** The job that now runs: the same id for a resume, a new id for a changed config. */
  jobId: string;
  newJob: boolean;
  detail: string;
}

/** Deletes all but the newest K (and the best by val loss) with the trainer's own prune, plus temp files of failed writes. */
const PRUNE_SCRIPT = `
import glob, json, os, sys
sys.path.insert(0, ".")
from evolve_training.checkpoint import prune
d, keep_last, keep_best = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for r in prune(d, keep_last, keep_best):
    print(json.dumps({"evolve_event": "checkpoint_removed", "step": r.step, "path": r.path, "reason": r.reason}), flush=True)
for t in glob.glob(os.path.join(d, "ckpt-*.pt.tmp-*")) + glob.glob(os.path.join(d, "ckpt-*.json.tmp-*")):
    os.remove(t)
    print(json.dumps({"evolve_event": "checkpoint_removed", "path": t, "reason": "temp file of a failed write"}), flush=True)
`.trim();

export async function applyFix(deps: ApplyFixDeps, jobId: string, fix: FixAction, signal?: AbortSignal): Promise<FixOutcome> {
  const job = await deps.jobs.get(jobId);
  const last = job.attempts.at(-1);
  if (last && !isTerminalStatus(last.status))
    throw new EvolveError('CONFLICT', `Job ${jobId} is still ${last.status}; a fix applies to a finished job`);
  const outcome = await perform(deps, job, fix, signal);
  await deps.audit.append({
    kind: 'cluster.diagnosis-fix',
    jobId,
    profileId: job.profileId,
    submissionId: last?.submissionId,
    detail: outcome.detail.slice(0, 500),
    data: { fix: fix.kind, resultJobId: outcome.jobId, newJob: outcome.newJob },
  });
  if (outcome.newJob || fix.kind === 'resume' || fix.kind === 'free-disk') deps.follow?.(outcome.jobId);
  return outcome;
}

async function perform(deps: ApplyFixDeps, job: JobRecord, fix: FixAction, signal?: AbortSignal): Promise<FixOutcome> {
  switch (fix.kind) {
    case 'resume': {
      const r = await deps.jobs.resume(job.id, signal);
      return { jobId: r.id, newJob: false, detail: `resumed as attempt ${r.attempts.length}` };
    }
    case 'smaller-batch': {
      if (fix.batchSize * fix.gradAccumulation !== job.config.batch_size * job.config.grad_accum_steps)
        throw new EvolveError('INVALID_ARGUMENT', 'The smaller batch must keep the effective batch (batch × accumulation)');
      const config: TrainingConfig = {
        ...job.config,
        batch_size: fix.batchSize,
        grad_accum_steps: fix.gradAccumulation,
        checkpoint_dir: siblingDir(job.config.checkpoint_dir, `b${fix.batchSize}x${fix.gradAccumulation}`),
        resume_from: null,
      };
      return newJob(deps, job, config, job.launch, `batch ${fix.batchSize}×${fix.gradAccumulation}`, signal);
    }
    case 'fewer-nodes': {
      if (fix.numWorkers >= job.launch.numNodes)
        throw new EvolveError('INVALID_ARGUMENT', `The job already uses ${job.launch.numNodes} nodes`);
      const world = job.launch.numNodes * job.launch.nprocPerNode;
      const keepsWorld = world % fix.numWorkers === 0 && job.config.checkpoint_dir !== null && job.lastCheckpointStep !== null;
      const nproc = keepsWorld ? world / fix.numWorkers : job.launch.nprocPerNode;
      const launch: LaunchOptions = {
        ...job.launch,
        numNodes: fix.numWorkers,
        nprocPerNode: nproc,
        cpusPerNode: (job.launch.cpusPerNode * nproc) / job.launch.nprocPerNode,
        gpusPerNode: (job.launch.gpusPerNode * nproc) / job.launch.nprocPerNode,
      };
      // Same world size: the failed job's checkpoint resumes exactly; otherwise a fresh run in its own folder.
      const config: TrainingConfig = keepsWorld
        ? { ...job.config, resume_from: 'auto' }
        : { ...job.config, checkpoint_dir: siblingDir(job.config.checkpoint_dir, `n${fix.numWorkers}`), resume_from: null };
      const how = keepsWorld
        ? `${fix.numWorkers} nodes × ${nproc} trainers, resuming step ${job.lastCheckpointStep}`
        : `${fix.numWorkers} nodes, fresh start`;
      return newJob(deps, job, config, launch, how, signal);
    }
    case 'free-disk': {
      if (!job.config.checkpoint_dir) throw new EvolveError('INVALID_ARGUMENT', `Job ${job.id} has no checkpoint_dir to clean up`);
      const removed = await pruneOnCluster(deps, job, fix.keepLast, signal);
      const r = await deps.jobs.resume(job.id, signal);
      return { jobId: r.id, newJob: false, detail: `removed ${removed} checkpoint file(s), resumed as attempt ${r.attempts.length}` };
    }
    case 'edit-config':
      // Nothing automatic is safe for a rejected config: the renderer opens the wizard on it instead.
      throw new EvolveError('INVALID_ARGUMENT', 'Editing the configuration happens in the training wizard, not as an automatic fix');
  }
}

async function newJob(
  deps: ApplyFixDeps,
  job: JobRecord,
  config: TrainingConfig,
  launch: LaunchOptions,
  how: string,
  signal?: AbortSignal,
): Promise<FixOutcome> {
  const r = await deps.jobs.submitTraining(
    { name: `${job.name} (${how})`.slice(0, 200), config, launch, maxRestarts: job.maxRestarts },
    signal,
  );
  return { jobId: r.id, newJob: true, detail: `new job ${r.id}: ${how}` };
}

/** `/ckpt/run-1` → `/ckpt/run-1-b16x2`: the retry's checkpoints never mix with (or resume from) the failed run's. */
function siblingDir(dir: string | null, suffix: string): string | null {
  return dir ? `${dir.replace(/\/+$/, '')}-${suffix}` : null;
}

/** Runs the prune script as a small Ray job in the job's own working dir (where the checkpoint code is), and waits. */
async function pruneOnCluster(deps: ApplyFixDeps, job: JobRecord, keepLast: number, signal?: AbortSignal): Promise<number> {
  const now = deps.now ?? Date.now;
  const dir = job.config.checkpoint_dir ?? '';
  const submissionId = `evolve-${job.id}-prune-${now().toString(36)}`;
  await deps.ray.submitJob(
    {
      entrypoint: ['python', '-c', shellQuote(PRUNE_SCRIPT), shellQuote(dir), String(keepLast), String(job.config.keep_best)].join(' '),
      submission_id: submissionId,
      runtime_env: { working_dir: job.packageUri },
      metadata: { evolve_job_id: job.id, evolve_reason: 'free-disk' },
      entrypoint_num_cpus: 0,
    },
    signal,
  );
  const deadline = now() + (deps.pruneTimeoutMs ?? 120_000);
  for (;;) {
    const r = await deps.ray.getJob(submissionId, signal);
    if (r.status === 'SUCCEEDED') break;
    if (isTerminalStatus(r.status))
      throw new EvolveError('UNAVAILABLE', `The checkpoint clean-up job ${r.status}: ${r.message ?? 'no message'}`);
    if (now() > deadline) throw new EvolveError('TIMEOUT', `The checkpoint clean-up job did not finish (last status ${r.status})`);
    await new Promise((res) => setTimeout(res, deps.pollMs ?? 1000));
  }
  const log = await deps.ray.getJobLogs(submissionId, signal).catch(() => '');
  return log.split('\n').filter((l) => l.includes('"evolve_event": "checkpoint_removed"')).length;
}
