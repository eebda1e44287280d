// Live tail of a Ray job's logs over the dashboard's WebSocket (/api/jobs/{id}/logs/tail), split into lines.
import type WebSocket from 'ws';
import { EvolveError } from '../../../common/errors';
import { LogLineSplitter } from '../../../common/cluster/log-lines';
import { certificateError, certificateProblem, egressWebSocket, processEgressGuard } from '../../platform/egress';
import { authHeaders, buildUrl, tlsAgentOptions, type HttpTarget } from './http';

export interface TailOptions {
  onLines: (lines: string[]) => void;
  signal?: AbortSignal;
  /** Bound on connecting; the stream itself may stay open for as long as the job runs. */
  connectTimeoutMs?: number;
}

/**
 * Resolves when Ray closes the socket (the job reached a terminal state), rejects on a connection failure
 * or an HTTP error before the upgrade (404 = no such job), resolves early with `cancelled` on abort.
 */
export async function tailJobLogs(target: HttpTarget, id: string, opts: TailOptions): Promise<{ cancelled: boolean }> {
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(id)) throw new EvolveError('INVALID_ARGUMENT', `Not a valid Ray job id: ${id.slice(0, 80)}`);
  const url = buildUrl(target.baseUrl, `/api/jobs/${id}/logs/tail`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const headers = await authHeaders(target);
  const tls = url.protocol === 'wss:' ? tlsAgentOptions(target.tls) : undefined;
  if (opts.signal?.aborted) return { cancelled: true };
  return new Promise((resolve, reject) => {
    // No permessage-deflate: Ray's dashboard proxy forwards our handshake headers to its job module, which then
    // compresses with parameters the proxy's own client did not negotiate, and the stream dies with no lines.
    // The socket is opened through the egress guard, so offline-only holds for the tail too.
    const ws = egressWebSocket(target.guard ?? processEgressGuard(), target.feature ?? 'cluster', url, {
      headers,
      handshakeTimeout: opts.connectTimeoutMs ?? 15_000,
      perMessageDeflate: false,
      ...(tls ? { tls } : {}),
    });
    const splitter = new LogLineSplitter();
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      ws.terminate();
      finish(() => resolve({ cancelled: true }));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    ws.on('message', (data: WebSocket.RawData) => {
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      const lines = splitter.push(text);
      if (lines.length) opts.onLines(lines);
    });
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      ws.terminate();
      const err =
        status === 404
          ? new EvolveError('NOT_FOUND', `Job ${id} does not exist`)
          : status === 401 || status === 403
            ? new EvolveError('UNAUTHENTICATED', `${target.serviceName} refused the log tail (HTTP ${status})`)
            : status === 400
              ? new EvolveError('INVALID_ARGUMENT', `${target.serviceName} cannot tail job ${id} (HTTP 400)`)
              : new EvolveError('UNAVAILABLE', `${target.serviceName} refused the log tail (HTTP ${status})`);
      finish(() => reject(err));
    });
    ws.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof EvolveError) return finish(() => reject(e));
      const cert = certificateProblem(e);
      if (cert)
        return finish(() =>
          reject(certificateError(`${target.serviceName} log tail`, cert, 'set a CA file in the profile, or allow insecure TLS')),
        );
      finish(() => reject(new EvolveError('UNAVAILABLE', `Log tail for job ${id} failed: ${e.code ?? e.message}`)));
    });
    ws.on('close', () => {
      const last = splitter.flush();
      if (last.length) opts.onLines(last);
      finish(() => resolve({ cancelled: false }));
    });
  });
}
