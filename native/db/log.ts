// Log lines from the DB worker to its supervisor, over the same channel serveWorker uses (fork IPC or parentPort).
// serveWorker keeps its sender private, so this mirrors its parentLink; the lead may export a logger from native/rpc.
import type { WorkerToParent } from '../rpc/protocol';

type Level = 'debug' | 'info' | 'warn' | 'error';

export function workerLog(level: Level, msg: string, data?: unknown): void {
  const m: WorkerToParent = data === undefined ? { t: 'log', level, msg } : { t: 'log', level, msg, data };
  const port = (process as unknown as { parentPort?: { postMessage(x: unknown): void } }).parentPort;
  if (port) port.postMessage(m);
  else if (typeof process.send === 'function' && process.connected) process.send(m);
}
