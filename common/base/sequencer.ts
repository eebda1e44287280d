// Runs async tasks one at a time, in the order they were queued — the one lock helper (no hand-written promise chains).

/**
 * A queue of async tasks that never overlap. A failed task rejects its own caller only; the tasks after it still run.
 * (VS Code's `Sequencer`.)
 */
export class Sequencer {
  private tail: Promise<unknown> = Promise.resolve();

  queue<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

/** One Sequencer per key (e.g. per job id), dropped again when its queue drains so the map does not grow forever. */
export class SequencerByKey<K> {
  private readonly tails = new Map<K, Promise<unknown>>();

  queue<T>(key: K, task: () => Promise<T> | T): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const run = prev.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /** Keys with queued or running work (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
