// The redaction worker (a worker_threads thread of main): runs the detectors off the main thread, one request at a time.
// A thread rather than a process: redaction is pure CPU on strings main already holds, holds no key, and a thread
// starts in milliseconds; main still bounds each request's time and replaces the thread if it ever stops answering.
import { parentPort } from 'node:worker_threads';
import { EvolveError, toErrorInfo } from '../../common/errors';
import { RedactRequestSchema, type RedactResponse } from './protocol';
import { Redactor } from './session';

const redactor = new Redactor();
const port = parentPort;
if (!port) throw new EvolveError('INTERNAL', 'native/redact/worker.ts must run as a worker thread');

port.on('message', (raw: unknown) => {
  const parsed = RedactRequestSchema.safeParse(raw);
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : 0;
  let res: RedactResponse;
  if (!parsed.success) {
    res = {
      id,
      result: {
        ok: false,
        error: toErrorInfo(new EvolveError('INVALID_ARGUMENT', `Bad redaction request: ${parsed.error.issues[0]?.message ?? ''}`)),
      },
    };
  } else {
    try {
      res = { id, result: { ok: true, value: redactor.preview(parsed.data.input) } };
    } catch (e) {
      res = { id, result: { ok: false, error: toErrorInfo(e) } };
    }
  }
  port.postMessage(res);
});
