// lazyLoad: nothing runs until the first call, concurrent callers share one load, and a failed load is tried again.
import { describe, expect, it } from 'vitest';
import { lazyLoad } from '../../../common/base/lazy-load';

describe('lazyLoad', () => {
  it('starts on the first call only and shares one promise', async () => {
    let loads = 0;
    const get = lazyLoad(async () => ({ n: ++loads }));
    expect(get.started).toBe(false);
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(loads).toBe(1);
    expect(get.started).toBe(true);
  });

  it('drops a failed load so the next call tries again', async () => {
    let calls = 0;
    const get = lazyLoad(async () => {
      calls++;
      if (calls === 1) throw new Error('transient');
      return 'ok';
    });
    await expect(get()).rejects.toThrow('transient');
    expect(get.started).toBe(false);
    expect(await get()).toBe('ok');
    expect(calls).toBe(2);
  });
});
