// WorkScheduler: interactive work pre-empts background batches, which resume after the hold; user pause; cancel; snapshot.
import { describe, expect, it } from 'vitest';
import { WorkScheduler } from '../../../main/platform/work-scheduler';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A background loop of `n` batches that records which batches ran while interactive work was active. */
async function backgroundLoop(s: WorkScheduler, n: number, log: string[], signal?: AbortSignal) {
  const task = s.background('index:p1', 'Indexing p1');
  try {
    for (let i = 0; i < n; i++) {
      await task.turn(signal);
      log.push(`batch ${i}${s.snapshot().interactive.length ? ' DURING INTERACTIVE' : ''}`);
      await sleep(5);
    }
  } finally {
    task.dispose();
  }
}

describe('WorkScheduler', () => {
  it('runs no background batch while interactive work runs, and resumes after it ends', async () => {
    const s = new WorkScheduler({ holdMs: 20 });
    const log: string[] = [];
    const chat = s.beginInteractive('chat');
    const loop = backgroundLoop(s, 3, log);
    await sleep(60);
    expect(log).toEqual([]);
    expect(s.snapshot().background).toEqual([{ id: 'index:p1', label: 'Indexing p1', state: 'waiting' }]);
    chat.dispose();
    await loop;
    expect(log).toEqual(['batch 0', 'batch 1', 'batch 2']);
    expect(s.snapshot()).toEqual({ interactive: [], background: [], paused: false });
  });

  it('the user pause holds background work even without interactive work; resume lets it finish', async () => {
    const s = new WorkScheduler({ holdMs: 0 });
    const log: string[] = [];
    s.setPaused(true);
    const loop = backgroundLoop(s, 2, log);
    await sleep(30);
    expect(log).toEqual([]);
    expect(s.snapshot().background[0]?.state).toBe('paused');
    s.setPaused(false);
    await loop;
    expect(log).toHaveLength(2);
  });

  it('a cancelled background task stops waiting with CANCELLED', async () => {
    const s = new WorkScheduler();
    const ctl = new AbortController();
    const chat = s.beginInteractive('completion');
    const loop = backgroundLoop(s, 1, [], ctl.signal);
    ctl.abort();
    await expect(loop).rejects.toMatchObject({ code: 'CANCELLED' });
    chat.dispose();
  });

  it('interactive() marks work for the duration of the call, even when it throws', async () => {
    const s = new WorkScheduler({ holdMs: 0 });
    await expect(
      s.interactive('chat', async () => {
        expect(s.snapshot().interactive).toEqual(['chat']);
        throw new Error('model failed');
      }),
    ).rejects.toThrow('model failed');
    expect(s.snapshot().interactive).toEqual([]);
  });

  it('refuses two registrations under one id', () => {
    const s = new WorkScheduler();
    const t = s.background('backup', 'Backup');
    expect(() => s.background('backup', 'Backup')).toThrow(/already registered/);
    t.dispose();
  });
});
