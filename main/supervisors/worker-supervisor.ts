// Starts a worker process, matches requests to answers, reports crashes with their reason and restarts
// the worker with backoff (VS Code's UtilityProcess / Signal's MainSQL are the model).
import { EvolveError, toErrorInfo } from '../../common/errors';
import { WorkerToParentSchema, type ParentToWorker } from '../../native/rpc/protocol';
import type { SpawnWorker, WorkerExit, WorkerProcess } from './worker-process';

export type SupervisorState = 'idle' | 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

export interface CrashInfo {
  worker: string;
  /** Human-readable cause: exit code, signal and the tail of stderr. */
  reason: string;
  exit: WorkerExit;
  /** Whether the supervisor is restarting the worker. */
  restarting: boolean;
  restartCount: number;
}

export interface SupervisorOptions {
  name: string;
  spawn: SpawnWorker;
  /** Restarts allowed inside `restartWindowMs` before giving up (state `failed`). */
  maxRestarts?: number;
  restartWindowMs?: number;
  readyTimeoutMs?: number;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, data?: unknown) => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  onEvent?: (data: unknown) => void;
  timeoutMs?: number;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  onEvent?: (data: unknown) => void;
}

export class WorkerSupervisor {
  private proc: WorkerProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly crashListeners = new Set<(c: CrashInfo) => void>();
  private readonly readyListeners = new Set<(info: unknown) => void>();
  private restarts: number[] = [];
  private stderrTail = '';
  private readyPromise: Promise<unknown> | undefined;
  private _state: SupervisorState = 'idle';
  private _readyInfo: unknown;

  constructor(private readonly opts: SupervisorOptions) {}

  get state(): SupervisorState {
    return this._state;
  }
  get readyInfo(): unknown {
    return this._readyInfo;
  }
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  onCrash(cb: (c: CrashInfo) => void): () => void {
    this.crashListeners.add(cb);
    return () => this.crashListeners.delete(cb);
  }
  onReady(cb: (info: unknown) => void): () => void {
    this.readyListeners.add(cb);
    return () => this.readyListeners.delete(cb);
  }

  /** Starts the worker (idempotent) and resolves with its ready info; during a restart, waits for it. */
  start(): Promise<unknown> {
    if (this._state === 'ready') return Promise.resolve(this._readyInfo);
    if (this.readyPromise && (this._state === 'starting' || this._state === 'restarting')) return this.readyPromise;
    if (this._state === 'stopped' || this._state === 'failed') this.restarts = [];
    this._state = 'starting';
    this.readyPromise = this.launch();
    return this.readyPromise;
  }

