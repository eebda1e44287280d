// Per-feature destinations that may still be reached while "offline only" is on (the one egress guard in
// main/platform/egress enforces them where sockets are made): e.g. your cluster's host, or huggingface.co for
// model downloads. Each entry is checked with the same schema main uses before it is saved.
import { useState } from 'react';
import { EGRESS_FEATURE_LABELS, EGRESS_FEATURES, EgressDestinationSchema, type EgressAllow } from '../../../common/contracts/settings';
import { useStore } from '../../app/store';

function FeatureRow({ feature, allow }: { feature: (typeof EGRESS_FEATURES)[number]; allow: EgressAllow }) {
  const save = useStore((s) => s.saveSettings);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = allow[feature];
  const add = () => {
    const r = EgressDestinationSchema.safeParse(draft);
    if (!r.success) return setError(`"${draft}" is not a destination: use host, host:port or *.domain`);
    if (list.includes(r.data)) return setError(`${r.data} is already allowed`);
    setError(null);
    setDraft('');
    void save({ egressAllow: { ...allow, [feature]: [...list, r.data] } });
  };
  return (
    <div className="egress-feature" data-testid={`egress-${feature}`}>
      <strong>{EGRESS_FEATURE_LABELS[feature]}</strong>
      {list.length === 0 ? (
        <span className="muted"> — nothing allowed</span>
      ) : (
        <ul>
          {list.map((d) => (
            <li key={d}>
              <code>{d}</code>{' '}
              <button
                type="button"
                aria-label={`Remove ${d}`}
                onClick={() => void save({ egressAllow: { ...allow, [feature]: list.filter((x) => x !== d) } })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <input
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="host, host:port or *.domain"
          aria-label={`Allow a destination for ${EGRESS_FEATURE_LABELS[feature]}`}
        />
        <button type="submit" disabled={!draft.trim()}>
          Allow
        </button>
      </form>
      {error && <div className="error-text">{error}</div>}
    </div>
  );
}

export function EgressAllowPanel({ allow, offlineOnly }: { allow: EgressAllow; offlineOnly: boolean }) {
  return (
    <div className="egress-allow" data-testid="egress-allow">
      <h4>Allowed destinations</h4>
      <p className="muted">
        {offlineOnly
          ? 'While offline only is on, these destinations are the only non-local ones each feature may reach:'
          : 'Offline only is off: every feature may reach the network. These lists apply when you turn it back on:'}
      </p>
      {EGRESS_FEATURES.map((f) => (
        <FeatureRow key={f} feature={f} allow={allow} />
      ))}
    </div>
  );
}
