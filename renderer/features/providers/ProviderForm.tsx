// Add / edit one provider: kind, id, label, base URL, default model and a write-only API key field (the key goes to the keychain).
import { useState } from 'react';
import type { ProviderEntry } from '../../../common/contracts/providers';
import type { ProviderConfigInput } from '../../../common/providers/config';
import { useStore } from '../../app/store';

type CloudKind = 'openai' | 'anthropic' | 'huggingface' | 'openai-compatible';
const KINDS: { kind: CloudKind; label: string; url: string }[] = [
  {
    kind: 'openai-compatible',
    label: 'OpenAI-compatible (Ollama, vLLM, LM Studio…)',
    url: 'Base URL (required), e.g. http://127.0.0.1:11434/v1',
  },
  { kind: 'openai', label: 'OpenAI', url: 'Base URL (optional; default api.openai.com)' },
  { kind: 'anthropic', label: 'Anthropic', url: 'Base URL (optional; default api.anthropic.com)' },
  { kind: 'huggingface', label: 'Hugging Face (TGI / Inference Endpoint)', url: 'Endpoint URL (optional; default HF router)' },
];

function toConfig(f: FormState): ProviderConfigInput {
  const base = {
    id: f.id.trim(),
    label: f.label.trim() || f.id.trim(),
    enabled: f.enabled,
    ...(f.model.trim() ? { defaultModel: f.model.trim() } : {}),
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

interface FormState {
  kind: CloudKind;
  id: string;
  label: string;
  url: string;
  model: string;
  apiKey: string;
  requiresKey: boolean;
  enabled: boolean;
}

function fromEntry(e: ProviderEntry | null): FormState {
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
  };
}

export function ProviderForm({ editing, onDone }: { editing: ProviderEntry | null; onDone: () => void }) {
  const save = useStore((s) => s.saveProvider);
  const [f, setF] = useState<FormState>(() => fromEntry(editing));
  const [busy, setBusy] = useState(false);
  const set = (p: Partial<FormState>) => setF((prev) => ({ ...prev, ...p }));
  const kind = KINDS.find((k) => k.kind === f.kind) ?? KINDS[0];
  const submit = async () => {
    setBusy(true);
    const ok = await save({ config: toConfig(f), ...(f.apiKey ? { apiKey: f.apiKey } : {}) });
    setBusy(false);
    if (ok) onDone();
  };
  return (
    <form
      className="provider-form"
      data-testid="provider-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Kind{' '}
        <select
          value={f.kind}
          onChange={(e) => set({ kind: e.target.value as CloudKind })}
          disabled={editing !== null}
          data-testid="provider-kind"
        >
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Id{' '}
        <input
          value={f.id}
          onChange={(e) => set({ id: e.target.value })}
          disabled={editing !== null}
          placeholder="my-ollama"
          required
          data-testid="provider-id"
        />
      </label>
      <label>
        Name{' '}
        <input value={f.label} onChange={(e) => set({ label: e.target.value })} placeholder="Shown in lists" data-testid="provider-label" />
      </label>
      <label>
        {kind?.url} <input value={f.url} onChange={(e) => set({ url: e.target.value })} type="url" data-testid="provider-url" />
      </label>
      <label>
        Default model{' '}
        <input
          value={f.model}
          onChange={(e) => set({ model: e.target.value })}
          placeholder="e.g. gpt-4o-mini"
          data-testid="provider-model"
        />
      </label>
      <label>
        API key{' '}
        <input
          value={f.apiKey}
          onChange={(e) => set({ apiKey: e.target.value })}
          type="password"
          autoComplete="off"
          placeholder={editing?.hasKey ? 'Stored in the keychain — leave empty to keep it' : 'Stored in the OS keychain, never shown again'}
          data-testid="provider-key"
        />
      </label>
      {f.kind === 'openai-compatible' && (
        <label className="toggle">
          <input type="checkbox" checked={f.requiresKey} onChange={(e) => set({ requiresKey: e.target.checked })} /> This server needs an
          API key
        </label>
      )}
      <label className="toggle">
        <input type="checkbox" checked={f.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
      </label>
      <div className="row">
        <button type="submit" disabled={busy || !f.id.trim()} data-testid="provider-save">
          {editing ? 'Save' : 'Add provider'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
