// Control of the local OpenAI-compatible server: fixed port and settings in the encrypted store, a bearer token
// that survives restarts in the store's keychain (revealed on request, regenerated on demand), start with the app.
import {
  DEFAULT_LOCAL_SERVER_SETTINGS,
  LocalServerSettingsSchema,
  type LocalServerSettings,
  type LocalServerStatus,
} from '../../../common/contracts/providers';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { Json } from '../../../common/store/rows';
import type { ServerBackend } from '../openai-server/backend';
import { ApiTokenService } from '../openai-server/auth/token-service';
import { OpenAICompatibleServer, newServerToken } from '../openai-server/server';
import type { StoreCaller } from './config-store';

/** Keychain account of the server's bearer token (never in settings.json or the database). */
export const SERVER_TOKEN_ACCOUNT = 'local-server:token';
const SETTINGS_KEY = 'localServer.settings';

/** What the control needs from the encrypted store. */
export interface ServerStore {
  readonly ready: boolean;
  readonly client: StoreCaller;
  getSecret(account: string, purpose: string): Promise<string | null>;
  setSecret(account: string, value: string): Promise<void>;
  hasSecret(account: string): Promise<boolean>;
  onReady(cb: () => void): unknown;
}

export interface LocalServerControlOptions {
  /** A fresh backend per start (it unloads the models it loaded when the server stops); undefined = nothing to serve. */
  backend: ((o: { idleUnloadMs: () => number }) => ServerBackend) | undefined;
  store: ServerStore;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

export class LocalServerControl {
  private server: OpenAICompatibleServer | null = null;
  private backend: ServerBackend | null = null;
  private startedAt: number | null = null;
  private lastError: string | null = null;
  private current: LocalServerSettings = DEFAULT_LOCAL_SERVER_SETTINGS;
  private pending: Promise<unknown> = Promise.resolve();
  /** Named tokens with scopes (issue 14 item 4); the keychain token above stays valid with every scope. */
  readonly tokens: ApiTokenService;

  constructor(private readonly o: LocalServerControlOptions) {
    this.tokens = new ApiTokenService({ store: o.store, ...(o.log ? { log: o.log } : {}) });
    o.store.onReady(() => void this.autoStart());
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.pending.then(fn);
    this.pending = run.catch(() => {});
    return run;
  }

  private async loadSettings(): Promise<LocalServerSettings> {
    if (!this.o.store.ready) return this.current;
    const row = await this.o.store.client.call('setting.get', { key: SETTINGS_KEY });
    // Tolerant: a field that no longer validates falls back to its default instead of losing the rest.
    const raw = row?.value && typeof row.value === 'object' && !Array.isArray(row.value) ? (row.value as Record<string, unknown>) : {};
    const merged: Record<string, unknown> = { ...DEFAULT_LOCAL_SERVER_SETTINGS };
    for (const k of Object.keys(DEFAULT_LOCAL_SERVER_SETTINGS) as (keyof LocalServerSettings)[]) {
      if (LocalServerSettingsSchema.shape[k].safeParse(raw[k]).success) merged[k] = raw[k];
    }
    this.current = LocalServerSettingsSchema.parse(merged);
    return this.current;
  }

  async status(): Promise<LocalServerStatus> {
    const settings = await this.loadSettings().catch(() => this.current);
    const hasToken = this.o.store.ready ? await this.o.store.hasSecret(SERVER_TOKEN_ACCOUNT).catch(() => false) : false;
    const addr = this.server?.address() ?? null;
    return {
      running: this.server !== null,
      url: this.server ? this.server.url : null,
      port: addr?.port ?? null,
      startedAt: this.startedAt,
      settings,
      hasToken,
      lastError: this.lastError,
    };
  }

  private requireStore(): void {
    if (!this.o.store.ready)
      throw new EvolveError('UNAVAILABLE', 'Unlock the encrypted store first: the server token lives in its keychain');
  }

