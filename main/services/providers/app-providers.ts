// The app's provider service: registry + router + guard + redaction + budgets + cache + usage, wired to the encrypted store, keychain, audit log and settings.
import fs from 'node:fs';
import path from 'node:path';
import { EvolveError, toErrorInfo, type ErrorInfo } from '../../../common/errors';
import type { CapabilityMapDto, ProviderEntry, SendEvent, SendResult, UsageReport } from '../../../common/contracts/providers';
import type { ProviderConfig } from '../../../common/providers/config';
import { parsePricingTable, type PricingTable } from '../../../common/providers/pricing';
import type { LocalEngineLike } from '../../../common/providers/provider';
import { estimateMessagesTokens, estimateTextTokens } from '../../../common/providers/tokens';
import type { ConnectionTest, FinishReason, ModelInfo, RoutingDecision, TokenUsage, UsageRecord } from '../../../common/providers/types';
import { groupUsage, usageSeries } from '../../../common/providers/usage-aggregate';
import type { StoreService } from '../store/store-service';
import type { SettingsService } from '../settings/settings-service';
import { WorkerRedactor } from '../redaction/worker-redactor';
import { BudgetTracker, type BudgetLimits } from '../router/budget';
import { defaultCapabilityMap, type CapabilityMap } from '../router/capability-map';
import { Router, type RouteRequestInput } from '../router/router';
import { ProviderConfigStore, secretAccount } from './config-store';
import { StoreCacheStore } from './store-cache';
import { EgressGuard } from './egress-guard';
import { LOCAL_DEFAULT_MODEL } from './local-engine';
import { LocalServerControl, type LocalServerControlOptions } from './local-server-control';
import { ProviderRegistry } from './registry';

export const LOCAL_PROVIDER_ID = 'local';
const MAX_SESSION_RECORDS = 5_000;

export interface AppProvidersOptions {
  store: StoreService;
  settings: SettingsService;
  resourcesDir: string;
  localEngine?: LocalEngineLike;
  /** Backend of the local OpenAI-compatible server (the app's local models); the server cannot start without it. */
  serverBackend?: LocalServerControlOptions['backend'];
  log: (level: 'info' | 'warn' | 'error', msg: string, data?: unknown) => void;
  /** The process's one egress guard (its policy follows settings); tests leave it out and get one driven by offlineOnly. */
  guard?: EgressGuard;
}

function loadPricing(resourcesDir: string, log: AppProvidersOptions['log']): PricingTable {
  try {
    return parsePricingTable(JSON.parse(fs.readFileSync(path.join(resourcesDir, 'providers', 'pricing.json'), 'utf8')));
  } catch (e) {
    log('warn', `pricing table unavailable, costs will read 0: ${toErrorInfo(e).message}`);
    return { version: 1, currency: 'USD', updated: 'n/a', providers: {} };
  }
}

export class AppProviders {
  readonly guard: EgressGuard;
  readonly registry: ProviderRegistry;
  /** Redaction runs in a worker thread, so a large prompt never stalls the main process. */
  readonly redactor = new WorkerRedactor();
  readonly budget = new BudgetTracker({ perProjectDailyUsd: {} });
  /** Temperature-0 answers, kept in the encrypted database (keys are request hashes). */
  readonly cache: StoreCacheStore;
  readonly router: Router;
  readonly server: LocalServerControl;
  private readonly configs: ProviderConfigStore;
  private readonly pricing: PricingTable;
  private offlineOnly = true; // safe until settings are read
  private routes: CapabilityMap = defaultCapabilityMap(LOCAL_PROVIDER_ID, LOCAL_DEFAULT_MODEL);
  private limits: BudgetLimits = { perProjectDailyUsd: {} };
  private readonly records: UsageRecord[] = [];
  private loaded: Promise<void> | null = null;

  constructor(private readonly o: AppProvidersOptions) {
    this.pricing = loadPricing(o.resourcesDir, o.log);
    this.guard = o.guard ?? new EgressGuard(() => ({ offlineOnly: this.offlineOnly }));
    this.configs = new ProviderConfigStore(o.store.client);
    this.cache = new StoreCacheStore(o.store, (l, m) => o.log(l, m));
    this.registry = new ProviderRegistry({
      guard: this.guard,
      getSecret: async (id) => (await o.store.getSecret(secretAccount(id), `provider ${id}`)) ?? undefined,
      ...(o.localEngine ? { localEngine: o.localEngine } : {}),
    });
    if (o.localEngine) this.registry.upsert({ id: LOCAL_PROVIDER_ID, kind: 'local', label: 'This computer (local engine)' });
    this.router = new Router({
      providers: (id) => this.registry.get(id),
      capabilityMap: () => this.routes,
      guard: this.guard,
      redactor: this.redactor,
      pricing: this.pricing,
      budget: this.budget,
      cache: this.cache,
      onUsage: (r) => this.onUsage(r),
      log: (l, m) => o.log(l, m),
    });
    this.server = new LocalServerControl({ backend: o.serverBackend, store: o.store, log: o.log });
    void o.settings.get().then((s) => (this.offlineOnly = s.offlineOnly));
    o.settings.onChange((s) => (this.offlineOnly = s.offlineOnly));
    o.store.onReady(() => {
      this.ensureLoaded().catch((e: unknown) => o.log('warn', `providers not loaded: ${toErrorInfo(e).message}`));
    });
  }

