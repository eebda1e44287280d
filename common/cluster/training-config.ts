// TrainingConfig: the zod mirror of resources/training/evolve_training/config.py (same fields, defaults and checks).
import { z } from 'zod';

export const STRATEGIES = ['ddp', 'fsdp', 'pipeline', 'hybrid', 'fedavg'] as const;
export const TASKS = ['regression', 'classification'] as const;
export const OPTIMIZERS = ['adamw', 'sgd'] as const;
export const LR_SCHEDULES = ['constant', 'cosine', 'linear', 'step'] as const;
export const PRECISIONS = ['fp32', 'bf16', 'fp16'] as const;
export const DEVICES = ['auto', 'cpu', 'cuda'] as const;
export const PIPELINE_SCHEDULES = ['gpipe', '1f1b'] as const;

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const nonNeg = z.number().nonnegative();

/** Field-for-field with the Python dataclass; `.strict()` because Python rejects unknown fields too. */
export const TrainingConfigSchema = z
  .object({
    run_name: z.string().min(1).max(200).default('run'),
    strategy: z.enum(STRATEGIES).default('ddp'),
    task: z.enum(TASKS).default('regression'),
    seed: z.number().int().default(0),
    device: z.enum(DEVICES).default('auto'),
    num_samples: posInt.default(4096),
    val_samples: nonNegInt.default(512),
    input_dim: posInt.default(16),
    output_dim: posInt.default(1),
    hidden_dim: posInt.default(64),
    num_layers: posInt.default(4),
    batch_size: posInt.default(32),
    grad_accum_steps: posInt.default(1),
    max_steps: posInt.default(200),
    optimizer: z.enum(OPTIMIZERS).default('adamw'),
    lr: z.number().positive().default(1e-3),
    weight_decay: nonNeg.default(0),
    momentum: z.number().default(0.9),
    grad_clip: nonNeg.default(0),
    lr_schedule: z.enum(LR_SCHEDULES).default('constant'),
    warmup_steps: nonNegInt.default(0),
    min_lr: nonNeg.default(0),
    step_size: posInt.default(100),
    gamma: z.number().default(0.5),
    mixed_precision: z.enum(PRECISIONS).default('fp32'),
    eval_every: nonNegInt.default(0),
    early_stopping_patience: nonNegInt.default(0),
    early_stopping_min_delta: nonNeg.default(0),
    log_every: posInt.default(1),
    checkpoint_dir: z.string().min(1).nullable().default(null),
    checkpoint_every: nonNegInt.default(0),
    keep_last: posInt.default(3),
    /** Also keep this many checkpoints with the lowest validation loss (0 = newest keep_last only). */
    keep_best: nonNegInt.default(1),
    resume_from: z.string().min(1).nullable().default(null),
    pipeline_microbatches: posInt.default(4),
    pipeline_schedule: z.enum(PIPELINE_SCHEDULES).default('gpipe'),
    hybrid_pipeline_stages: posInt.default(2),
    fedavg_local_steps: posInt.default(5),
    step_sleep_s: nonNeg.default(0),
  })
  .strict()
  .superRefine((c, ctx) => {
    // The cross-field rules of TrainingConfig.validate(), so the wizard reports them before a submit.
    const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.task === 'classification' && c.output_dim < 2) fail('output_dim', "output_dim must be >= 2 for task 'classification'");
    if (c.early_stopping_patience > 0 && (c.eval_every === 0 || c.val_samples === 0))
      fail('early_stopping_patience', 'early_stopping_patience needs eval_every > 0 and val_samples > 0');
    if (c.checkpoint_every > 0 && !c.checkpoint_dir) fail('checkpoint_every', 'checkpoint_every needs checkpoint_dir');
    if (c.resume_from === 'auto' && !c.checkpoint_dir) fail('resume_from', "resume_from 'auto' needs checkpoint_dir");
    if ((c.strategy === 'pipeline' || c.strategy === 'hybrid') && c.batch_size % c.pipeline_microbatches !== 0)
      fail('batch_size', 'batch_size must be divisible by pipeline_microbatches');
  });

export type TrainingConfig = z.output<typeof TrainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof TrainingConfigSchema>;

/** How the launcher spreads the run over Ray nodes (ray_launch.py flags, not part of TrainingConfig). */
export const LaunchOptionsSchema = z
  .object({
    numNodes: z.number().int().min(1).max(256).default(2),
    nprocPerNode: z.number().int().min(1).max(64).default(1),
    cpusPerNode: z.number().positive().max(1024).default(1),
    gpusPerNode: z.number().nonnegative().max(64).default(0),
    placementTimeoutS: z.number().positive().max(3600).default(120),
  })
  .strict();
export type LaunchOptions = z.output<typeof LaunchOptionsSchema>;