  /** The stored token, created on first use. */
  private async token(): Promise<string> {
    this.requireStore();
    const t = await this.o.store.getSecret(SERVER_TOKEN_ACCOUNT, 'local server token');
    if (t && t.length >= 16) return t;
    const fresh = newServerToken();
    await this.o.store.setSecret(SERVER_TOKEN_ACCOUNT, fresh);
    return fresh;
  }

  /** Starts (or restarts) the server on the saved port, or `port` for this start only (0 = any free port). */
  start(opts: { port?: number } = {}): Promise<LocalServerStatus> {
    return this.serial(async () => {
      await this.startNow(opts.port);
      return this.status();
    });
  }

  private async startNow(portOverride?: number): Promise<void> {
    this.requireStore();
    if (!this.o.backend) throw new EvolveError('UNAVAILABLE', 'The local engine is not available, so there is nothing to serve');
    const settings = await this.loadSettings();
    const token = await this.token();
    await this.tokens.load();
    await this.stopNow();
    const backend = this.o.backend({ idleUnloadMs: () => this.current.idleUnloadSeconds * 1000 });
    const server = new OpenAICompatibleServer({
      backend,
      token,
      auth: this.tokens.authorizerFor(token),
      port: portOverride ?? settings.port,
      concurrency: settings.concurrency,
      maxQueue: 16,
      fimWindow: { maxPrefixTokens: settings.fimMaxPrefixTokens, maxSuffixTokens: settings.fimMaxSuffixTokens },
    });
    try {
      await server.start();
    } catch (e) {
      await backend.dispose();
      this.lastError = toErrorInfo(e).message;
      throw e instanceof EvolveError ? e : new EvolveError('UNAVAILABLE', `The local server could not start: ${this.lastError}`);
    }
    this.server = server;
    this.backend = backend;
    this.startedAt = Date.now();
    this.lastError = null;
    this.o.log?.('info', `local OpenAI-compatible server on ${server.url}`);
  }

  stop(): Promise<LocalServerStatus> {
    return this.serial(async () => {
      await this.stopNow();
      return this.status();
    });
  }

  private async stopNow(): Promise<void> {
    const s = this.server;
    const b = this.backend;
    this.server = null;
    this.backend = null;
    this.startedAt = null;
    if (s) await s.stop();
    if (b) await b.dispose();
  }

  /** Saves settings; a running server restarts when what it was started with changed. */
  setSettings(patch: Partial<LocalServerSettings>): Promise<LocalServerStatus> {
    return this.serial(async () => {
      this.requireStore();
      const before = await this.loadSettings();
      // A key present with the value undefined (a partial schema lets it through) keeps the saved value.
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const next = LocalServerSettingsSchema.parse({ ...before, ...given });
      await this.o.store.client.call('setting.set', { key: SETTINGS_KEY, value: next as unknown as Json });
      this.current = next;
      const restart = (['port', 'concurrency', 'fimMaxPrefixTokens', 'fimMaxSuffixTokens'] as const).some((k) => before[k] !== next[k]);
      if (this.server && restart) await this.startNow();
      return this.status();
    });
  }

  revealToken(): Promise<{ token: string }> {
    return this.serial(async () => ({ token: await this.token() }));
  }

  regenerateToken(): Promise<{ token: string }> {
    return this.serial(async () => {
      this.requireStore();
      const token = newServerToken();
      await this.o.store.setSecret(SERVER_TOKEN_ACCOUNT, token);
      // The running server holds the old token: restart it so the old one stops working now.
      if (this.server) await this.startNow(this.server.address()?.port);
      return { token };
    });
  }

  /** On unlock: start when "start with the app" is on; a failure (port taken) is kept for the status, not thrown. */
  private async autoStart(): Promise<void> {
    try {
      const s = await this.loadSettings();
      if (s.startWithApp && !this.server) await this.start();
    } catch (e) {
      this.lastError = toErrorInfo(e).message;
      this.o.log?.('warn', `local server did not start with the app: ${this.lastError}`);
    }
  }

  dispose(): Promise<void> {
    return this.serial(() => this.stopNow());
  }
}
