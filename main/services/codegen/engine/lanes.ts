// Runs a generation's model tasks (the model-written tests, then the candidates in order) on at most `parallel` lanes
// at once: each lane is one KV sequence of the local model, and llama.cpp batches the decode steps of the sequences
// that generate together, so k candidates cost far less than k times one. The first failure stops the rest.
import { isEvolveError } from '../../../../common/errors';

export interface LaneTask<T> {
  /** Runs on a free lane; `signal` aborts when the caller cancels or another task failed. */
  run(lane: number, signal: AbortSignal): Promise<T>;
  /** Checked when a lane frees up for this task: true leaves it unstarted (its result is undefined). */
  skip?(): boolean;
}

/**
 * Results in task order (undefined for skipped tasks). Tasks start in order, so once `skip` stays true the skipped
 * ones are a suffix. On a failure no further task starts, the running ones are aborted and awaited, and the first
 * error that is not a consequence of that abort is thrown.
 */
export async function runOnLanes<T>(tasks: readonly LaneTask<T>[], parallel: number, signal?: AbortSignal): Promise<(T | undefined)[]> {
  const ac = new AbortController();
  const laneSignal = signal ? AbortSignal.any([signal, ac.signal]) : ac.signal;
  const results: (T | undefined)[] = new Array<T | undefined>(tasks.length).fill(undefined);
  const free = Array.from({ length: Math.max(1, parallel) }, (_, i) => i);
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (const [i, task] of tasks.entries()) {
    while (free.length === 0) await Promise.race(running);
    if (failure || laneSignal.aborted) break;
    if (task.skip?.()) continue;
    const lane = free.shift()!;
    const p: Promise<void> = task
      .run(lane, laneSignal)
      .then(
        (r) => {
          results[i] = r;
        },
        (e: unknown) => {
          // A sibling's CANCELLED after our own abort is the echo of the first failure, not a new one.
          const echo = ac.signal.aborted && isEvolveError(e) && e.code === 'CANCELLED';
          if (!failure && !echo) failure = { error: e };
          ac.abort();
        },
      )
      .finally(() => {
        free.push(lane);
        running.delete(p);
      });
    running.add(p);
  }
  await Promise.all(running);
  if (failure) throw failure.error;
  return results;
}
