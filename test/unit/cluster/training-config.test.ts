// TrainingConfig schema: defaults, strictness and the cross-field rules mirrored from the Python dataclass.
import { describe, expect, it } from 'vitest';
import { LaunchOptionsSchema, TrainingConfigSchema } from '../../../common/cluster/training-config';

describe('TrainingConfigSchema', () => {
  it('fills the Python defaults', () => {
    const c = TrainingConfigSchema.parse({});
    expect(c).toMatchObject({
      strategy: 'ddp',
      max_steps: 200,
      lr: 1e-3,
      checkpoint_dir: null,
      resume_from: null,
      mixed_precision: 'fp32',
    });
  });

  it('rejects unknown fields like Python does (a typo must not train with defaults)', () => {
    const r = TrainingConfigSchema.safeParse({ max_step: 10 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it.each([
    [{ strategy: 'zero3' }, 'strategy'],
    [{ lr: 0 }, 'lr'],
    [{ batch_size: 2.5 }, 'batch_size'],
    [{ task: 'classification', output_dim: 1 }, 'output_dim'],
    [{ checkpoint_every: 10 }, 'checkpoint_every'],
    [{ resume_from: 'auto' }, 'resume_from'],
    [{ early_stopping_patience: 3 }, 'early_stopping_patience'],
    [{ strategy: 'pipeline', batch_size: 30, pipeline_microbatches: 4 }, 'batch_size'],
  ])('rejects %j at %s', (input, field) => {
    const r = TrainingConfigSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0])).toContain(field);
  });

  it('accepts a valid checkpointed config', () => {
    expect(TrainingConfigSchema.safeParse({ checkpoint_dir: '/shared/ck', checkpoint_every: 10, resume_from: 'auto' }).success).toBe(true);
  });

  it('launch options have bounds', () => {
    expect(LaunchOptionsSchema.parse({})).toEqual({ numNodes: 2, nprocPerNode: 1, cpusPerNode: 1, gpusPerNode: 0, placementTimeoutS: 120 });
    expect(LaunchOptionsSchema.safeParse({ numNodes: 0 }).success).toBe(false);
    expect(LaunchOptionsSchema.safeParse({ nodes: 2 }).success).toBe(false);
  });
});
