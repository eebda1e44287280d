// The training wizard's form state and its mapping to a TrainingConfig + launch options (pure, unit-tested).
import type { LR_SCHEDULES, PRECISIONS, STRATEGIES } from '../../../common/cluster/training-config';

export interface WizardForm {
  name: string;
  strategy: (typeof STRATEGIES)[number];
  numNodes: number;
  cpusPerNode: number;
  maxSteps: number;
  batchSize: number;
  lr: number;
  schedule: (typeof LR_SCHEDULES)[number];
  warmup: number;
  precision: (typeof PRECISIONS)[number];
  checkpointEvery: number;
  checkpointDir: string;
  /** Validation every N steps (0 = off); keep-best needs it. */
  evalEvery: number;
  keepLast: number;
  keepBest: number;
  logEvery: number;
  maxRestarts: number;
}

export const WIZARD_DEFAULTS: WizardForm = {
  name: 'ddp-regression',
  strategy: 'ddp',
  numNodes: 2,
  cpusPerNode: 1,
  maxSteps: 100,
  batchSize: 32,
  lr: 0.003,
  schedule: 'cosine',
  warmup: 0,
  precision: 'fp32',
  checkpointEvery: 10,
  checkpointDir: '/tmp/evolve-checkpoints/{run}',
  evalEvery: 0,
  keepLast: 3,
  keepBest: 1,
  logEvery: 1,
  maxRestarts: 2,
};

/** The form → TrainingConfig + launch options; `{run}` in the checkpoint dir becomes a fresh folder per submit. */
export function buildSubmit(f: WizardForm, now = Date.now()) {
  const run = f.name.trim() || 'run';
  const dir = f.checkpointDir.trim().replace('{run}', `${run.replace(/[^A-Za-z0-9_.-]+/g, '-')}-${now.toString(36)}`);
  const config: Record<string, unknown> = {
    run_name: run,
    strategy: f.strategy,
    max_steps: f.maxSteps,
    batch_size: f.batchSize,
    lr: f.lr,
    lr_schedule: f.schedule,
    warmup_steps: f.warmup,
    mixed_precision: f.precision,
    log_every: f.logEvery,
    device: 'auto',
    ...(f.evalEvery > 0 ? { eval_every: f.evalEvery } : {}),
    ...(dir && f.checkpointEvery > 0
      ? { checkpoint_dir: dir, checkpoint_every: f.checkpointEvery, keep_last: f.keepLast, keep_best: f.keepBest }
      : {}),
  };
  if (f.strategy === 'pipeline' || f.strategy === 'hybrid') config.pipeline_microbatches = f.batchSize % 4 === 0 ? 4 : 1;
  return { name: run, config, launch: { numNodes: f.numNodes, cpusPerNode: f.cpusPerNode }, maxRestarts: f.maxRestarts };
}
