// Typed view of the trainer's checkpoint housekeeping events (`checkpoint`, `checkpoint_removed`) in a job's events.
import { z } from 'zod';
import type { TrainingEvent } from './job';

const CheckpointRemovedFields = z.looseObject({
  step: z.number().int().nonnegative(),
  path: z.string().min(1),
  reason: z.string().min(1),
  val_loss: z.number().finite().nullish(),
});

export interface CheckpointRemoval {
  step: number;
  path: string;
  reason: string;
  valLoss: number | null;
  ts: number | null;
}

/** A `checkpoint_removed` event as a typed value; null for any other event or one with malformed fields. */
export function parseCheckpointRemoval(e: TrainingEvent): CheckpointRemoval | null {
  if (e.name !== 'checkpoint_removed') return null;
  const f = CheckpointRemovedFields.safeParse(e.fields);
  if (!f.success) return null;
  return { step: f.data.step, path: f.data.path, reason: f.data.reason, valLoss: f.data.val_loss ?? null, ts: e.ts };
}

/** Every checkpoint the job's housekeeping deleted, in event order (what the job page lists). */
export function checkpointRemovals(events: readonly TrainingEvent[]): CheckpointRemoval[] {
  return events.flatMap((e) => {
    const r = parseCheckpointRemoval(e);
    return r ? [r] : [];
  });
}
