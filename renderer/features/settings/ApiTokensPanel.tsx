// Settings → Local server → API tokens: named tokens with scopes, expiry and a rate limit; the secret is shown once
// after creation (copy it then), the list shows only a prefix hint; revoking asks first and takes effect at once.
import { useEffect, useState } from 'react';
import { API_SCOPES, type ApiScope, type ApiTokenInfo } from '../../../common/store/api-token-requests';
import { useStore } from '../../app/store';
import type { ApiTokenDraft } from './api-tokens-slice';

const SCOPE_HELP: Record<ApiScope, string> = {
  chat: 'chat completions (/v1/chat/completions, Ollama /api/chat)',
  completions: 'text and fill-in-the-middle completions (/v1/completions, /infill, /api/generate)',
  embeddings: 'embeddings (/v1/embeddings)',
  models: 'model lists and server status (/v1/models, /api/tags, /health)',
};

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());

function CreateForm({ onCreate, busy }: { onCreate: (d: ApiTokenDraft) => void; busy: boolean }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['chat', 'completions', 'models']);
  const [days, setDays] = useState('');
  const [rate, setRate] = useState('600');
  const daysNum = days.trim() === '' ? null : Number(days);
  const rateNum = rate.trim() === '' ? null : Number(rate);
  const valid =
    name.trim().length > 0 &&
    scopes.length > 0 &&
    (daysNum === null || (Number.isFinite(daysNum) && daysNum > 0)) &&
    (rateNum === null || (Number.isInteger(rateNum) && rateNum >= 1));
  return (
    <form
      className="row"
      data-testid="api-token-create"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onCreate({ name: name.trim(), scopes, expiresInDays: daysNum, rateLimitPerMin: rateNum });
      }}
    >
      <label>
        Name{' '}
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. VS Code on laptop" data-testid="api-token-name" />
      </label>
      {API_SCOPES.map((s) => (
        <label key={s} className="toggle" title={SCOPE_HELP[s]}>
          <input
            type="checkbox"
            checked={scopes.includes(s)}
            onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
            data-testid={`api-token-scope-${s}`}
          />{' '}
          {s}
        </label>
      ))}
      <label>
        Expires in (days, empty = never){' '}
        <input type="number" min="1" value={days} onChange={(e) => setDays(e.target.value)} data-testid="api-token-days" />
      </label>
      <label>
        Requests/min (empty = no limit){' '}
        <input type="number" min="1" value={rate} onChange={(e) => setRate(e.target.value)} data-testid="api-token-rate" />
      </label>
      <button type="submit" disabled={!valid || busy} data-testid="api-token-submit">
        Create token
      </button>
    </form>
  );
}

/** `now`: when the list was shown (render stays pure; a reload re-reads it). */
function TokenRow({ t, now }: { t: ApiTokenInfo; now: number }) {
  const revoke = useStore((s) => s.revokeApiToken);
  const setRate = useStore((s) => s.setApiTokenRateLimit);
  const [confirming, setConfirming] = useState(false);
  const [rate, setRateText] = useState(t.rateLimitPerMin === null ? '' : String(t.rateLimitPerMin));
  const expired = t.expiresAt !== null && t.expiresAt <= now;
  const rateNum = rate.trim() === '' ? null : Number(rate);
  const rateValid = rateNum === null || (Number.isInteger(rateNum) && rateNum >= 1);
  return (
    <tr data-testid={`api-token-${t.name}`}>
      <td>{t.name}</td>
      <td>
        <code>{`${t.prefixHint}…`}</code>
      </td>
      <td>{t.scopes.join(', ')}</td>
      <td>{when(t.createdAt)}</td>
      <td>{when(t.lastUsedAt)}</td>
      <td>{expired ? <span className="error-text">expired {when(t.expiresAt)}</span> : when(t.expiresAt)}</td>
      <td>
        <input
          type="number"
          min="1"
          value={rate}
          onChange={(e) => setRateText(e.target.value)}
          aria-label={`Requests per minute for ${t.name}`}
        />
        {rateNum !== t.rateLimitPerMin && (
          <button type="button" disabled={!rateValid} onClick={() => void setRate(t.id, rateNum)}>
            Save
          </button>
        )}
      </td>
      <td>
        {confirming ? (
          <>
            Revoke “{t.name}”? Clients using it stop working now.{' '}
            <button type="button" onClick={() => void revoke(t.id)} data-testid="api-token-revoke-confirm">
              Revoke
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} data-testid="api-token-revoke">
            Revoke…
          </button>
        )}
      </td>
    </tr>
  );
}

export function ApiTokensPanel() {
  const state = useStore((s) => s.apiTokens);
  const load = useStore((s) => s.loadApiTokens);
  const create = useStore((s) => s.createApiToken);
  const dismiss = useStore((s) => s.dismissApiToken);
  const [copied, setCopied] = useState(false);
  const [now] = useState(() => Date.now());
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section data-testid="api-tokens">
      <h4>API tokens</h4>
      <p className="hint">
        One token per editor or script, each limited to what it needs. Tokens are stored hashed: the token is shown once, when you create
        it. The token above keeps working with every scope.
      </p>
      {state.created && (
        <div className="row" role="status" data-testid="api-token-created">
          <span>
            New token “{state.created.info.name}”: <code className="recovery-key">{state.created.token}</code>
          </span>
          <button
            type="button"
            onClick={() => void navigator.clipboard?.writeText(state.created?.token ?? '').then(() => setCopied(true))}
            data-testid="api-token-copy"
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button
            type="button"
            onClick={() => {
              setCopied(false);
              dismiss();
            }}
            data-testid="api-token-done"
          >
            Done — I have copied it
          </button>
          <p className="hint">This is the only time it is shown. Lost it? Revoke it and create another.</p>
        </div>
      )}
      <CreateForm onCreate={(d) => void create(d)} busy={state.busy} />
      {state.error && (
        <p role="alert" className="error-text" data-testid="api-tokens-error">
          {state.error.message}
        </p>
      )}
      {state.list.length > 0 ? (
        <table className="table" data-testid="api-token-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Token</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>Requests/min</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {state.list.map((t) => (
              <TokenRow key={`${t.id}:${t.rateLimitPerMin ?? 'none'}`} t={t} now={now} />
            ))}
          </tbody>
        </table>
      ) : (
        <p className="hint">No named tokens yet.</p>
      )}
    </section>
  );
}
