// Persists provider configs, routes and budgets in the encrypted store (provider.* and setting.* requests); keys stay in the keychain.
import { ProviderConfigSchema, type ProviderConfig } from '../../../common/providers/config';
import type { Json } from '../../../common/store/rows';
import type { StoreMethod, StoreParams, StoreResult } from '../../../common/store/requests';
import { BudgetLimitsSchema, type BudgetLimits } from '../router/budget';
import { z } from 'zod';
import { CAPABILITIES } from '../../../common/providers/types';
import { RouteCandidateSchema, type CapabilityMap } from '../router/capability-map';

// Partial: a stored map may name only some capabilities (zod 4's record over an enum would demand all of them).
const StoredRoutesSchema = z.partialRecord(z.enum(CAPABILITIES), z.array(RouteCandidateSchema).max(10));

export interface StoreCaller {
  call<M extends Exclude<StoreMethod, 'open'>>(method: M, params: StoreParams<M>): Promise<StoreResult<M>>;
}

const ROUTES_KEY = 'providers.routes';
const BUDGETS_KEY = 'providers.budgets';

/** The keychain account of a provider's API key. */
export const secretAccount = (providerId: string): string => `provider:${providerId}`;

type Row = StoreResult<'provider.list'>[number];

export function toRow(c: ProviderConfig): StoreParams<'provider.upsert'> {
  const options: Record<string, Json> = {};
  let baseUrl: string | null = null;
  if (c.kind === 'openai') {
    baseUrl = c.baseUrl ?? null;
    if (c.organization) options['organization'] = c.organization;
  } else if (c.kind === 'anthropic') baseUrl = c.baseUrl ?? null;
  else if (c.kind === 'huggingface') baseUrl = c.endpointUrl ?? null;
  else if (c.kind === 'openai-compatible') {
    baseUrl = c.baseUrl;
    // Named so the store's "no secrets in options" rule cannot mistake it for a key.
    options['keyRequired'] = c.requiresKey;
  }
  // The path of the user's CA file (not its contents: it is read at each load, so a renewed CA needs no re-save).
  if (c.kind !== 'local' && c.caFile) options['caFile'] = c.caFile;
  return { id: c.id, kind: c.kind, name: c.label, baseUrl, defaultModel: c.defaultModel ?? null, options, enabled: c.enabled };
}

/** Back to a ProviderConfig; null when a stored row no longer validates (reported by the caller). */
export function fromRow(r: Row): ProviderConfig | null {
  const o = (r.options && typeof r.options === 'object' && !Array.isArray(r.options) ? r.options : {}) as Record<string, Json>;
  const base = { id: r.id, label: r.name, enabled: r.enabled, ...(r.defaultModel ? { defaultModel: r.defaultModel } : {}) };
  const url = r.baseUrl ?? undefined;
  const ca = typeof o['caFile'] === 'string' && r.kind !== 'local' ? { caFile: o['caFile'] } : {};
  const raw =
    r.kind === 'openai'
      ? {
          ...base,
          kind: r.kind,
          ...(url ? { baseUrl: url } : {}),
          ...(typeof o['organization'] === 'string' ? { organization: o['organization'] } : {}),
        }
      : r.kind === 'anthropic'
        ? { ...base, kind: r.kind, ...(url ? { baseUrl: url } : {}) }
        : r.kind === 'huggingface'
          ? { ...base, kind: r.kind, ...(url ? { endpointUrl: url } : {}) }
          : { ...base, kind: r.kind, baseUrl: url, requiresKey: o['keyRequired'] === true };
  const parsed = ProviderConfigSchema.safeParse({ ...raw, ...ca });
  return parsed.success ? parsed.data : null;
}

export class ProviderConfigStore {
  constructor(private readonly store: StoreCaller) {}

  async list(): Promise<{ configs: ProviderConfig[]; invalid: string[] }> {
    const rows = await this.store.call('provider.list', {});
    const configs: ProviderConfig[] = [];
    const invalid: string[] = [];
    for (const r of rows) {
      const c = fromRow(r);
      if (c) configs.push(c);
      else invalid.push(r.id);
    }
    return { configs, invalid };
  }

  async save(c: ProviderConfig): Promise<void> {
    await this.store.call('provider.upsert', toRow(c));
  }

  async remove(id: string): Promise<boolean> {
    return (await this.store.call('provider.remove', { id })).removed;
  }

  async routes(): Promise<CapabilityMap | null> {
    const s = await this.store.call('setting.get', { key: ROUTES_KEY });
    const parsed = s ? StoredRoutesSchema.safeParse(s.value) : null;
    return parsed?.success ? (parsed.data as CapabilityMap) : null;
  }

  async saveRoutes(map: CapabilityMap): Promise<void> {
    await this.store.call('setting.set', { key: ROUTES_KEY, value: map as unknown as Json });
  }

  async budgets(): Promise<BudgetLimits | null> {
    const s = await this.store.call('setting.get', { key: BUDGETS_KEY });
    const parsed = s ? BudgetLimitsSchema.safeParse(s.value) : null;
    return parsed?.success ? parsed.data : null;
  }

  async saveBudgets(limits: BudgetLimits): Promise<void> {
    await this.store.call('setting.set', { key: BUDGETS_KEY, value: limits as unknown as Json });
  }
}
