// Disposables: one shape for "undo this registration" (listeners, timers, streams), and a store that disposes many at once.

export interface Disposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Collects disposables and disposes them all once (later additions to a disposed store are disposed at once). */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  add<T extends Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.items.add(d);
    return d;
  }

  /** Adds an event listener and returns its disposable. */
  listen<K extends string>(
    target: { addEventListener(k: K, f: () => void, o?: { once?: boolean }): void; removeEventListener(k: K, f: () => void): void },
    kind: K,
    fn: () => void,
  ): Disposable {
    target.addEventListener(kind, fn);
    return this.add(toDisposable(() => target.removeEventListener(kind, fn)));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const d of this.items) {
      try {
        d.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    this.items.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed');
  }
}
