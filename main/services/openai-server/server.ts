// Opt-in local OpenAI-compatible HTTP server (127.0.0.1 only, bearer token, queue) so editor plugins can use the app's local models.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { Provider } from '../../../common/providers/provider';
import type { ChatEvent, GenerationParams } from '../../../common/providers/types';
import { RequestQueue } from './queue';
import { ChatBodySchema, CompletionBodySchema, EmbeddingBodySchema, errorBody, httpForCode } from './schemas';

export interface OpenAIServerOptions {
  /** Serves every request; in the app this is the local provider (or a router-backed provider). */
  provider: Provider;
  /** Bearer token clients must send; generate one with `newServerToken()` and show it once in Settings. */
  token: string;
  /** 0 picks a free port. */
  port?: number;
  concurrency?: number;
  maxQueue?: number;
  maxBodyBytes?: number;
}

export function newServerToken(): string {
  return `evolve-local-${randomBytes(24).toString('base64url')}`;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ReturnType<typeof errorBody>,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.error.message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function fromEvolve(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  const info = toErrorInfo(e);
  const h = httpForCode(info.code);
  return new HttpError(h.status, errorBody(info.message, h.type, h.code), h.status === 429 ? { 'retry-after': '1' } : {});
}

function parseBody<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    const param = first ? first.path.join('.') : null;
    throw new HttpError(
      400,
      errorBody(
        `Invalid request: ${r.error.issues.map((i) => `'${i.path.join('.') || 'body'}': ${i.message}`).join('; ')}`,
        'invalid_request_error',
        null,
        param || null,
      ),
    );
  }
  return r.data;
}

function params(b: {
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  stop?: string[] | undefined;
}): GenerationParams {
  const maxTokens = b.max_completion_tokens ?? b.max_tokens ?? undefined;
  return {
    ...(maxTokens != null ? { maxTokens } : {}),
    ...(b.temperature != null ? { temperature: b.temperature } : {}),
    ...(b.top_p != null ? { topP: b.top_p } : {}),
    ...(b.stop ? { stop: b.stop } : {}),
  };
}

export class OpenAICompatibleServer {
  private server: Server | null = null;
  private readonly queue: RequestQueue;
  private readonly tokenBuf: Buffer;
  private port = 0;

  constructor(private readonly o: OpenAIServerOptions) {
    if (o.token.length < 16) throw new EvolveError('INVALID_ARGUMENT', 'The server token must be at least 16 characters');
    this.queue = new RequestQueue(o.concurrency ?? 2, o.maxQueue ?? 16);
    this.tokenBuf = Buffer.from(o.token);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  stats() {
    return this.queue.stats();
  }

  async start(): Promise<{ url: string; port: number }> {
    if (this.server) throw new EvolveError('CONFLICT', 'The local OpenAI-compatible server is already running');
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new EvolveError(
            e.code === 'EADDRINUSE' ? 'CONFLICT' : 'UNAVAILABLE',
            `Cannot listen on 127.0.0.1:${this.o.port ?? 0}: ${e.message}`,
          ),
        ),
      );
      // Loopback only, never 0.0.0.0: the desktop's models are not a network service.
      server.listen(this.o.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return { url: this.url, port: this.port };
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private authorized(req: IncomingMessage): boolean {
    const h = req.headers['authorization'];
    if (typeof h !== 'string' || !h.startsWith('Bearer ')) return false;
    const given = Buffer.from(h.slice(7));
    return given.length === this.tokenBuf.length && timingSafeEqual(given, this.tokenBuf);
  }

  private async readJson(req: IncomingMessage): Promise<unknown> {
    const max = this.o.maxBodyBytes ?? 4 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > max) throw new HttpError(413, errorBody(`Request body exceeds ${max} bytes`, 'invalid_request_error'));
      chunks.push(c);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new HttpError(
        400,
        errorBody(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
          'invalid_request_error',
        ),
      );
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Cancel generation when the client disconnects (editor closed the request).
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    try {
      // DNS-rebinding guard: a browser page that resolved evil.com to 127.0.0.1 still sends Host: evil.com.
      const host = (req.headers.host ?? '').toLowerCase();
      if (host !== `127.0.0.1:${this.port}` && host !== `localhost:${this.port}`)
        throw new HttpError(403, errorBody('Host not allowed', 'invalid_request_error'));
      if (!this.authorized(req))
        throw new HttpError(
          401,
          errorBody(
            'Incorrect API key provided. Use the token shown in Evolve Studio → Settings → Local server.',
            'invalid_request_error',
            'invalid_api_key',
          ),
        );
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/v1/models') return await this.models(res, ac.signal);
      if (req.method !== 'POST') throw new HttpError(404, errorBody(`Unknown route ${req.method} ${path}`, 'invalid_request_error'));
      if (path !== '/v1/chat/completions' && path !== '/v1/completions' && path !== '/v1/embeddings') {
        throw new HttpError(404, errorBody(`Unknown route POST ${path}`, 'invalid_request_error'));
      }
      const raw = await this.readJson(req);
      const release = await this.queue.acquire(ac.signal);
      try {
        if (path === '/v1/chat/completions') await this.chat(parseBody(ChatBodySchema, raw), res, ac.signal);
        else if (path === '/v1/completions') await this.completions(parseBody(CompletionBodySchema, raw), res, ac.signal);
        else await this.embeddings(parseBody(EmbeddingBodySchema, raw), res, ac.signal);
      } finally {
        release();
      }
    } catch (e) {
      const h = fromEvolve(e);
      if (res.headersSent) {
        // Mid-stream failure: OpenAI streams report it as a data event, then end.
        if (!res.writableEnded) {
          res.write(`data: ${JSON.stringify(h.body)}\n\n`);
          res.end();
        }
        return;
      }
      send(res, h.status, h.body, h.headers);
    }
  }

