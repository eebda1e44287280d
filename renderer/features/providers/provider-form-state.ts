// The provider form's state and its pure mapping to and from the `providers` contract's config (testable without a DOM).
import type { ProviderEntry } from '../../../common/contracts/providers';
import type { ProviderConfigInput } from '../../../common/providers/config';

export type CloudKind = 'openai' | 'anthropic' | 'huggingface' | 'openai-compatible';

export interface ProviderFormState {
  kind: CloudKind;
  id: string;
  label: string;
  url: string;
  model: string;
  apiKey: string;
  requiresKey: boolean;
  enabled: boolean;
  /** Path of a PEM file of a private CA (a company gateway, a self-hosted vLLM); empty = the system roots only. */
  caFile: string;
}

export function toConfig(f: ProviderFormState): ProviderConfigInput {
  const caFile = f.caFile.trim();
  const base = {
    id: f.id.trim(),
    label: f.label.trim() || f.id.trim(),
    enabled: f.enabled,
    ...(f.model.trim() ? { defaultModel: f.model.trim() } : {}),
    // Main reads the file when it builds the provider (save and every start): an unreadable one is refused there.
    ...(caFile ? { caFile } : {}),
  };
  const url = f.url.trim();
  switch (f.kind) {
    case 'openai':
      return { ...base, kind: 'openai', ...(url ? { baseUrl: url } : {}) };
    case 'anthropic':
      return { ...base, kind: 'anthropic', ...(url ? { baseUrl: url } : {}) };
    case 'huggingface':
      return { ...base, kind: 'huggingface', ...(url ? { endpointUrl: url } : {}) };
    case 'openai-compatible':
      return { ...base, kind: 'openai-compatible', baseUrl: url, requiresKey: f.requiresKey };
  }
}

export function fromEntry(e: ProviderEntry | null): ProviderFormState {
  const c = e?.config;
  const url = !c ? '' : c.kind === 'huggingface' ? (c.endpointUrl ?? '') : 'baseUrl' in c ? (c.baseUrl ?? '') : '';
  return {
    kind: c && c.kind !== 'local' ? c.kind : 'openai-compatible',
    id: c?.id ?? '',
    label: c?.label ?? '',
    url,
    model: c?.defaultModel ?? '',
    apiKey: '',
    requiresKey: c?.kind === 'openai-compatible' ? c.requiresKey : true,
    enabled: c?.enabled ?? true,
    caFile: c && c.kind !== 'local' ? (c.caFile ?? '') : '',
  };
}
