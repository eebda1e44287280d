// Providers state: configs (keys write-only), connection tests, models, routes, budgets, the redaction preview, "try it" sends, usage and the local server.
import type { z } from 'zod';
import type {
  BudgetStateSchema,
  CacheStatsSchema,
  CapabilityMapDto,
  PreviewSchema,
  ProviderEntry,
  ProviderUpsertInput,
  LocalServerSettings,
  SendResult,
  ServerStatusSchema,
  UsageReport,
} from '../../../common/contracts/providers';
import type { Capability, ConnectionTest, ModelInfo } from '../../../common/providers/types';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';
import { FrameBatcher } from '../../lib/frame-batcher';

export type Preview = z.output<typeof PreviewSchema>;
export type BudgetState = z.output<typeof BudgetStateSchema>;
export type CacheStats = z.output<typeof CacheStatsSchema>;
export type ServerStatus = z.output<typeof ServerStatusSchema>;
export type UpsertInput = z.input<typeof ProviderUpsertInput>;

export interface TryItState {
  running: boolean;
  text: string;
  /** Attempts, retries and fallbacks as they happen. */
  log: string[];
  result: SendResult | null;
  error: UiError | null;
}

export interface ProvidersState {
  entries: ProviderEntry[];
  routes: CapabilityMapDto;
  budgets: BudgetState | null;
  tests: Record<string, ConnectionTest | 'pending'>;
  models: Record<string, { models: ModelInfo[]; error: UiError | null }>;
  preview: Preview | null;
  tryIt: TryItState;
  usage: UsageReport | null;
  cache: CacheStats | null;
  server: ServerStatus | null;
  /** The bearer token, only while the person asked to see it (revealed from the keychain on request). */
  serverToken: string | null;
  error: UiError | null;
  /** Why main refused the provider form's last save (shown in the form, next to the fields); cleared when the form opens or saves. */
  saveError: UiError | null;
}

export interface ProvidersSlice {
  providers: ProvidersState;
  loadProviders(): Promise<void>;
  saveProvider(input: UpsertInput): Promise<boolean>;
  clearProviderSaveError(): void;
  removeProvider(id: string): Promise<void>;
  testProvider(id: string): Promise<void>;
  loadProviderModels(id: string): Promise<void>;
  routeFirst(providerId: string, model: string): Promise<void>;
  resetRoutes(): Promise<void>;
  saveBudgets(limits: { dailyUsd?: number; projectDailyUsd?: number }): Promise<void>;
  previewPrompt(providerId: string, prompt: string): Promise<void>;
  tryPrompt(capability: Capability, prompt: string, temperature: number): Promise<void>;
  cancelTry(): void;
  loadUsage(): Promise<void>;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  saveServerSettings(patch: Partial<LocalServerSettings>): Promise<void>;
  revealServerToken(): Promise<void>;
  regenerateServerToken(): Promise<void>;
  hideServerToken(): void;
}

const IDLE_TRY: TryItState = { running: false, text: '', log: [], result: null, error: null };

