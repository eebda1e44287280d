// The local OpenAI-compatible HTTP server (127.0.0.1 only, bearer token, bounded queue): routes OpenAI, llama.cpp
// /infill and Ollama requests to a ServerBackend; the client's disconnect cancels its generation.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import { SingleTokenAuthorizer, type ApiAuthDecision, type ApiAuthorizer } from './auth/authorizer';
import { routeScope } from './auth/route-scopes';
import { presentedToken } from './auth/token-format';
import type { ServedModel, ServerBackend } from './backend';
import { HttpError, asRecord, parseBody, readJson, sendJson, toHttpError } from './http';
import { checkParams } from './params';
import { RequestQueue } from './queue';
import type { RouteContext } from './route-context';
import { chatCompletions } from './routes-chat';
import { completions, infill } from './routes-completions';
import { OLLAMA_COMPAT_VERSION, ollamaChat, ollamaGenerate, ps, show, tags } from './routes-ollama';
import {
  ChatBodySchema,
  CompletionBodySchema,
  EmbeddingBodySchema,
  InfillBodySchema,
  OllamaChatBodySchema,
  OllamaGenerateBodySchema,
  OllamaShowBodySchema,
  errorBody,
} from './schemas';

export interface OpenAIServerOptions {
  backend: ServerBackend;
  /** Bearer token clients must send (kept in the keychain by LocalServerControl); every scope, no rate limit. */
  token: string;
  /** Named tokens with scopes and rate limits (auth/token-service.ts); it must also accept `token`. Default: `token` only. */
  auth?: ApiAuthorizer;
  /** 0 picks a free port (tests). */
  port?: number;
  concurrency?: number;
  maxQueue?: number;
  maxBodyBytes?: number;
  fimWindow?: { maxPrefixTokens: number; maxSuffixTokens: number };
}

export function newServerToken(): string {
  return `evolve-local-${randomBytes(24).toString('base64url')}`;
}

const keysOf = (s: z.ZodObject) => Object.keys(s.shape);
const KNOWN = {
  chat: keysOf(ChatBodySchema),
  completion: keysOf(CompletionBodySchema),
  infill: keysOf(InfillBodySchema),
  embedding: keysOf(EmbeddingBodySchema),
  ollamaChat: keysOf(OllamaChatBodySchema),
  ollamaGenerate: keysOf(OllamaGenerateBodySchema),
};

type Handler = (ctx: RouteContext, raw: Record<string, unknown>) => Promise<void>;

export class OpenAICompatibleServer {
  private server: Server | null = null;
  private readonly queue: RequestQueue;
  private readonly auth: ApiAuthorizer;
  private port = 0;
  private readonly posts: Record<string, Handler>;

