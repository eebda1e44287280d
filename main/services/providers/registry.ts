// Holds the configured providers (from settings) and builds adapters on change; the router and the settings UI read it.
import { EvolveError } from '../../../common/errors';
import { ProviderConfigSchema, type ProviderConfig } from '../../../common/providers/config';
import type { Provider } from '../../../common/providers/provider';
import type { ConnectionTest, ModelInfo, ProviderFeature, ProviderKind } from '../../../common/providers/types';
import { createProvider, type ProviderDeps } from './create-provider';

export interface ProviderSummary {
  id: string;
  label: string;
  kind: ProviderKind;
  enabled: boolean;
  leavesMachine: boolean;
  features: ProviderFeature[];
  /** Whether a key is stored (never the key itself). */
  hasKey: boolean;
}

export class ProviderRegistry {
  private readonly entries = new Map<string, { config: ProviderConfig; provider: Provider }>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: ProviderDeps) {}

  /** Adds or replaces a provider from an untrusted config (zod-validated by createProvider). */
  upsert(rawConfig: unknown): ProviderSummary {
    const provider = createProvider(rawConfig, this.deps);
    const config = ProviderConfigSchema.parse(rawConfig);
    this.entries.set(config.id, { config, provider });
    this.emit();
    return this.summarySync(config, provider, false);
  }

  /**
   * Adds a stored config at load. One whose adapter cannot be built now (its CA file was moved or deleted since it was
   * saved) stays listed, so the user sees it and can fix it in the form; every call to it fails with that reason
   * (INVALID_ARGUMENT naming the file), which "Test" shows. Returns the reason, or null when it was built.
   */
  restore(rawConfig: unknown): EvolveError | null {
    try {
      this.upsert(rawConfig);
      return null;
    } catch (e) {
      const parsed = ProviderConfigSchema.safeParse(rawConfig);
      const reason = e instanceof EvolveError ? e : new EvolveError('UNAVAILABLE', String(e));
      if (!parsed.success) return reason;
      this.entries.set(parsed.data.id, { config: parsed.data, provider: unbuildable(parsed.data, reason) });
      this.emit();
      return reason;
    }
  }

  remove(id: string): void {
    if (!this.entries.delete(id)) throw new EvolveError('NOT_FOUND', `No provider "${id}"`);
    this.emit();
  }

  /** The router's lookup: disabled providers are invisible to routing. */
  get(id: string): Provider | undefined {
    const e = this.entries.get(id);
    return e && e.config.enabled ? e.provider : undefined;
  }

  private require(id: string): Provider {
    const e = this.entries.get(id);
    if (!e) throw new EvolveError('NOT_FOUND', `No provider "${id}"`);
    return e.provider;
  }

  private summarySync(config: ProviderConfig, p: Provider, hasKey: boolean): ProviderSummary {
    return {
      id: config.id,
      label: config.label,
      kind: config.kind,
      enabled: config.enabled,
      leavesMachine: p.leavesMachine,
      features: [...p.features],
      hasKey,
    };
  }

  async list(): Promise<ProviderSummary[]> {
    return Promise.all(
      [...this.entries.values()].map(async ({ config, provider }) =>
        this.summarySync(config, provider, (await this.deps.getSecret(config.id)) !== undefined),
      ),
    );
  }

  configs(): ProviderConfig[] {
    return [...this.entries.values()].map((e) => e.config);
  }

  /** The settings "Test connection" button. */
  async testConnection(id: string, signal?: AbortSignal): Promise<ConnectionTest> {
    return this.require(id).testConnection(signal ? { signal } : undefined);
  }

  async listModels(id: string, signal?: AbortSignal): Promise<ModelInfo[]> {
    return this.require(id).listModels(signal ? { signal } : undefined);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/** Stands in for a stored provider that cannot be built: nothing is sent, every call fails with why. */
function unbuildable(c: ProviderConfig, reason: EvolveError): Provider {
  const fail = (): never => {
    throw reason;
  };
  return {
    id: c.id,
    kind: c.kind,
    features: new Set(),
    leavesMachine: c.kind !== 'local',
    listModels: async () => fail(),
    // eslint-disable-next-line require-yield -- fails before its first event
    chat: async function* () {
      fail();
    },
    // eslint-disable-next-line require-yield -- fails before its first event
    complete: async function* () {
      fail();
    },
    testConnection: async () => fail(),
  };
}
