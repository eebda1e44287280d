// Settings → Providers: offline-only explained, the provider list and form, routes, budgets, preview, try it and the local OpenAI-compatible server.
import { useEffect, useState } from 'react';
import type { ProviderEntry } from '../../../common/contracts/providers';
import { useStore } from '../../app/store';
import { ProviderForm } from './ProviderForm';
import { ProviderList } from './ProviderList';
import { LocalServerPanel } from './LocalServerPanel';
import { PreviewBox, TryItBox } from './RoutingPanels';

function OfflineOnly() {
  const on = useStore((s) => s.settings?.offlineOnly ?? true);
  const save = useStore((s) => s.saveSettings);
  return (
    <div className={`offline-box ${on ? 'on' : 'off'}`} data-testid="providers-offline">
      <label className="toggle">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => void save({ offlineOnly: e.target.checked })}
          data-testid="providers-offline-only"
        />
        <strong>Offline only</strong>
      </label>
      <p className="hint">
        {on
          ? 'On: nothing leaves this machine. Cloud providers (OpenAI, Anthropic, Hugging Face) are refused, and OpenAI-compatible servers are reachable only on this machine (127.0.0.1 / localhost).'
          : 'Off: enabled cloud providers may be used. Every cloud send is redacted first, checked against your budgets, and recorded in the audit log (sizes and redaction counts, never the text).'}
      </p>
    </div>
  );
}

function Routes() {
  const routes = useStore((s) => s.providers.routes);
  const reset = useStore((s) => s.resetRoutes);
  return (
    <div data-testid="routes">
      <h4>Routes (tried in order)</h4>
      <dl className="facts">
        {Object.entries(routes).map(([cap, list]) => (
          <div key={cap} className="route-row">
            <dt>{cap}</dt>
            <dd>{(list ?? []).map((c) => `${c.providerId} / ${c.model}`).join(' → ') || '—'}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={() => void reset()} data-testid="routes-reset">
        Reset to local only
      </button>
    </div>
  );
}

function Budgets() {
  const budgets = useStore((s) => s.providers.budgets);
  const d = budgets?.limits.dailyUsd;
  const p = budgets?.limits.projectDailyUsd;
  return (
    <div data-testid="budgets">
      <h4>Budgets (USD per UTC day; a send whose estimate would exceed one is refused)</h4>
      {/* Keyed by the stored limits so the inputs start from them and reset when they change. */}
      <BudgetForm key={`${d ?? ''}|${p ?? ''}`} daily={d} project={p} />
      {budgets && (
        <p className="hint">
          Spent today ({budgets.spent.day}): ${budgets.spent.totalUsd.toFixed(6)}
        </p>
      )}
    </div>
  );
}

function BudgetForm(props: { daily: number | undefined; project: number | undefined }) {
  const save = useStore((s) => s.saveBudgets);
  const [daily, setDaily] = useState(props.daily !== undefined ? String(props.daily) : '');
  const [project, setProject] = useState(props.project !== undefined ? String(props.project) : '');
  const num = (v: string) => (v.trim() === '' || Number.isNaN(Number(v)) ? undefined : Math.max(0, Number(v)));
  return (
    <div className="row">
      <label>
        All projects{' '}
        <input type="number" min="0" step="0.01" value={daily} onChange={(e) => setDaily(e.target.value)} data-testid="budget-daily" />
      </label>
      <label>
        Per project{' '}
        <input
          type="number"
          min="0"
          step="0.01"
          value={project}
          onChange={(e) => setProject(e.target.value)}
          data-testid="budget-project"
        />
      </label>
      <button
        type="button"
        onClick={() => {
          const dv = num(daily);
          const pv = num(project);
          void save({ ...(dv !== undefined ? { dailyUsd: dv } : {}), ...(pv !== undefined ? { projectDailyUsd: pv } : {}) });
        }}
        data-testid="budget-save"
      >
        Save budgets
      </button>
    </div>
  );
}

export function ProvidersPanel() {
  const ready = useStore((s) => s.vault.status?.state === 'ready');
  const load = useStore((s) => s.loadProviders);
  const error = useStore((s) => s.providers.error);
  const clearSaveError = useStore((s) => s.clearProviderSaveError);
  const [editing, setEditingRaw] = useState<ProviderEntry | 'new' | null>(null);
  // A refusal belongs to the form that caused it: opening or closing a form starts clean.
  const setEditing = (e: ProviderEntry | 'new' | null) => {
    clearSaveError();
    setEditingRaw(e);
  };
  useEffect(() => {
    if (ready) void load();
  }, [ready, load]);
  if (!ready)
    return (
      <fieldset data-testid="providers-panel">
        <legend>Providers</legend>
        <p>Unlock the encrypted store to manage providers: their settings and usage live there, their keys in its keychain.</p>
      </fieldset>
    );
  return (
    <>
      <fieldset data-testid="providers-panel">
        <legend>Providers</legend>
        <OfflineOnly />
        {error && (
          <p role="alert" className="error-text" data-testid="providers-error">
            {error.code}: {error.message}
          </p>
        )}
        <ProviderList onEdit={(e) => setEditing(e)} />
        {editing ? (
          <ProviderForm
            key={editing === 'new' ? 'new' : editing.config.id}
            editing={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
          />
        ) : (
          <button type="button" onClick={() => setEditing('new')} data-testid="provider-add">
            Add provider
          </button>
        )}
        <Routes />
        <Budgets />
      </fieldset>
      <PreviewBox />
      <TryItBox />
      <LocalServerPanel />
    </>
  );
}
