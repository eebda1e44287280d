// Flow control: emit waits once the window is used up, resumes on acks, and cancel releases waiters.
import { describe, expect, it } from 'vitest';
import { StreamCredits } from '../../../main/ipc/stream-credits';

describe('StreamCredits', () => {
  it('blocks after the window and resumes exactly as many as granted', async () => {
    const c = new StreamCredits(2);
    await c.take();
    await c.take();
    let resumed = 0;
    const waiters = [c.take().then(() => resumed++), c.take().then(() => resumed++), c.take().then(() => resumed++)];
    await new Promise((r) => setTimeout(r, 10));
    expect(resumed).toBe(0);
    c.grant(2);
    await new Promise((r) => setTimeout(r, 10));
    expect(resumed).toBe(2);
    expect(c.available).toBe(0);
    c.grant(5);
    await Promise.all(waiters);
    expect(resumed).toBe(3);
    expect(c.available).toBe(4);
  });

  it('rejects waiting and later takes with CANCELLED once cancelled', async () => {
    const c = new StreamCredits(0);
    const waiting = c.take();
    c.cancel();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(c.take()).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