export const createProvidersSlice: SliceCreator<ProvidersSlice> = (set, get) => {
  const patch = (p: Partial<ProvidersState>) => set({ providers: { ...get().providers, ...p } });
  const fail = (error: UiError) => patch({ error });
  let cancelTry: (() => void) | null = null;

  const setRoutes = async (map: CapabilityMapDto) => {
    const r = await getApi().providers.setRoutes(map);
    if (r.ok) patch({ routes: r.value, error: null });
    else fail(r.error);
  };

  return {
    providers: {
      entries: [],
      routes: {},
      budgets: null,
      tests: {},
      models: {},
      preview: null,
      tryIt: IDLE_TRY,
      usage: null,
      cache: null,
      server: null,
      serverToken: null,
      error: null,
      saveError: null,
    },
    async loadProviders() {
      const api = getApi();
      const [list, routes, budgets, server] = await Promise.all([
        api.providers.list({}),
        api.providers.getRoutes({}),
        api.providers.getBudgets({}),
        api.providers.serverStatus({}),
      ]);
      if (!list.ok) return fail(list.error);
      patch({
        entries: list.value,
        ...(routes.ok ? { routes: routes.value } : {}),
        ...(budgets.ok ? { budgets: budgets.value } : {}),
        ...(server.ok ? { server: server.value } : {}),
        error: routes.ok ? (budgets.ok ? null : budgets.error) : routes.error,
      });
    },
    async saveProvider(input) {
      const r = await getApi().providers.upsert(input);
      if (!r.ok) {
        patch({ saveError: r.error });
        return false;
      }
      const rest = get().providers.entries.filter((e) => e.config.id !== r.value.config.id);
      patch({ entries: [...rest, r.value], error: null, saveError: null });
      return true;
    },
    clearProviderSaveError() {
      patch({ saveError: null });
    },
    async removeProvider(id) {
      const r = await getApi().providers.remove({ id });
      if (!r.ok) return fail(r.error);
      patch({ entries: get().providers.entries.filter((e) => e.config.id !== id), error: null });
      const routes = await getApi().providers.getRoutes({});
      if (routes.ok) patch({ routes: routes.value });
    },
    async testProvider(id) {
      patch({ tests: { ...get().providers.tests, [id]: 'pending' } });
      const r = await getApi().providers.test({ id });
      const result: ConnectionTest = r.ok ? r.value : { ok: false, latencyMs: 0, message: `${r.error.code}: ${r.error.message}` };
      patch({ tests: { ...get().providers.tests, [id]: result } });
    },
    async loadProviderModels(id) {
      const r = await getApi().providers.models({ id });
      const entry = r.ok ? { models: r.value.models, error: r.value.error } : { models: [], error: r.error };
      patch({ models: { ...get().providers.models, [id]: entry } });
    },
    async routeFirst(providerId, model) {
      const current = get().providers.routes;
      const caps: Capability[] = ['generate', 'complete', 'review', 'find-bugs', 'refactor', 'document'];
      const next: CapabilityMapDto = {};
      for (const c of caps) {
        const rest = (current[c] ?? []).filter((x) => x.providerId !== providerId);
        next[c] = [{ providerId, model }, ...rest].slice(0, 10);
      }
      await setRoutes(next);
    },
    async resetRoutes() {
      const caps: Capability[] = ['generate', 'complete', 'review', 'find-bugs', 'refactor', 'document'];
      await setRoutes(Object.fromEntries(caps.map((c) => [c, [{ providerId: 'local', model: 'local-default' }]])));
    },
    async saveBudgets(limits) {
      const r = await getApi().providers.setBudgets(limits);
      if (r.ok) patch({ budgets: r.value, error: null });
      else fail(r.error);
    },
    async previewPrompt(providerId, prompt) {
      if (!prompt) return patch({ preview: null });
      const r = await getApi().providers.preview({ providerId, prompt });
      if (r.ok) patch({ preview: r.value, error: null });
      else fail(r.error);
    },
    async tryPrompt(capability, prompt, temperature) {
      if (get().providers.tryIt.running) return;
      patch({ tryIt: { ...IDLE_TRY, running: true } });
      const batcher = new FrameBatcher<string>((parts) => {
        const t = get().providers.tryIt;
        patch({ tryIt: { ...t, text: t.text + parts.join('') } });
      });
      const addLog = (line: string) => {
        const t = get().providers.tryIt;
        patch({ tryIt: { ...t, log: [...t.log, line] } });
      };
      const handle = getApi().providers.send(
        { capability, messages: [{ role: 'user', content: prompt }], params: { temperature, maxTokens: 256 } },
        (e) => {
          if (e.type === 'delta') batcher.push(e.text);
          else if (e.type === 'attempt') addLog(`Attempt ${e.attempt}: ${e.providerId} / ${e.model}`);
          else if (e.type === 'retry') addLog(`Retrying ${e.providerId} in ${Math.round(e.delayMs)} ms (${e.reason})`);
          else addLog(`Falling back from ${e.from}: ${e.reason}`);
        },
      );
      cancelTry = handle.cancel;
      const r = await handle.result;
      batcher.drain();
      cancelTry = null;
      const t = get().providers.tryIt;
      if (r.ok) patch({ tryIt: { ...t, running: false, text: r.value.text, result: r.value, error: r.value.error } });
      else patch({ tryIt: { ...t, running: false, error: r.error } });
      void get().loadUsage();
    },
    cancelTry() {
      cancelTry?.();
    },
    async loadUsage() {
      const api = getApi();
      const [usage, cache, budgets] = await Promise.all([
        api.providers.usage({}),
        api.providers.cacheStats({}),
        api.providers.getBudgets({}),
      ]);
      patch({
        ...(usage.ok ? { usage: usage.value } : {}),
        ...(cache.ok ? { cache: cache.value } : {}),
        ...(budgets.ok ? { budgets: budgets.value } : {}),
        error: usage.ok ? null : usage.error,
      });
    },
    async startServer() {
      const r = await getApi().providers.serverStart({});
      if (r.ok) patch({ server: r.value, error: null });
      else fail(r.error);
    },
    async stopServer() {
      const r = await getApi().providers.serverStop({});
      if (r.ok) patch({ server: r.value, error: null });
      else fail(r.error);
    },
    async saveServerSettings(settings) {
      const r = await getApi().providers.serverSetSettings(settings);
      if (r.ok) patch({ server: r.value, error: null });
      else fail(r.error);
    },
    async revealServerToken() {
      const r = await getApi().providers.serverRevealToken({});
      if (r.ok) patch({ serverToken: r.value.token, error: null });
      else fail(r.error);
    },
    async regenerateServerToken() {
      const r = await getApi().providers.serverRegenerateToken({});
      if (!r.ok) return fail(r.error);
      const status = await getApi().providers.serverStatus({});
      patch({ serverToken: r.value.token, ...(status.ok ? { server: status.value } : {}), error: null });
    },
    hideServerToken() {
      patch({ serverToken: null });
    },
  };
};
