// Redaction off the main thread: sends each preview to the redaction worker thread, bounds its size and time, and
// replaces the thread when it dies or overruns. Fails closed: no answer means nothing is sent.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EvolveError, type ErrorInfo } from '../../../common/errors';
import { RedactResponseSchema } from '../../../native/redact/protocol';
import {
  assertRedactableSize,
  MAX_REDACTION_INPUT_BYTES,
  previewTexts,
  type PreviewInput,
  type SendPreview,
} from '../../../native/redact/session';

/** What the router needs from redaction; the sync Redactor satisfies it too (tests, the worker itself). */
export interface RedactionService {
  preview(input: PreviewInput): SendPreview | Promise<SendPreview>;
}

export interface WorkerRedactorOptions {
  /** Per request; linear detectors take well under a second for the largest accepted input. */
  timeoutMs?: number;
  maxInputBytes?: number;
  /** Overrides where the worker's entry is (tests); default: the bundled .cjs next to bundled main, else the TS source. */
  entry?: string;
}

interface Pending {
  resolve: (v: SendPreview) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

/** Bundled main (out/main/*.cjs) loads out/native/redact/worker.cjs; from source the TS file runs through tsx. */
function spawn(entry: string | undefined): Worker {
  const bundled = path.join(__dirname, '..', 'native', 'redact', 'worker.cjs');
  if (entry === undefined && __filename.endsWith('.cjs') && existsSync(bundled)) return new Worker(bundled);
  const source = entry ?? path.resolve(__dirname, '../../../native/redact/worker.ts');
  if (source.endsWith('.cjs') || source.endsWith('.js')) return new Worker(source);
  const boot = `require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`;
  return new Worker(boot, { eval: true });
}

const fromInfo = (e: ErrorInfo) => new EvolveError(e.code, e.message, e.details);

export class WorkerRedactor implements RedactionService {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly maxInputBytes: number;

  constructor(private readonly opts: WorkerRedactorOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxInputBytes = opts.maxInputBytes ?? MAX_REDACTION_INPUT_BYTES;
  }

  preview(input: PreviewInput): Promise<SendPreview> {
    // Refuse oversize requests here, before copying megabytes to the thread.
    try {
      assertRedactableSize(previewTexts(input), this.maxInputBytes);
    } catch (e) {
      return Promise.reject(e);
    }
    const w = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<SendPreview>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          new EvolveError('TIMEOUT', `Redaction did not finish within ${this.timeoutMs} ms; nothing was sent`, {
            timeoutMs: this.timeoutMs,
          }),
        );
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      w.ref();
      w.postMessage({ id, input });
    });
  }

  /** Stops the thread; pending requests fail with CANCELLED. */
  async close(): Promise<void> {
    const w = this.worker;
    this.fail(new EvolveError('CANCELLED', 'Redaction stopped'));
    if (w) await w.terminate();
  }

  /** The thread's id while one runs (tests use it to see that a dead thread was replaced). */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = spawn(this.opts.entry);
    w.on('message', (raw: unknown) => this.onMessage(raw));
    w.on('error', (e) => {
      if (this.worker === w) this.fail(new EvolveError('UNAVAILABLE', `The redaction worker failed: ${e.message}; nothing was sent`));
    });
    w.on('exit', (code) => {
      if (this.worker === w) this.fail(new EvolveError('UNAVAILABLE', `The redaction worker exited (code ${code}); nothing was sent`));
    });
    this.worker = w;
    return w;
  }

  private onMessage(raw: unknown): void {
    const parsed = RedactResponseSchema.safeParse(raw);
    if (!parsed.success) {
      this.fail(new EvolveError('INTERNAL', `The redaction worker answered something malformed: ${parsed.error.issues[0]?.message ?? ''}`));
      return;
    }
    const { id, result } = parsed.data;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.worker?.unref();
    if (result.ok) p.resolve(result.value as SendPreview);
    else p.reject(fromInfo(result.error));
  }

  /** Rejects everything pending and drops the thread; the next request starts a fresh one. */
  private fail(err: EvolveError): void {
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    if (w) void w.terminate();
  }
}
