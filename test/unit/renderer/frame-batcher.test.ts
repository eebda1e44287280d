// FrameBatcher: many pushes in one frame become one flush, in order; drain delivers the rest.
import { describe, expect, it } from 'vitest';
import { FrameBatcher } from '../../../renderer/lib/frame-batcher';

describe('FrameBatcher', () => {
  it('flushes everything pushed within a frame at once, in order', () => {
    const frames: (() => void)[] = [];
    const flushes: number[][] = [];
    const b = new FrameBatcher<number>(
      (items) => flushes.push(items),
      (cb) => frames.push(cb),
    );
    for (let i = 0; i < 100; i += 1) b.push(i);
    expect(frames.length).toBe(1);
    frames.shift()?.();
    b.push(100);
    b.drain();
    expect(flushes).toEqual([Array.from({ length: 100 }, (_, i) => i), [100]]);
  });
});
