// The configured providers: where calls go, whether a key is stored, Test connection, model list, "use first" and edit/remove.
import type { ProviderEntry } from '../../../common/contracts/providers';
import { useStore } from '../../app/store';

function TestResult({ id }: { id: string }) {
  const t = useStore((s) => s.providers.tests[id]);
  if (!t) return null;
  if (t === 'pending') return <span data-testid={`provider-test-${id}`}>Testing…</span>;
  return (
    <span className={t.ok ? 'ok-text' : 'error-text'} role={t.ok ? 'status' : 'alert'} data-testid={`provider-test-${id}`}>
      {t.ok ? '✓ ' : '✗ '}
      {t.message} ({Math.round(t.latencyMs)} ms)
    </span>
  );
}

function Models({ id }: { id: string }) {
  const m = useStore((s) => s.providers.models[id]);
  if (!m) return null;
  if (m.error)
    return (
      <p className="error-text" role="alert">
        Models: {m.error.message}
      </p>
    );
  return (
    <ul className="model-list" data-testid={`provider-models-${id}`} aria-label={`Models of ${id}`}>
      {m.models.length === 0 ? <li>No models reported</li> : m.models.map((x) => <li key={x.id}>{x.id}</li>)}
    </ul>
  );
}

export function ProviderList({ onEdit }: { onEdit: (e: ProviderEntry) => void }) {
  const entries = useStore((s) => s.providers.entries);
  const test = useStore((s) => s.testProvider);
  const models = useStore((s) => s.loadProviderModels);
  const remove = useStore((s) => s.removeProvider);
  const routeFirst = useStore((s) => s.routeFirst);
  return (
    <table className="audit-table provider-table" data-testid="provider-list">
      <thead>
        <tr>
          <th>Provider</th>
          <th>Where</th>
          <th>Key</th>
          <th>Actions</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const id = e.config.id;
          const model = e.config.defaultModel ?? (e.builtIn ? 'local-default' : '');
          return (
            <tr key={id} data-testid={`provider-row-${id}`}>
              <td>
                <strong>{e.config.label}</strong>
                <br />
                <code>{id}</code> · {e.config.kind}
                {e.config.enabled ? '' : ' · disabled'}
                {model ? ` · ${model}` : ''}
              </td>
              <td>{e.leavesMachine ? 'Leaves this machine (redacted, audited)' : 'Stays on this machine'}</td>
              <td>{e.builtIn ? '—' : e.hasKey ? 'In keychain' : 'None'}</td>
              <td>
                <div className="row">
                  <button type="button" onClick={() => void test(id)} data-testid={`provider-test-btn-${id}`}>
                    Test connection
                  </button>
                  <button type="button" onClick={() => void models(id)} data-testid={`provider-models-btn-${id}`}>
                    Models
                  </button>
                  <button
                    type="button"
                    disabled={!model}
                    title={model ? `Route every task to ${id} / ${model} first` : 'Set a default model first'}
                    onClick={() => void routeFirst(id, model)}
                    data-testid={`provider-route-${id}`}
                  >
                    Use first
                  </button>
                  {!e.builtIn && (
                    <>
                      <button type="button" onClick={() => onEdit(e)} data-testid={`provider-edit-${id}`}>
                        Edit
                      </button>
                      <button type="button" onClick={() => void remove(id)} data-testid={`provider-remove-${id}`}>
                        Remove
                      </button>
                    </>
                  )}
                </div>
                <TestResult id={id} />
                <Models id={id} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