  constructor(private readonly o: OpenAIServerOptions) {
    if (o.token.length < 16) throw new EvolveError('INVALID_ARGUMENT', 'The server token must be at least 16 characters');
    this.queue = new RequestQueue(o.concurrency ?? 1, o.maxQueue ?? 16);
    this.auth = o.auth ?? new SingleTokenAuthorizer(o.token);
    const checked = <T extends z.ZodType>(
      schema: T,
      known: string[],
      run: (ctx: RouteContext, body: z.output<T>) => Promise<void>,
    ): Handler => {
      return async (ctx, raw) => {
        const { ignored } = checkParams(raw, known);
        // Nothing is dropped silently: fields we do not know are named back to the client.
        if (ignored.length) ctx.headers['x-evolve-ignored-params'] = ignored.join(',');
        await run(ctx, parseBody(schema, raw));
      };
    };
    this.posts = {
      '/v1/chat/completions': checked(ChatBodySchema, KNOWN.chat, chatCompletions),
      '/v1/completions': checked(CompletionBodySchema, KNOWN.completion, (ctx, b) => completions(ctx, b, 'text')),
      '/v1/fim/completions': checked(CompletionBodySchema, KNOWN.completion, (ctx, b) =>
        completions(ctx, { ...b, suffix: b.suffix ?? '' }, 'chat'),
      ),
      '/infill': checked(InfillBodySchema, KNOWN.infill, (ctx, b) => infill(ctx, b, () => this.defaultFimModel())),
      '/v1/embeddings': checked(EmbeddingBodySchema, KNOWN.embedding, (ctx, b) => this.embeddings(ctx, b)),
      '/api/chat': checked(OllamaChatBodySchema, KNOWN.ollamaChat, ollamaChat),
      '/api/generate': checked(OllamaGenerateBodySchema, KNOWN.ollamaGenerate, ollamaGenerate),
    };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** The bound socket address (tests assert it is loopback). */
  address(): AddressInfo | null {
    return (this.server?.address() as AddressInfo | null) ?? null;
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
            e.code === 'EADDRINUSE'
              ? `Port ${this.o.port ?? 0} on 127.0.0.1 is in use by another program: choose another port in Settings → Local server`
              : `Cannot listen on 127.0.0.1:${this.o.port ?? 0}: ${e.message}`,
            { port: this.o.port ?? 0 },
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

  /** Every route needs a token holding its scope (auth/route-scopes.ts); refusals are OpenAI-shaped errors. */
  private async authorize(req: IncomingMessage, path: string): Promise<Extract<ApiAuthDecision, { ok: true }>['principal']> {
    const method = req.method ?? 'GET';
    const ua = req.headers['user-agent'];
    const d = await this.auth.authorize({
      presented: presentedToken(req.headers),
      method,
      route: path,
      scope: routeScope(method, path),
      remote: req.socket.remoteAddress ?? '',
      ...(ua ? { userAgent: ua } : {}),
    });
    if (d.ok) return d.principal;
    const [type, code] =
      d.status === 429
        ? ['requests', 'rate_limit_exceeded']
        : d.status === 403
          ? ['invalid_request_error', 'insufficient_scope']
          : d.status === 503
            ? ['server_error', 'app_locked']
            : ['invalid_request_error', 'invalid_api_key'];
    throw new HttpError(d.status, errorBody(d.message, type, code), d.retryAfterSec ? { 'retry-after': String(d.retryAfterSec) } : {});
  }

  private async defaultFimModel(): Promise<ServedModel> {
    const models = (await this.o.backend.listModels()).filter((m) => m.kind === 'llm');
    const m = models.find((x) => x.loaded && x.fim) ?? models.find((x) => x.loaded) ?? models[0];
    if (!m) throw new EvolveError('NOT_FOUND', 'No local model is installed', { param: 'model' });
    return m;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Cancel generation when the client disconnects (the editor dropped the request).
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    const ctx: RouteContext = {
      backend: this.o.backend,
      clientId: '',
      res,
      signal: ac.signal,
      headers: {},
      fimWindow: this.o.fimWindow ?? { maxPrefixTokens: 1024, maxSuffixTokens: 256 },
    };
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const ollama = path.startsWith('/api/');
    try {
      // DNS-rebinding guard: a browser page that resolved evil.com to 127.0.0.1 still sends Host: evil.com.
      const host = (req.headers.host ?? '').toLowerCase();
      if (host !== `127.0.0.1:${this.port}` && host !== `localhost:${this.port}`)
        throw new HttpError(403, errorBody('Host not allowed', 'invalid_request_error'));
      const principal = await this.authorize(req, path);
      ctx.clientId = principal.clientId;
      // On the response itself, so every route (JSON, SSE, NDJSON, errors) carries the token's x-ratelimit-* headers.
      for (const [k, v] of Object.entries(principal.headers)) res.setHeader(k, v);
      if (req.method === 'GET') return await this.get(ctx, path);
      const handler = req.method === 'POST' ? this.posts[path] : undefined;
      if (!handler && req.method === 'POST' && path === '/api/show') {
        const b = parseBody(OllamaShowBodySchema, await readJson(req, this.o.maxBodyBytes ?? 4 * 1024 * 1024));
        return await show(ctx, b.model);
      }
      if (!handler) throw new HttpError(404, errorBody(`Unknown route ${req.method ?? ''} ${path}`, 'invalid_request_error'));
      const raw = asRecord(await readJson(req, this.o.maxBodyBytes ?? 4 * 1024 * 1024));
      const release = await this.queue.acquire(ac.signal);
      try {
        await handler(ctx, raw);
      } finally {
        release();
      }
    } catch (e) {
      if (ac.signal.aborted) return; // nobody is listening
      const h = toHttpError(e);
      if (res.headersSent) {
        // Mid-stream failure: report it in the stream's own framing, then end.
        if (!res.writableEnded) {
          res.write(ollama ? `${JSON.stringify({ error: h.body.error.message })}\n` : `data: ${JSON.stringify(h.body)}\n\n`);
          res.end();
        }
        return;
      }
      // Ollama clients read `{ error: "message" }`.
      sendJson(res, h.status, ollama ? { error: h.body.error.message } : h.body, { ...h.headers, ...ctx.headers });
    }
  }

  private async get(ctx: RouteContext, path: string): Promise<void> {
    if (path === '/v1/models') {
      const models = await this.o.backend.listModels();
      return sendJson(ctx.res, 200, { object: 'list', data: models.map(modelJson) });
    }
    if (path.startsWith('/v1/models/')) {
      const m = await this.o.backend.resolve(decodeURIComponent(path.slice('/v1/models/'.length)));
      return sendJson(ctx.res, 200, modelJson(m));
    }
    if (path === '/api/tags') return tags(ctx);
    if (path === '/api/ps') return ps(ctx);
    if (path === '/api/version') return sendJson(ctx.res, 200, { version: OLLAMA_COMPAT_VERSION });
    if (path === '/health') return sendJson(ctx.res, 200, { status: 'ok' });
    if (path === '/') {
      ctx.res.writeHead(200, { 'content-type': 'text/plain' });
      ctx.res.end('Evolve Studio local server is running (OpenAI /v1, llama.cpp /infill, Ollama /api)');
      return;
    }
    throw new HttpError(404, errorBody(`Unknown route GET ${path}`, 'invalid_request_error'));
  }

  private async embeddings(ctx: RouteContext, b: z.output<typeof EmbeddingBodySchema>): Promise<void> {
    const r = await this.o.backend.embed({ model: b.model, input: b.input }, ctx.signal);
    sendJson(
      ctx.res,
      200,
      {
        object: 'list',
        data: r.vectors.map((v, index) => ({
          object: 'embedding',
          index,
          embedding: b.encoding_format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v),
        })),
        model: r.model,
        usage: { prompt_tokens: r.promptTokens, total_tokens: r.promptTokens },
      },
      ctx.headers,
    );
  }
}

function modelJson(m: ServedModel) {
  return {
    id: m.id,
    object: 'model',
    created: Math.floor(m.addedAt / 1000),
    owned_by: 'evolve-studio',
    // LM Studio-style extras editors use to pick a model.
    type: m.kind,
    aliases: m.aliases,
    display_name: m.displayName,
    ...(m.contextLength ? { max_context_length: m.contextLength } : {}),
    state: m.loaded ? 'loaded' : 'not-loaded',
    ...(m.quantization ? { quantization: m.quantization } : {}),
  };
}
