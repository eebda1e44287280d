// What every route handler gets: the backend, who is asking (for KV sequence keys), the response, the client's
// disconnect signal and the server's FIM window; plus SSE/NDJSON writers.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ServerBackend } from './backend';

export interface RouteContext {
  backend: ServerBackend;
  /** A stable, non-secret id of the caller (hash of its token): KV sequences are never shared across clients. */
  clientId: string;
  res: ServerResponse;
  /** Aborted when the client disconnects: generation stops. */
  signal: AbortSignal;
  /** Extra response headers (e.g. x-evolve-ignored-params). */
  headers: Record<string, string>;
  fimWindow: { maxPrefixTokens: number; maxSuffixTokens: number };
}

export function clientIdFor(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

/**
 * The KV sequence of a raw completion / FIM request: client + `user` + model + the file, recognised by its first
 * line (which does not change while someone types further down; the whole head would change with every keystroke
 * in a short file), so two files do not evict each other's cache on every keystroke.
 */
export function sequenceKeyFor(ctx: RouteContext, model: string, user: string | undefined, fileHead: string): string {
  const nl = fileHead.indexOf('\n');
  const firstLine = nl < 0 ? '' : fileHead.slice(0, Math.min(nl, 128));
  const file = createHash('sha256').update(firstLine).digest('hex').slice(0, 10);
  const who = user ? createHash('sha256').update(user).digest('hex').slice(0, 8) : '-';
  return `srv:${ctx.clientId}:${who}:${model}:${file}`.slice(0, 256);
}

export function threadKeyFor(ctx: RouteContext, model: string, user: string | undefined): string {
  const who = user ? createHash('sha256').update(user).digest('hex').slice(0, 8) : '-';
  return `${ctx.clientId}:${who}:${model}`.slice(0, 200);
}

export function startEventStream(ctx: RouteContext): void {
  if (ctx.res.headersSent) return;
  ctx.res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...ctx.headers,
  });
}

export function writeEvent(ctx: RouteContext, data: unknown): void {
  if (!ctx.res.writableEnded) ctx.res.write(`data: ${JSON.stringify(data)}\n\n`);
}

export function startNdjson(ctx: RouteContext): void {
  if (ctx.res.headersSent) return;
  ctx.res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache', ...ctx.headers });
}

export function writeLine(ctx: RouteContext, data: unknown): void {
  if (!ctx.res.writableEnded) ctx.res.write(`${JSON.stringify(data)}\n`);
}