  private launch(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.stderrTail = '';
      const proc = this.opts.spawn();
      this.proc = proc;
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        proc.kill('SIGKILL');
        reject(new EvolveError('TIMEOUT', `${this.opts.name} worker did not become ready in time`));
      }, this.opts.readyTimeoutMs ?? 60_000);
      proc.onStderr((chunk) => {
        this.stderrTail = (this.stderrTail + chunk).slice(-2000);
        this.opts.log?.('warn', `${this.opts.name} stderr: ${chunk.trimEnd()}`);
      });
      proc.onMessage((raw) => {
        const parsed = WorkerToParentSchema.safeParse(raw);
        if (!parsed.success) return this.opts.log?.('warn', `${this.opts.name}: malformed message from worker`);
        const msg = parsed.data;
        if (msg.t === 'ready') {
          this._state = 'ready';
          this._readyInfo = msg.info;
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve(msg.info);
          }
          for (const cb of this.readyListeners) cb(msg.info);
        } else if (msg.t === 'event') {
          this.pending.get(msg.id)?.onEvent?.(msg.data);
        } else if (msg.t === 'res') {
          const p = this.pending.get(msg.id);
          if (!p) return;
          this.pending.delete(msg.id);
          if (msg.result.ok) p.resolve(msg.result.value);
          else p.reject(new EvolveError(msg.result.error.code, msg.result.error.message, msg.result.error.details));
        } else {
          this.opts.log?.(msg.level, `${this.opts.name}: ${msg.msg}`, msg.data);
        }
      });
      proc.onExit((exit) => {
        clearTimeout(timer);
        if (this.proc === proc) this.proc = undefined;
        if (this._state === 'stopped') return;
        const reason = describeExit(this.opts.name, exit, this.stderrTail);
        if (!settled) {
          settled = true;
          reject(new EvolveError('UNAVAILABLE', reason));
        }
        this.handleCrash(exit, reason);
      });
    });
  }

  private handleCrash(exit: WorkerExit, reason: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new EvolveError('UNAVAILABLE', reason));
    }
    const now = Date.now();
    const windowMs = this.opts.restartWindowMs ?? 60_000;
    this.restarts = this.restarts.filter((t) => now - t < windowMs);
    const restarting = this.restarts.length < (this.opts.maxRestarts ?? 3);
    const info: CrashInfo = { worker: this.opts.name, reason, exit, restarting, restartCount: this.restarts.length };
    for (const cb of this.crashListeners) cb(info);
    if (!restarting) {
      this._state = 'failed';
      return;
    }
    this.restarts.push(now);
    this._state = 'restarting';
    const delay = Math.min(250 * 2 ** (this.restarts.length - 1), 5_000);
    // Requests made while restarting wait on this promise instead of failing.
    this.readyPromise = new Promise<void>((resolve) => setTimeout(resolve, delay).unref()).then(() => {
      if (this._state !== 'restarting') throw new EvolveError('UNAVAILABLE', `${this.opts.name} worker is stopped`);
      return this.launch();
    });
    this.readyPromise.catch((e: unknown) => this.opts.log?.('error', toErrorInfo(e).message));
  }

  /** Sends one request; resolves with the worker's value or rejects with an EvolveError. */
  async request<T = unknown>(method: string, params: unknown, ro: RequestOptions = {}): Promise<T> {
    if (this._state === 'failed') throw new EvolveError('UNAVAILABLE', `${this.opts.name} worker has failed too often; restart it`);
    if (this._state === 'stopped') throw new EvolveError('UNAVAILABLE', `${this.opts.name} worker is stopped`);
    if (this._state !== 'ready') await this.start();
    if (ro.signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
    const proc = this.proc;
    if (!proc) throw new EvolveError('UNAVAILABLE', `${this.opts.name} worker is not running`);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        ro.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => proc.send({ t: 'cancel', id } satisfies ParentToWorker);
      const timer = ro.timeoutMs
        ? setTimeout(() => {
            proc.send({ t: 'cancel', id } satisfies ParentToWorker);
            this.pending.delete(id);
            ro.signal?.removeEventListener('abort', onAbort);
            reject(new EvolveError('TIMEOUT', `${this.opts.name}.${method} timed out after ${ro.timeoutMs} ms`));
          }, ro.timeoutMs)
        : undefined;
      ro.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => {
          cleanup();
          resolve(v as T);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
        onEvent: ro.onEvent,
      });
      proc.send({ t: 'req', id, method, params } satisfies ParentToWorker);
    });
  }

  /** Stops the worker for good (no restart). */
  async stop(): Promise<void> {
    this._state = 'stopped';
    const proc = this.proc;
    this.proc = undefined;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new EvolveError('UNAVAILABLE', `${this.opts.name} worker stopped`));
    }
    if (!proc) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        proc.kill('SIGKILL');
        resolve();
      }, 3_000);
      proc.onExit(() => {
        clearTimeout(t);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  }
}

function describeExit(name: string, exit: WorkerExit, stderrTail: string): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
  // Stack frames say little to a user; the error lines around them say what happened.
  const lines = stderrTail
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/^\^+$/.test(l) && !l.startsWith('Node.js v'));
  const tail = lines.slice(-3).join(' | ');
  return `${name} worker ${how}${tail ? `: ${tail}` : ''}`;
}
