// checkpoint_removed events: typed parsing of the trainer's housekeeping lines, malformed ones ignored.
import { describe, expect, it } from 'vitest';
import { checkpointRemovals, parseCheckpointRemoval } from '../../../common/cluster/checkpoint-events';
import { parseLog } from '../../../common/cluster/log-lines';

// Lines exactly as evolve_training.metrics.MetricWriter prints them (compact JSON), one with Ray's prefix.
const LOG = [
  '{"evolve_event":"checkpoint","step":4,"path":"/ck/ckpt-00000004.pt","val_loss":0.42,"ts":1700000000.5}',
  '(pid=123) {"evolve_event":"checkpoint_removed","step":2,"path":"/ck/ckpt-00000002.pt","reason":"older than the newest 1 and not among the 1 best by validation loss","val_loss":0.9,"ts":1700000000.6}',
  'some other log line',
  '{"evolve_event":"checkpoint_removed","step":3,"path":"/ck/ckpt-00000003.pt","reason":"older than the newest 1; no validation loss at this step","val_loss":null,"ts":1700000000.7}',
  '{"evolve_event":"checkpoint_removed","step":-1,"path":"","reason":"x"}',
].join('\n');

describe('checkpoint housekeeping events', () => {
  it('lists every removal with step, path, reason and validation loss', () => {
    const { events } = parseLog(LOG);
    expect(events.map((e) => e.name)).toEqual(['checkpoint', 'checkpoint_removed', 'checkpoint_removed', 'checkpoint_removed']);
    expect(checkpointRemovals(events)).toEqual([
      {
        step: 2,
        path: '/ck/ckpt-00000002.pt',
        reason: 'older than the newest 1 and not among the 1 best by validation loss',
        valLoss: 0.9,
        ts: 1700000000.6,
      },
      {
        step: 3,
        path: '/ck/ckpt-00000003.pt',
        reason: 'older than the newest 1; no validation loss at this step',
        valLoss: null,
        ts: 1700000000.7,
      },
    ]);
  });

  it('ignores other events and malformed removals instead of throwing', () => {
    expect(parseCheckpointRemoval({ name: 'checkpoint', ts: null, fields: { step: 1, path: '/a', reason: 'r' } })).toBeNull();
    expect(parseCheckpointRemoval({ name: 'checkpoint_removed', ts: null, fields: { step: 'two', path: '/a', reason: 'r' } })).toBeNull();
    expect(parseCheckpointRemoval({ name: 'checkpoint_removed', ts: null, fields: { step: 2, path: '/a' } })).toBeNull();
  });
});