  /** Loads configs, routes, budgets and today's spend from the store, once per unlock. */
  ensureLoaded(): Promise<void> {
    this.o.store.assertReady();
    this.loaded ??= this.load().catch((e: unknown) => {
      this.loaded = null;
      throw e;
    });
    return this.loaded;
  }

  private async load(): Promise<void> {
    this.offlineOnly = (await this.o.settings.get()).offlineOnly;
    const { configs, invalid } = await this.configs.list();
    for (const c of configs) {
      const problem = this.registry.restore(c);
      if (problem) this.o.log('warn', `provider ${c.id} cannot be used: ${problem.message}`);
    }
    if (invalid.length) this.o.log('warn', `stored provider configs no longer valid: ${invalid.join(', ')}`);
    this.routes = (await this.configs.routes()) ?? this.routes;
    this.limits = (await this.configs.budgets()) ?? this.limits;
    this.budget.setLimits(this.limits);
    // Today's spend survives a restart, per project too: the store keeps every call since UTC midnight.
    const midnight = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const today = await this.o.store.client.call('usage.byProject', { since: midnight });
    this.budget.seed(today.map((r) => ({ at: Date.now(), costUsd: r.costUsd, projectId: r.projectId })));
  }

  private async onUsage(r: UsageRecord): Promise<void> {
    this.records.push(r);
    if (this.records.length > MAX_SESSION_RECORDS) this.records.shift();
    if (!this.o.store.ready) return;
    await this.o.store.client.call('usage.record', {
      id: r.id,
      at: r.at,
      projectId: r.projectId,
      provider: r.providerId,
      model: r.model,
      inputTokens: r.promptTokens,
      outputTokens: r.completionTokens,
      costUsd: r.costUsd,
      latencyMs: r.latencyMs,
    });
  }

