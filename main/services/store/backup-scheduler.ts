// Optional scheduled backups: every `intervalMs`, a timestamped encrypted backup in `dir`, keeping the newest `keep`.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EvolveError } from '../../../common/errors';

export interface BackupSchedulerOptions {
  dir: string;
  intervalMs: number;
  /** Backups to keep (oldest deleted first); at least 1. */
  keep: number;
  /** Writes one backup to `path` (StoreClient.backup in the app). */
  backup: (path: string) => Promise<unknown>;
  prefix?: string;
  onResult?: (r: { ok: true; path: string } | { ok: false; error: unknown }) => void;
  now?: () => Date;
}

export class BackupScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string> | undefined;
  private readonly prefix: string;

  constructor(private readonly o: BackupSchedulerOptions) {
    if (!Number.isFinite(o.intervalMs) || o.intervalMs < 1)
      throw new EvolveError('INVALID_ARGUMENT', 'intervalMs must be a positive number');
    if (!Number.isInteger(o.keep) || o.keep < 1) throw new EvolveError('INVALID_ARGUMENT', 'keep must be a positive integer');
    this.prefix = o.prefix ?? 'evolve-backup-';
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runNow().catch(() => undefined);
    }, this.o.intervalMs);
    // A scheduled backup never keeps the process alive on its own.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs one backup now (a run already in progress is shared, not doubled), then prunes. Resolves with its path. */
  runNow(): Promise<string> {
    if (this.running) return this.running;
    const stamp = (this.o.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const path = join(this.o.dir, `${this.prefix}${stamp}.db`);
    this.running = (async () => {
      try {
        await this.o.backup(path);
        this.prune();
        this.o.onResult?.({ ok: true, path });
        return path;
      } catch (error) {
        this.o.onResult?.({ ok: false, error });
        throw error;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Backups made by this scheduler, oldest first (ISO timestamps sort as text). */
  list(): string[] {
    return readdirSync(this.o.dir)
      .filter((f) => f.startsWith(this.prefix) && f.endsWith('.db'))
      .sort()
      .map((f) => join(this.o.dir, f));
  }

  private prune(): void {
    const all = this.list();
    for (const p of all.slice(0, Math.max(0, all.length - this.o.keep))) rmSync(p, { force: true });
  }
}
