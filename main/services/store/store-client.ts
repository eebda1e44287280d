// Main-side client of the DB worker: typed methods over a WorkerSupervisor; reopens the database after a worker restart.
import { EvolveError } from '../../../common/errors';
import type { AuditEvent } from '../../../common/store/audit';
import { BackupProgressSchema, StoreRequests, type StoreMethod, type StoreParams, type StoreResult } from '../../../common/store/requests';
import type { RequestOptions, WorkerSupervisor } from '../../supervisors/worker-supervisor';

export interface StoreClientOptions {
  supervisor: WorkerSupervisor;
  /** Absolute path of the database file. */
  path: string;
  /**
   * Returns the raw key (64 hex) when the worker needs it: at open and again after a crash restart. The client never
   * keeps the key itself, so it lives in main only for the moment it is handed over.
   */
  keyProvider: () => Promise<string>;
  synchronous?: 'NORMAL' | 'FULL';
  slowQueryMs?: number;
  verify?: 'full' | 'none';
  /** Validate results against their schemas (on in tests; costs a little per call). */
  validateResults?: boolean;
}

export class StoreClient {
  private opening: Promise<StoreResult<'open'>> | undefined;
  private wantOpen = false;
  private readonly offReady: () => void;
  private readonly reopenListeners = new Set<(r: Promise<StoreResult<'open'>>) => void>();

  constructor(private readonly o: StoreClientOptions) {
    // After a crash the supervisor starts a fresh worker with nothing open: reopen it before requests reach it.
    this.offReady = o.supervisor.onReady(() => {
      if (!this.wantOpen || this.opening) return;
      const p = this.doOpen();
      for (const cb of this.reopenListeners) cb(p);
    });
  }

  /** Called with the reopen promise each time the worker is reopened after a restart. */
  onReopen(cb: (r: Promise<StoreResult<'open'>>) => void): () => void {
    this.reopenListeners.add(cb);
    return () => this.reopenListeners.delete(cb);
  }

  /** Starts the worker if needed and opens (creating and migrating) the database. */
  async open(): Promise<StoreResult<'open'>> {
    await this.o.supervisor.start();
    this.wantOpen = true;
    return this.opening ?? this.doOpen();
  }

  private doOpen(): Promise<StoreResult<'open'>> {
    const p = (async () => {
      const key = await this.o.keyProvider();
      return this.o.supervisor.request<StoreResult<'open'>>('open', {
        path: this.o.path,
        key,
        synchronous: this.o.synchronous ?? 'FULL',
        slowQueryMs: this.o.slowQueryMs ?? 50,
        verify: this.o.verify ?? 'full',
      });
    })();
    this.opening = p;
    p.then(
      () => (this.opening = undefined),
      () => {
        this.opening = undefined;
        this.wantOpen = false;
      },
    );
    return p;
  }

  /** Sends one typed request. Waits for a reopen in progress so a request never reaches an unopened worker. */
  async call<M extends Exclude<StoreMethod, 'open'>>(method: M, params: StoreParams<M>, ro?: RequestOptions): Promise<StoreResult<M>> {
    if (this.opening) await this.opening.catch(() => undefined);
    const value = await this.o.supervisor.request<unknown>(method, params, ro);
    if (!this.o.validateResults) return value as StoreResult<M>;
    const r = StoreRequests[method].result.safeParse(value);
    if (!r.success) throw new EvolveError('INTERNAL', `store.${method} returned a malformed result`, { issues: r.error.issues.length });
    return r.data as StoreResult<M>;
  }

  appendAudit(ev: AuditEvent & { at?: number }): Promise<StoreResult<'audit.append'>> {
    return this.call('audit.append', ev);
  }

  backup(
    path: string,
    opts: {
      overwrite?: boolean;
      pagesPerStep?: number;
      onProgress?: (p: { totalPages: number; remainingPages: number }) => void;
      signal?: AbortSignal;
    } = {},
  ) {
    return this.call(
      'backup',
      { path, overwrite: opts.overwrite ?? false, ...(opts.pagesPerStep ? { pagesPerStep: opts.pagesPerStep } : {}) },
      {
        signal: opts.signal,
        onEvent: (d) => {
          const r = BackupProgressSchema.safeParse(d);
          if (r.success) opts.onProgress?.(r.data);
        },
      },
    );
  }

  /**
   * Restores `backupPath` (encrypted with `backupKey`, default the current key) over the database, which need not be
   * open: this is the way out of a CORRUPT error at open. The old file is kept aside.
   */
  async restore(backupPath: string, backupKey?: string): Promise<StoreResult<'restore'>> {
    await this.o.supervisor.start();
    const status = await this.o.supervisor.request<StoreResult<'status'>>('status', {});
    const target = status.open
      ? undefined
      : {
          path: this.o.path,
          key: await this.o.keyProvider(),
          synchronous: this.o.synchronous ?? 'FULL',
          slowQueryMs: this.o.slowQueryMs ?? 50,
        };
    const r = await this.o.supervisor.request<StoreResult<'restore'>>('restore', {
      path: backupPath,
      ...(backupKey ? { key: backupKey } : {}),
      ...(target ? { target } : {}),
    });
    this.wantOpen = true;
    return r;
  }

  /** Closes the database and stops the worker. */
  async close(): Promise<void> {
    this.wantOpen = false;
    this.offReady();
    if (this.o.supervisor.state === 'ready') await this.call('close', {}).catch(() => undefined);
    await this.o.supervisor.stop();
  }
}
