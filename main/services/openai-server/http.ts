// HTTP plumbing of the local server: typed HTTP errors (OpenAI error JSON), JSON bodies with a size cap, zod
// parsing that names the failing parameter, and the mapping from EvolveError codes to statuses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { toErrorInfo } from '../../../common/errors';
import { errorBody, httpForCode, type OpenAIErrorBody } from './schemas';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: OpenAIErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.error.message);
  }
}

export const badRequest = (message: string, param: string | null = null) =>
  new HttpError(400, errorBody(message, 'invalid_request_error', null, param));

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Any thrown value → an HttpError; EvolveError details.param (set by the parameter policy) becomes `param`. */
export function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  const info = toErrorInfo(e);
  const details = (info.details ?? {}) as { param?: unknown; reason?: unknown };
  const param = typeof details.param === 'string' ? details.param : null;
  // The engine says RESOURCE_EXHAUSTED when a prompt does not fit the context: that is the client's 400, not a 429.
  if (info.code === 'RESOURCE_EXHAUSTED' && details.reason !== 'queue-full')
    return new HttpError(400, errorBody(info.message, 'invalid_request_error', 'context_length_exceeded', param));
  const h = httpForCode(info.code);
  return new HttpError(h.status, errorBody(info.message, h.type, h.code, param), h.status === 429 ? { 'retry-after': '1' } : {});
}

export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > maxBytes) throw new HttpError(413, errorBody(`Request body exceeds ${maxBytes} bytes`, 'invalid_request_error'));
    chunks.push(c);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw badRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
    );
  }
}

/** Parses with zod; the first issue's path is the `param` a client can show. */
export function parseBody<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const param = first ? first.path.join('.') : null;
  throw badRequest(
    `Invalid request: ${r.error.issues
      .slice(0, 5)
      .map((i) => `'${i.path.join('.') || 'body'}': ${i.message}`)
      .join('; ')}`,
    param || null,
  );
}

export function asRecord(raw: unknown): Record<string, unknown> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('The request body must be a JSON object');
  return raw as Record<string, unknown>;
}
