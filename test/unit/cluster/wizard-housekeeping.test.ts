// The wizard's checkpoint housekeeping fields reach the TrainingConfig (keep_last, keep_best, eval_every) and validate.
import { describe, expect, it } from 'vitest';
import { TrainingConfigSchema } from '../../../common/cluster/training-config';
import { buildSubmit, WIZARD_DEFAULTS } from '../../../renderer/features/cluster/wizard-config';

describe('wizard checkpoint housekeeping', () => {
  it('sends keep_last, keep_best and eval_every with checkpoints on', () => {
    const s = buildSubmit({ ...WIZARD_DEFAULTS, evalEvery: 5, keepLast: 2, keepBest: 3 });
    const cfg = TrainingConfigSchema.parse(s.config);
    expect(cfg).toMatchObject({ checkpoint_every: 10, eval_every: 5, keep_last: 2, keep_best: 3 });
  });

  it('defaults to the trainer defaults and leaves housekeeping out when checkpoints are off', () => {
    expect(TrainingConfigSchema.parse(buildSubmit(WIZARD_DEFAULTS).config)).toMatchObject({ keep_last: 3, keep_best: 1, eval_every: 0 });
    const off = buildSubmit({ ...WIZARD_DEFAULTS, checkpointEvery: 0, keepBest: 4 }).config;
    expect(off.keep_best).toBeUndefined();
    expect(off.keep_last).toBeUndefined();
  });

  it('rejects a negative keep_best and a zero keep_last like the trainer does', () => {
    expect(TrainingConfigSchema.safeParse(buildSubmit({ ...WIZARD_DEFAULTS, keepBest: -1 }).config).success).toBe(false);
    expect(TrainingConfigSchema.safeParse(buildSubmit({ ...WIZARD_DEFAULTS, keepLast: 0 }).config).success).toBe(false);
    expect(TrainingConfigSchema.safeParse({ keep_best: 1.5 }).success).toBe(false);
  });
});
