// One scheduler for the machine's cores: interactive work (chat, completion, the user's generation) pre-empts
// background work (indexing, embeddings, evals, backups), which waits between its batches and resumes by itself; the
// user sees what runs and can pause background work.
import { toDisposable, type Disposable } from '../../common/base/disposable';
import { EvolveError } from '../../common/errors';

export type BackgroundState = 'running' | 'waiting' | 'paused';

export interface WorkSnapshot {
  /** Interactive work in progress now (labels, e.g. "chat", "completion"). */
  interactive: string[];
  background: { id: string; label: string; state: BackgroundState }[];
  /** The user paused all background work. */
  paused: boolean;
}

export interface BackgroundTask extends Disposable {
  /** Resolves when this task may run its next batch; rejects with CANCELLED when `signal` aborts while waiting. */
  turn(signal?: AbortSignal): Promise<void>;
  /** Why this task is not running now, or 'running'. */
  readonly state: BackgroundState;
}

export interface WorkSchedulerOptions {
  /**
   * How long background work keeps waiting after the last interactive task ends: completions arrive every few hundred
   * ms while the user types, and resuming an index batch between two of them would delay the next one.
   */
  holdMs?: number;
}

export class WorkScheduler {
  private readonly active = new Map<number, string>();
  private readonly tasks = new Map<string, { label: string; state: BackgroundState }>();
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  private pausedAll = false;
  private lastInteractiveEnd = 0;
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: WorkSchedulerOptions = {}) {}

  /** True while interactive work runs (or ended less than `holdMs` ago). */
  get interactiveActive(): boolean {
    return this.active.size > 0 || Date.now() - this.lastInteractiveEnd < (this.o.holdMs ?? 400);
  }

  /** Marks interactive work for the duration of `fn`. */
  async interactive<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const d = this.beginInteractive(label);
    try {
      return await fn();
    } finally {
      d.dispose();
    }
  }

  /** Marks interactive work until the returned disposable is disposed (for streams that end elsewhere). */
  beginInteractive(label: string): Disposable {
    const id = this.nextId++;
    this.active.set(id, label);
    this.changed();
    return toDisposable(() => {
      this.active.delete(id);
      if (this.active.size === 0) {
        this.lastInteractiveEnd = Date.now();
        // Wake the waiters once the hold has passed.
        clearTimeout(this.holdTimer);
        this.holdTimer = setTimeout(() => this.changed(), (this.o.holdMs ?? 400) + 5);
        this.holdTimer.unref?.();
      }
      this.changed();
    });
  }

  /** Registers background work; call `turn()` before each batch. Dispose when the work ends. */
  background(id: string, label: string): BackgroundTask {
    if (this.tasks.has(id)) throw new EvolveError('CONFLICT', `Background work ${id} is already registered`);
    const entry = { label, state: 'running' as BackgroundState };
    this.tasks.set(id, entry);
    this.changed();
    const turn = async (signal?: AbortSignal): Promise<void> => {
      for (;;) {
        if (signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
        const state: BackgroundState = this.pausedAll ? 'paused' : this.interactiveActive ? 'waiting' : 'running';
        if (entry.state !== state) {
          entry.state = state;
          this.changed();
        }
        if (state === 'running') return;
        await this.nextChange(signal);
      }
    };
    return {
      turn,
      get state() {
        return entry.state;
      },
      dispose: () => {
        if (this.tasks.get(id) === entry) this.tasks.delete(id);
        this.changed();
      },
    };
  }

  /** The user's pause for all background work (interactive work is never paused). */
  setPaused(paused: boolean): void {
    this.pausedAll = paused;
    this.changed();
  }

  snapshot(): WorkSnapshot {
    return {
      interactive: [...this.active.values()],
      background: [...this.tasks].map(([id, t]) => ({ id, label: t.label, state: t.state })),
      paused: this.pausedAll,
    };
  }

  onChange(fn: () => void): Disposable {
    this.listeners.add(fn);
    return toDisposable(() => this.listeners.delete(fn));
  }

  private nextChange(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters.delete(done);
        reject(new EvolveError('CANCELLED', 'Cancelled'));
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private changed(): void {
    for (const w of [...this.waiters]) w();
    for (const l of this.listeners) l();
  }
}