  private async models(res: ServerResponse, signal: AbortSignal): Promise<void> {
    const models = await this.o.provider.listModels({ signal });
    send(res, 200, {
      object: 'list',
      data: models.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.ownedBy ?? 'evolve-studio' })),
    });
  }

  private async assertModel(model: string, signal: AbortSignal): Promise<void> {
    const models = await this.o.provider.listModels({ signal });
    if (!models.some((m) => m.id === model)) {
      throw new HttpError(
        404,
        errorBody(`The model \`${model}\` does not exist or is not loaded.`, 'invalid_request_error', 'model_not_found', 'model'),
      );
    }
  }

  private async chat(b: z.output<typeof ChatBodySchema>, res: ServerResponse, signal: AbortSignal): Promise<void> {
    await this.assertModel(b.model, signal);
    const events = this.o.provider.chat(
      {
        model: b.model,
        messages: b.messages.map((m) => ({ role: m.role as 'system' | 'user' | 'assistant', content: m.content })),
        ...params(b),
      },
      { signal },
    );
    await this.respond('chat', b.model, events, b.stream === true, b.stream_options?.include_usage === true, res);
  }

  private async completions(b: z.output<typeof CompletionBodySchema>, res: ServerResponse, signal: AbortSignal): Promise<void> {
    await this.assertModel(b.model, signal);
    const events = this.o.provider.complete({ model: b.model, prompt: b.prompt, ...params(b) }, { signal });
    await this.respond('text', b.model, events, b.stream === true, b.stream_options?.include_usage === true, res);
  }

  private async embeddings(b: z.output<typeof EmbeddingBodySchema>, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const embed = this.o.provider.embed?.bind(this.o.provider);
    if (!embed)
      throw new HttpError(
        400,
        errorBody('This server has no embeddings model loaded.', 'invalid_request_error', 'model_not_found', 'model'),
      );
    const r = await embed({ model: b.model, input: b.input }, { signal });
    send(res, 200, {
      object: 'list',
      data: r.vectors.map((v, index) => ({
        object: 'embedding',
        index,
        embedding: b.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v,
      })),
      model: r.model,
      usage: { prompt_tokens: r.promptTokens, total_tokens: r.promptTokens },
    });
  }

  private async respond(
    kind: 'chat' | 'text',
    model: string,
    events: AsyncIterable<ChatEvent>,
    stream: boolean,
    includeUsage: boolean,
    res: ServerResponse,
  ): Promise<void> {
    const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replace(/-/g, '')}`;
    const created = Math.floor(Date.now() / 1000);
    const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    const finishName = (r: string) => (r === 'length' ? 'length' : 'stop');
    const choice = (text: string | null, finish: string | null, first = false) =>
      kind === 'chat'
        ? {
            index: 0,
            delta: text === null ? {} : first ? { role: 'assistant', content: text } : { content: text },
            logprobs: null,
            finish_reason: finish,
          }
        : { index: 0, text: text ?? '', logprobs: null, finish_reason: finish };
    if (!stream) {
      let text = '';
      for await (const ev of events) {
        if (ev.type === 'delta') text += ev.text;
        else {
          const usage = {
            prompt_tokens: ev.usage.promptTokens,
            completion_tokens: ev.usage.completionTokens,
            total_tokens: ev.usage.promptTokens + ev.usage.completionTokens,
          };
          send(
            res,
            200,
            kind === 'chat'
              ? {
                  id,
                  object: 'chat.completion',
                  created,
                  model,
                  choices: [
                    { index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: finishName(ev.finishReason) },
                  ],
                  usage,
                }
              : {
                  id,
                  object: 'text_completion',
                  created,
                  model,
                  choices: [{ index: 0, text, logprobs: null, finish_reason: finishName(ev.finishReason) }],
                  usage,
                },
          );
        }
      }
      return;
    }
    let started = false;
    const write = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    for await (const ev of events) {
      if (!started) {
        started = true;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        if (kind === 'chat') write({ id, object, created, model, choices: [choice('', null, true)] });
      }
      if (ev.type === 'delta') write({ id, object, created, model, choices: [choice(ev.text, null)] });
      else {
        write({ id, object, created, model, choices: [choice(null, finishName(ev.finishReason))] });
        if (includeUsage)
          write({
            id,
            object,
            created,
            model,
            choices: [],
            usage: {
              prompt_tokens: ev.usage.promptTokens,
              completion_tokens: ev.usage.completionTokens,
              total_tokens: ev.usage.promptTokens + ev.usage.completionTokens,
            },
          });
      }
    }
    res.write('data: [DONE]\n\n');
    res.end();
  }
}
