// Group commit for the DB worker: small writes that arrive together (a burst of message appends, job log lines,
// usage rows) commit in ONE transaction instead of one each. In WAL mode every commit appends each page it dirtied
// (the table leaf, its index, FTS5's new segment and structure record), and under SQLCipher each of those frames
// is encrypted and HMAC-SHA512-signed; N writes that touch the same pages in one commit write them once. This is
// the lever for the encrypted store's insert rate that keeps the file a standard SQLCipher 4 database (no cipher
// setting changes). Each request keeps its own outcome: it runs under its own SAVEPOINT, so one that fails rolls
// back alone and the others still commit; replies are sent only after the commit, so "ok" still means durable.
// Ordering: any other request flushes the pending group first (flushNow), so a read never misses a write that was
// sent before it.
import type { Database } from './sqlite';

interface Pending {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled: ReturnType<typeof setImmediate> | undefined;

  /**
   * @param db the open connection (a function: the worker re-opens it on restore/rekey)
   * @param maxGroup most writes per transaction, so one huge burst does not hold the write lock for long
   */
  constructor(
    private readonly db: () => Database,
    private readonly maxGroup = 500,
  ) {}

  /** Queues `fn` for the next group (flushed on the next turn of the event loop, after the messages already read). */
  submit<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.scheduled ??= setImmediate(() => {
        this.scheduled = undefined;
        this.flushNow();
      });
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Commits everything queued now (called before any request that is not grouped, and on shutdown). */
  flushNow(): void {
    while (this.queue.length) this.commit(this.queue.splice(0, this.maxGroup));
  }

  private commit(group: Pending[]): void {
    let db: Database;
    try {
      db = this.db(); // throws when the store is closed (locked, restoring)
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const p of group) {
          db.exec('SAVEPOINT group_write');
          try {
            const value = p.fn();
            db.exec('RELEASE group_write');
            outcomes.push({ ok: true, value });
          } catch (error) {
            db.exec('ROLLBACK TO group_write');
            db.exec('RELEASE group_write');
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      // The commit itself failed (disk full, I/O): nothing of the group is stored, every caller hears it.
      for (const p of group) p.reject(error);
      return;
    }
    group.forEach((p, i) => {
      const o = outcomes[i];
      if (o?.ok) p.resolve(o.value);
      else p.reject(o?.error);
    });
  }
}
