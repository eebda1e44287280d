// Opt-in control of the local OpenAI-compatible server (127.0.0.1, bearer token handed out once), backed by the local provider.
import { EvolveError } from '../../../common/errors';
import type { Provider } from '../../../common/providers/provider';
import { OpenAICompatibleServer, newServerToken } from '../openai-server/server';

export interface ServerStatus {
  running: boolean;
  url: string | null;
  port: number | null;
  providerId: string;
  startedAt: number | null;
}

export class LocalServerControl {
  private server: OpenAICompatibleServer | null = null;
  private port: number | null = null;
  private startedAt: number | null = null;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly provider: () => Provider | undefined,
    private readonly providerId: string,
    private readonly log: (level: 'info' | 'warn', msg: string) => void = () => {},
  ) {}

  status(): ServerStatus {
    return {
      running: this.server !== null,
      url: this.server ? this.server.url : null,
      port: this.port,
      providerId: this.providerId,
      startedAt: this.startedAt,
    };
  }

  /** Starts (or restarts, with a new token) the server; the token is only ever returned from here. */
  start(opts: { port?: number; concurrency?: number }): Promise<ServerStatus & { token: string }> {
    const run = this.pending.then(async () => {
      const provider = this.provider();
      if (!provider) throw new EvolveError('UNAVAILABLE', 'The local engine is not available, so there is nothing to serve');
      await this.stopNow();
      const token = newServerToken();
      const server = new OpenAICompatibleServer({
        provider,
        token,
        concurrency: opts.concurrency ?? 1,
        maxQueue: 16,
        ...(opts.port !== undefined ? { port: opts.port } : {}),
      });
      try {
        const { port } = await server.start();
        this.server = server;
        this.port = port;
        this.startedAt = Date.now();
      } catch (e) {
        if (e instanceof EvolveError) throw e;
        throw new EvolveError('UNAVAILABLE', `The local server could not start: ${e instanceof Error ? e.message : String(e)}`);
      }
      this.log('info', `local OpenAI-compatible server on ${this.server.url}`);
      return { ...this.status(), token };
    });
    this.pending = run.catch(() => {});
    return run;
  }

  stop(): Promise<ServerStatus> {
    const run = this.pending.then(async () => {
      await this.stopNow();
      return this.status();
    });
    this.pending = run.catch(() => {});
    return run;
  }

  private async stopNow(): Promise<void> {
    const s = this.server;
    this.server = null;
    this.port = null;
    this.startedAt = null;
    if (s) await s.stop();
  }
}
