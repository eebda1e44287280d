// Worker-side RPC loop: dispatches requests to handlers, streams events, honours cancel. Works under
// Node's child_process.fork (process.send) and Electron's utilityProcess (process.parentPort).
import { toErrorInfo, EvolveError } from '../../common/errors';
import { ParentToWorkerSchema, type WorkerToParent } from './protocol';

export interface RequestContext {
  /** Aborted when the parent cancels this request or the worker shuts down. */
  signal: AbortSignal;
  /** Sends one stream event for this request. */
  emit(data: unknown): void;
}

export type WorkerHandler = (params: unknown, ctx: RequestContext) => Promise<unknown> | unknown;

interface ParentPortLike {
  postMessage(msg: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
}

function parentLink(): { send(msg: WorkerToParent): void; onMessage(cb: (m: unknown) => void): void } {
  const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (port) {
    return { send: (m) => port.postMessage(m), onMessage: (cb) => port.on('message', (e) => cb(e.data)) };
  }
  if (typeof process.send === 'function') {
    return {
      send: (m) => {
        if (process.connected) process.send?.(m);
      },
      onMessage: (cb) => process.on('message', cb),
    };
  }
  throw new Error('serveWorker: not started as a worker (no IPC channel)');
}

/** Sends one log line to the supervisor (which writes it to the app log); usable from any worker code. */
export function workerLog(level: 'debug' | 'info' | 'warn' | 'error', msg: string, data?: unknown): void {
  const m: WorkerToParent = data === undefined ? { t: 'log', level, msg } : { t: 'log', level, msg, data };
  try {
    parentLink().send(m);
  } catch {
    process.stderr.write(`[${level}] ${msg}\n`); // not under a supervisor (a script or a test): stderr still shows it
  }
}

/**
 * Starts serving `handlers`. `readyInfo` is sent once everything is initialised. Exits when the parent
 * goes away so a worker never outlives the app.
 */
export function serveWorker(handlers: Record<string, WorkerHandler>, readyInfo: () => Promise<unknown> | unknown): void {
  const link = parentLink();
  const inflight = new Map<number, AbortController>();
  const send = (m: WorkerToParent) => link.send(m);

  link.onMessage((raw) => {
    const parsed = ParentToWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      send({ t: 'log', level: 'warn', msg: 'worker: dropped malformed message' });
      return;
    }
    const msg = parsed.data;
    if (msg.t === 'cancel') {
      inflight.get(msg.id)?.abort();
      return;
    }
    const handler = Object.hasOwn(handlers, msg.method) ? handlers[msg.method] : undefined;
    if (!handler) {
      send({ t: 'res', id: msg.id, result: { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method ${msg.method}` } } });
      return;
    }
    const ac = new AbortController();
    inflight.set(msg.id, ac);
    const ctx: RequestContext = { signal: ac.signal, emit: (data) => send({ t: 'event', id: msg.id, data }) };
    Promise.resolve()
      .then(() => handler(msg.params, ctx))
      .then(
        (value) => send({ t: 'res', id: msg.id, result: { ok: true, value } }),
        (e: unknown) =>
          send({
            t: 'res',
            id: msg.id,
            result: { ok: false, error: toErrorInfo(ac.signal.aborted ? new EvolveError('CANCELLED', 'Cancelled') : e) },
          }),
      )
      .finally(() => inflight.delete(msg.id));
  });

  process.on('disconnect', () => process.exit(0));
  Promise.resolve()
    .then(readyInfo)
    .then(
      (info) => send({ t: 'ready', info }),
      (e: unknown) => {
        send({ t: 'log', level: 'error', msg: `worker init failed: ${toErrorInfo(e).message}` });
        process.exit(3);
      },
    );
}
