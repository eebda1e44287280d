// A module (or anything costly) loaded on first use: one shared promise, retried after a failure instead of remembered.
export type LazyLoad<T> = (() => Promise<T>) & {
  /** True once a load has been started (and has not failed): lets a test prove nothing was loaded eagerly. */
  readonly started: boolean;
};

/**
 * Wraps `load` (typically `() => import('some-sdk')`) so the first caller starts it and every later caller shares the
 * same promise. A rejected load is dropped, so a later call tries again (a transient failure is not cached forever).
 */
export function lazyLoad<T>(load: () => Promise<T>): LazyLoad<T> {
  let pending: Promise<T> | undefined;
  const get = (): Promise<T> => {
    pending ??= load().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
  return Object.defineProperty(get, 'started', { get: () => pending !== undefined }) as LazyLoad<T>;
}