  async list(): Promise<ProviderEntry[]> {
    await this.ensureLoaded();
    const out: ProviderEntry[] = [];
    for (const config of this.registry.configs()) out.push(await this.entry(config));
    return out.sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || a.config.id.localeCompare(b.config.id));
  }

  private async entry(config: ProviderConfig): Promise<ProviderEntry> {
    const p = this.registry.get(config.id);
    const builtIn = config.id === LOCAL_PROVIDER_ID && config.kind === 'local';
    return {
      config,
      hasKey: builtIn ? false : await this.o.store.hasSecret(secretAccount(config.id)),
      leavesMachine: p?.leavesMachine ?? config.kind !== 'local',
      features: p ? [...p.features] : [],
      builtIn,
    };
  }

  async upsert(config: ProviderConfig, apiKey: string | undefined, clearKey: boolean): Promise<ProviderEntry> {
    await this.ensureLoaded();
    if (config.id === LOCAL_PROVIDER_ID)
      throw new EvolveError('CONFLICT', `"${LOCAL_PROVIDER_ID}" is the built-in local engine; pick another id`);
    this.registry.upsert(config); // validates and builds the adapter before anything is stored
    await this.configs.save(config);
    if (clearKey) await this.o.store.deleteSecret(secretAccount(config.id));
    if (apiKey !== undefined) await this.o.store.setSecret(secretAccount(config.id), apiKey);
    return this.entry(config);
  }

  async remove(id: string): Promise<boolean> {
    await this.ensureLoaded();
    if (id === LOCAL_PROVIDER_ID) throw new EvolveError('FORBIDDEN', 'The local engine is built in and cannot be removed');
    const known = this.registry.configs().some((c) => c.id === id);
    if (known) this.registry.remove(id);
    const removed = (await this.configs.remove(id)) || known;
    await this.o.store.deleteSecret(secretAccount(id));
    const pruned = Object.fromEntries(
      Object.entries(this.routes).map(([cap, list]) => [cap, (list ?? []).filter((c) => c.providerId !== id)]),
    ) as CapabilityMap;
    if (JSON.stringify(pruned) !== JSON.stringify(this.routes)) await this.setRoutes(pruned);
    return removed;
  }

  private requireKnown(id: string): void {
    if (!this.registry.configs().some((c) => c.id === id)) throw new EvolveError('NOT_FOUND', `No provider "${id}"`);
  }

  async test(id: string, signal: AbortSignal): Promise<ConnectionTest> {
    await this.ensureLoaded();
    this.requireKnown(id);
    const t0 = performance.now();
    try {
      return await this.registry.testConnection(id, signal);
    } catch (e) {
      // Policy refusals and adapter errors are results here: the button shows them.
      const info = toErrorInfo(e);
      return { ok: false, latencyMs: performance.now() - t0, message: `${info.code}: ${info.message}` };
    }
  }

  async models(id: string, signal: AbortSignal): Promise<{ models: ModelInfo[]; error: Omit<ErrorInfo, 'details'> | null }> {
    await this.ensureLoaded();
    this.requireKnown(id);
    try {
      return { models: await this.registry.listModels(id, signal), error: null };
    } catch (e) {
      const { code, message } = toErrorInfo(e);
      return { models: [], error: { code: code === 'INTERNAL' ? 'UNAVAILABLE' : code, message } };
    }
  }

  async getRoutes(): Promise<CapabilityMapDto> {
    await this.ensureLoaded();
    return this.routes;
  }

  async setRoutes(map: CapabilityMapDto): Promise<CapabilityMapDto> {
    await this.ensureLoaded();
    await this.configs.saveRoutes(map);
    this.routes = map;
    return map;
  }

  async budgets() {
    await this.ensureLoaded();
    const s = this.budget.spent();
    return { limits: this.limits, spent: { day: s.day, totalUsd: s.totalUsd } };
  }

  async setBudgets(limits: BudgetLimits) {
    await this.ensureLoaded();
    await this.configs.saveBudgets(limits);
    this.limits = limits;
    this.budget.setLimits(limits);
    return this.budgets();
  }

  async preview(input: RouteRequestInput & { providerId: string }) {
    await this.ensureLoaded();
    const { providerId, ...req } = input;
    if (!this.registry.get(providerId)) throw new EvolveError('NOT_FOUND', `No enabled provider "${providerId}"`);
    const pv = await this.router.preview(req, providerId);
    const promptTokens = pv.messages ? estimateMessagesTokens(pv.messages) : estimateTextTokens(pv.prompt ?? '');
    return {
      providerId,
      leavesMachine: pv.leavesMachine,
      ...(pv.messages ? { messages: pv.messages } : {}),
      ...(pv.prompt !== undefined ? { prompt: pv.prompt } : {}),
      counts: pv.counts as Record<string, number>,
      total: pv.total,
      items: pv.items,
      estimatedPromptTokens: promptTokens,
      plan: this.router.plan(req),
    };
  }

  /** A routed call. Each attempt that leaves the machine is audited with the exact payload hash and redaction counts. */
  async send(input: RouteRequestInput, signal: AbortSignal, emit: (e: SendEvent) => Promise<void>): Promise<SendResult> {
    await this.ensureLoaded();
    let text = '';
    let usage: TokenUsage | null = null;
    let finishReason: FinishReason | null = null;
    let decision: RoutingDecision | null = null;
    try {
      for await (const ev of this.router.stream(input, signal)) {
        if (ev.type === 'decision') decision = ev.decision;
        else if (ev.type === 'done') {
          usage = ev.usage;
          finishReason = ev.finishReason;
        } else {
          if (ev.type === 'delta') text += ev.text;
          if (ev.type === 'attempt') await this.auditAttempt(input, ev.providerId, ev.model);
          await emit(ev);
        }
      }
      return { text, finishReason, usage, decision, error: null };
    } catch (e) {
      const { code, message } = toErrorInfo(e);
      if (code === 'CANCELLED' && signal.aborted) throw e;
      // Failures are results: the decision explains them and the page shows both.
      return { text, finishReason, usage, decision, error: { code: code === 'INTERNAL' ? 'UNAVAILABLE' : code, message } };
    }
  }

  private async auditAttempt(input: RouteRequestInput, providerId: string, model: string): Promise<void> {
    const p = this.registry.get(providerId);
    if (!p?.leavesMachine) return;
    // router.preview is the function the router itself uses to redact, so this is the payload it is about to send.
    const pv = await this.router.preview(input, providerId);
    const payload = JSON.stringify(pv.messages ?? pv.prompt ?? '');
    await this.o.store.audit.providerSend({
      provider: providerId,
      model,
      payload,
      redactions: pv.counts as Record<string, number>,
      ...(input.projectId ? { projectId: input.projectId } : {}),
    });
  }

  usage(sinceMs: number, bucketMs: number): Promise<UsageReport> {
    return this.usageReport(sinceMs, bucketMs);
  }

  private async usageReport(sinceMs: number, bucketMs: number): Promise<UsageReport> {
    await this.ensureLoaded();
    const stored = await this.o.store.client.call('usage.summary', { since: sinceMs });
    const recs = this.records.filter((r) => r.at >= sinceMs);
    return {
      stored,
      byProvider: groupUsage(recs, 'providerId'),
      byModel: groupUsage(recs, 'model'),
      byProject: groupUsage(recs, 'projectId'),
      series: usageSeries(recs, 'providerId', bucketMs),
      recent: recs.slice(-50),
    };
  }

  async dispose(): Promise<void> {
    await this.server.stop();
    await this.redactor.close();
  }
}
