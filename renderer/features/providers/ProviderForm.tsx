// Add / edit one provider: kind, id, label, base URL, default model, CA file and a write-only API key field (the key goes to the keychain).
import { useState } from 'react';
import type { ProviderEntry } from '../../../common/contracts/providers';
import { useStore } from '../../app/store';
import { fromEntry, toConfig, type CloudKind, type ProviderFormState as FormState } from './provider-form-state';

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

export function ProviderForm({ editing, onDone }: { editing: ProviderEntry | null; onDone: () => void }) {
  const save = useStore((s) => s.saveProvider);
  // Main's refusal of this form's save (an unreadable CA file, a bad URL), shown here where the field is.
  const saveError = useStore((s) => s.providers.saveError);
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
      <label>
        CA file (PEM, optional: a private CA that signed the server, e.g. a company gateway){' '}
        <input
          value={f.caFile}
          onChange={(e) => set({ caFile: e.target.value })}
          placeholder="/etc/ssl/company-ca.pem"
          data-testid="provider-ca-file"
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
      {saveError && (
        <p role="alert" className="error-text" data-testid="provider-form-error">
          {saveError.code}: {saveError.message}
        </p>
      )}
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
