// The real trainer's checkpoint_removed lines parse on the app side: train.py with keep_last/keep_best, then parseLog.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointRemovals } from '../../../common/cluster/checkpoint-events';
import { parseLog } from '../../../common/cluster/log-lines';
import { TrainingConfigSchema } from '../../../common/cluster/training-config';
import { REPO_ROOT } from '../../support/cluster/prometheus-stack';
import { VENV_PYTHON } from '../../support/cluster/ray-cluster';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evckpt-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!fs.existsSync(VENV_PYTHON))('checkpoint housekeeping, trainer to job events', () => {
  it('lists what the trainer removed, keeps the newest and the best on disk', async () => {
    // Validated by the app's schema first, as the wizard does: keep_best is a real config field on both sides.
    const config = TrainingConfigSchema.parse({
      device: 'cpu',
      max_steps: 10,
      num_samples: 128,
      val_samples: 32,
      hidden_dim: 8,
      num_layers: 1,
      batch_size: 16,
      lr: 0.05,
      optimizer: 'sgd',
      eval_every: 2,
      checkpoint_every: 2,
      checkpoint_dir: dir,
      keep_last: 1,
      keep_best: 1,
    });
    const { stdout } = await run(
      VENV_PYTHON,
      [path.join(REPO_ROOT, 'resources/training/train.py'), '--config-json', JSON.stringify(config)],
      {
        env: { ...process.env, OMP_NUM_THREADS: '1', GLOO_SOCKET_IFNAME: 'lo' },
        timeout: 60_000,
      },
    );
    const { events } = parseLog(stdout);
    const evals = new Map(events.filter((e) => e.name === 'eval').map((e) => [e.fields.step as number, e.fields.val_loss as number]));
    const best = [...evals.entries()].sort((a, b) => a[1] - b[1] || b[0] - a[0])[0]![0];
    const kept = [...new Set([10, best])].sort((a, b) => a - b);
    const removed = checkpointRemovals(events);
    expect(removed.map((r) => r.step).sort((a, b) => a - b)).toEqual([2, 4, 6, 8, 10].filter((s) => !kept.includes(s)));
    for (const r of removed) {
      expect(r.valLoss).toBeCloseTo(evals.get(r.step)!, 6);
      expect(r.reason).toContain('not among the 1 best by validation loss');
      expect(fs.existsSync(r.path)).toBe(false);
    }
    expect(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.pt'))
        .sort(),
    ).toEqual(kept.map((s) => `ckpt-${String(s).padStart(8, '0')}.pt`));
  }, 90_000);
});
