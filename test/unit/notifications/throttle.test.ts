// Dedup window and the per-channel token bucket, on an injected clock.
import { describe, expect, it } from 'vitest';
import { ChannelBucket, Dedup } from '../../../main/services/notifications/throttle';

describe('Dedup', () => {
  it('admits a key once per window, again after it, and keys independently', () => {
    let t = 1_000;
    const d = new Dedup(() => t);
    expect(d.admit('job-failed:j1:a1', 60_000)).toBe(true);
    expect(d.admit('job-failed:j1:a1', 60_000)).toBe(false);
    expect(d.admit('job-failed:j1:a2', 60_000)).toBe(true);
    t += 59_999;
    expect(d.admit('job-failed:j1:a1', 60_000)).toBe(false);
    t += 1;
    expect(d.admit('job-failed:j1:a1', 60_000)).toBe(true);
  });
});

describe('ChannelBucket', () => {
  it('lets a burst through, then refills at perHour, and says when the next token comes', () => {
    let t = 0;
    const b = new ChannelBucket({ perHour: 60, burst: 3 }, () => t);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    expect(b.msUntilToken()).toBe(60_000);
    t += 30_000;
    expect(b.take()).toBe(false);
    expect(b.msUntilToken()).toBe(30_000);
    t += 30_000;
    expect(b.take()).toBe(true);
    // A long quiet period refills only up to the burst.
    t += 10 * 3_600_000;
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
  });

  it('counts what it holds back, keeps the first five titles and whether any was critical, and drains', () => {
    const b = new ChannelBucket({ perHour: 1, burst: 1 }, () => 0);
    for (let i = 1; i <= 7; i++) b.hold(`alert ${i}`, i === 6);
    expect(b.held).toEqual({ count: 7, titles: ['alert 1', 'alert 2', 'alert 3', 'alert 4', 'alert 5'], critical: true });
    expect(b.drainHeld().count).toBe(7);
    expect(b.held).toEqual({ count: 0, titles: [], critical: false });
  });

  it('a lower limit applies at once without inventing tokens', () => {
    const b = new ChannelBucket({ perHour: 60, burst: 10 }, () => 0);
    b.setLimits({ perHour: 60, burst: 2 });
    expect([b.take(), b.take(), b.take()]).toEqual([true, true, false]);
  });
});
