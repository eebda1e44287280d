// Sequencer, SequencerByKey, Limiter, DisposableStore and CoalescingSender: ordering, isolation of failures, bounds, cancel.
import { describe, expect, it } from 'vitest';
import { CoalescingSender, LatestValueSender } from '../../../common/base/coalescing-sender';
import { DisposableStore, toDisposable } from '../../../common/base/disposable';
import { Limiter } from '../../../common/base/limiter';
import { Sequencer, SequencerByKey } from '../../../common/base/sequencer';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('Sequencer', () => {
  it('never overlaps tasks and keeps their order, even when one fails', async () => {
    const seq = new Sequencer();
    const log: string[] = [];
    let running = 0;
    const task =
      (name: string, fail = false) =>
      async () => {
        running += 1;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        running -= 1;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([seq.queue(task('a')), seq.queue(task('b', true)), seq.queue(task('c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('read-modify-write through it loses no update', async () => {
    const seq = new Sequencer();
    let value = 0;
    await Promise.all(
      Array.from({ length: 50 }, () =>
        seq.queue(async () => {
          const v = value;
          await tick();
          value = v + 1;
        }),
      ),
    );
    expect(value).toBe(50);
  });
});

describe('SequencerByKey', () => {
  it('serialises per key, runs different keys side by side, and forgets drained keys', async () => {
    const seq = new SequencerByKey<string>();
    const active = new Map<string, number>();
    let maxTogether = 0;
    const work = (k: string) =>
      seq.queue(k, async () => {
        active.set(k, (active.get(k) ?? 0) + 1);
        expect(active.get(k)).toBe(1);
        maxTogether = Math.max(
          maxTogether,
          [...active.values()].reduce((a, b) => a + b, 0),
        );
        await tick();
        active.set(k, (active.get(k) ?? 1) - 1);
      });
    await Promise.all([work('a'), work('a'), work('b'), work('b')]);
    expect(maxTogether).toBe(2);
    await tick();
    expect(seq.size).toBe(0);
  });
});

describe('Limiter', () => {
  it('runs at most N at once and refuses past the queue bound', async () => {
    const lim = new Limiter({ concurrency: 2, maxQueue: 1 });
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const task = () =>
      lim.queue(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => release.push(r));
        running -= 1;
      });
    const runs = [task(), task(), task()];
    await expect(task()).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(lim.stats).toEqual({ running: 2, queued: 1 });
    let settled = false;
    const all = Promise.all(runs).then(() => (settled = true));
    while (!settled) {
      release.splice(0).forEach((r) => r());
      await tick();
    }
    await all;
    expect(peak).toBe(2);
  });

  it('a waiting task cancelled by its signal never runs', async () => {
    const lim = new Limiter({ concurrency: 1 });
    let release!: () => void;
    const first = lim.queue(() => new Promise<void>((r) => (release = r)));
    const ctl = new AbortController();
    let ran = false;
    const second = lim.queue(() => void (ran = true), ctl.signal);
    ctl.abort();
    await expect(second).rejects.toMatchObject({ code: 'CANCELLED' });
    release();
    await first;
    expect(ran).toBe(false);
    expect(lim.stats).toEqual({ running: 0, queued: 0 });
  });
});

describe('DisposableStore', () => {
  it('disposes everything once, keeps going past a failure, and disposes late additions at once', () => {
    const store = new DisposableStore();
    const calls: string[] = [];
    store.add(toDisposable(() => calls.push('a')));
    store.add(
      toDisposable(() => {
        throw new Error('boom');
      }),
    );
    store.add(toDisposable(() => calls.push('c')));
    expect(() => store.dispose()).toThrow('boom');
    store.dispose();
    expect(calls).toEqual(['a', 'c']);
    store.add(toDisposable(() => calls.push('late')));
    expect(calls).toEqual(['a', 'c', 'late']);
  });

  it('removes listeners it added', () => {
    const target = new EventTarget();
    const store = new DisposableStore();
    let n = 0;
    store.listen(target, 'ping', () => (n += 1));
    target.dispatchEvent(new Event('ping'));
    store.dispose();
    target.dispatchEvent(new Event('ping'));
    expect(n).toBe(1);
  });
});

describe('CoalescingSender', () => {
  it('merges pieces while the receiver is behind, in order, and sends far fewer times than pushed', async () => {
    const received: string[] = [];
    let gate: (() => void) | null = null;
    const sender = new CoalescingSender(async (text) => {
      received.push(text);
      await new Promise<void>((r) => (gate = r));
    });
    const pieces = Array.from({ length: 1000 }, (_, i) => `t${i} `);
    for (const p of pieces) sender.push(p);
    // The receiver is slow: release it a few times.
    const done = sender.flush();
    for (let i = 0; i < 5 && gate; i++) {
      const g: () => void = gate;
      gate = null;
      g();
      await tick();
    }
    (gate as (() => void) | null)?.();
    await done;
    expect(received.join('')).toBe(pieces.join(''));
    expect(received.length).toBeLessThanOrEqual(3);
  });

  it('reports the first send failure from flush and drops what is pending', async () => {
    const sender = new CoalescingSender(async () => {
      throw new Error('receiver gone');
    });
    sender.push('a');
    sender.push('b');
    await expect(sender.flush()).rejects.toThrow('receiver gone');
  });
});

describe('LatestValueSender', () => {
  it('while the receiver is behind only the newest value waits, and the last value always arrives', async () => {
    const received: number[] = [];
    let gate: (() => void) | null = null;
    const sender = new LatestValueSender<number>(async (v) => {
      received.push(v);
      await new Promise<void>((r) => (gate = r));
    });
    for (let i = 1; i <= 100; i++) sender.push(i);
    const done = sender.flush();
    while (received.at(-1) !== 100) {
      (gate as (() => void) | null)?.();
      await tick();
    }
    (gate as (() => void) | null)?.();
    await done;
    expect(received).toEqual([1, 100]);
  });
});
