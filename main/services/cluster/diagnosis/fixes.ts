// The fixes the app can perform for a diagnosed failure, derived from the class and the job's TrainingConfig.
import type { FailureClass, FixAction } from '../../../../common/cluster/diagnosis';
import type { JobRecord } from '../../../../common/cluster/job';

export interface FixContext {
  job: Pick<JobRecord, 'config' | 'launch' | 'lastCheckpointStep'>;
  /** Ray nodes alive now (null when unknown): fewer than the job asks for → offer fewer nodes. */
  aliveNodes: number | null;
}

function resume(job: FixContext['job']): FixAction | null {
  if (!job.config.checkpoint_dir) return null;
  return {
    kind: 'resume',
    label:
      job.lastCheckpointStep !== null
        ? `Resume from checkpoint (step ${job.lastCheckpointStep})`
        : 'Resubmit (resumes from the newest checkpoint, if any)',
  };
}

/** Half the per-device batch, twice the accumulation: the effective batch (and so the learning dynamics) stays. */
function smallerBatch(job: FixContext['job']): FixAction | null {
  const { batch_size: b, grad_accum_steps: a, strategy, pipeline_microbatches: m } = job.config;
  if (b < 2 || b % 2 !== 0) return null;
  const batchSize = b / 2;
  // Pipeline strategies need batch_size divisible by the micro-batch count; do not offer a config the trainer rejects.
  if ((strategy === 'pipeline' || strategy === 'hybrid') && batchSize % m !== 0) return null;
  return {
    kind: 'smaller-batch',
    label: `Retry with batch ${batchSize} × ${a * 2} accumulation steps (same effective batch ${b * a})`,
    batchSize,
    gradAccumulation: a * 2,
  };
}

function fewerNodes(ctx: FixContext): FixAction | null {
  const want = ctx.job.launch.numNodes;
  if (ctx.aliveNodes === null || ctx.aliveNodes >= want || ctx.aliveNodes < 1) return null;
  return {
    kind: 'fewer-nodes',
    label: `Retry on ${ctx.aliveNodes} node${ctx.aliveNodes === 1 ? '' : 's'} (of ${want})`,
    numWorkers: ctx.aliveNodes,
  };
}

function freeDisk(job: FixContext['job']): FixAction | null {
  if (!job.config.checkpoint_dir) return null;
  // The trainer already keeps `keep_last`; the disk still filled, so keep fewer (never none: resume needs one).
  const keepLast = Math.max(1, Math.min(job.config.keep_last - 1, 2));
  return {
    kind: 'free-disk',
    label: `Free disk (keep the newest ${keepLast} checkpoint${keepLast === 1 ? '' : 's'}), then resume`,
    keepLast,
  };
}

const editConfig: FixAction = { kind: 'edit-config', label: 'Edit the configuration' };

/** The buttons for a class, most useful first; none when nothing automatic would help (a bug in the training code). */
export function suggestFixes(cls: FailureClass, ctx: FixContext): FixAction[] {
  const { job } = ctx;
  const out: (FixAction | null)[] = [];
  switch (cls) {
    case 'node-lost':
      out.push(resume(job), fewerNodes(ctx));
      break;
    case 'host-oom':
      // Without a checkpoint, resuming would just run into the same wall; a smaller batch is the real fix.
      out.push(smallerBatch(job), job.lastCheckpointStep !== null ? resume(job) : null);
      break;
    case 'cuda-oom':
      out.push(smallerBatch(job));
      break;
    case 'disk-full':
      out.push(freeDisk(job));
      break;
    case 'nccl-timeout':
    case 'gpu-xid':
      // Often transient (a flaky link, a GPU that was reset); a node that is gone as well is handled by fewer nodes.
      out.push(resume(job), fewerNodes(ctx));
      break;
    case 'bad-config':
      out.push(fewerNodes(ctx), editConfig);
      break;
    case 'data-loader':
    case 'python-exception':
    case 'unknown':
      break;
  }
  return out.filter((f): f is FixAction => f !== null);
}
