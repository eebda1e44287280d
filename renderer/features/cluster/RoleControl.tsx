// A cluster profile's role: the badge, and the selector (lowering is immediate; raising asks for the app lock's
// passphrase and code, and says to enable the app lock when it is off). Main checks the proof and audits either way.
import { useState } from 'react';
import { CLUSTER_ROLES, isRaise, type ClusterRole } from '../../../common/cluster/roles';
import { useClusterRoles } from './roles-store';

export function RoleBadge({ profileId }: { profileId: string }) {
  const role = useClusterRoles((s) => s.roles[profileId]);
  if (!role) return null;
  return (
    <span className={`badge role-badge role-${role}`} data-testid="cluster-role" title={`Your role on this cluster profile: ${role}`}>
      {role}
    </span>
  );
}

export function RoleControl({ profileId }: { profileId: string }) {
  const role = useClusterRoles((s) => s.roles[profileId]);
  const raiseAvailable = useClusterRoles((s) => s.raiseAvailable);
  const setRole = useClusterRoles((s) => s.setRole);
  const [target, setTarget] = useState<ClusterRole | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!role) return null;
  const apply = async (to: ClusterRole, proof?: { passphrase: string; code: string }) => {
    setBusy(true);
    const e = await setRole(profileId, to, proof);
    setBusy(false);
    setError(e);
    if (!e) {
      setTarget(null);
      setPassphrase('');
      setCode('');
    }
  };
  const choose = (to: ClusterRole) => {
    setError(null);
    if (to === role) return setTarget(null);
    if (isRaise(role, to)) return setTarget(to);
    void apply(to);
  };
  return (
    <div className="role-control" data-testid="cluster-role-control">
      <label>
        Role{' '}
        <select
          value={target ?? role}
          data-testid="cluster-role-select"
          disabled={busy}
          onChange={(e) => choose(e.target.value as ClusterRole)}
        >
          {CLUSTER_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      {target && !raiseAvailable && (
        <p className="error-text" data-testid="cluster-role-needs-lock">
          Enable the app lock (Settings → Security) to raise roles: raising to {target} needs its passphrase and code.
        </p>
      )}
      {target && raiseAvailable && (
        <form
          className="row"
          data-testid="cluster-role-raise"
          onSubmit={(e) => {
            e.preventDefault();
            void apply(target, { passphrase, code });
          }}
        >
          <span className="hint">Raising to {target} needs the app lock&apos;s passphrase and code.</span>
          <input
            type="password"
            aria-label="App lock passphrase"
            autoComplete="current-password"
            value={passphrase}
            data-testid="cluster-role-passphrase"
            onChange={(e) => setPassphrase(e.target.value)}
          />
          <input
            inputMode="numeric"
            aria-label="Authenticator code"
            autoComplete="one-time-code"
            value={code}
            placeholder="123456"
            data-testid="cluster-role-code"
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" disabled={busy || !passphrase} data-testid="cluster-role-confirm">
            Raise
          </button>
          <button type="button" onClick={() => setTarget(null)}>
            Cancel
          </button>
        </form>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="cluster-role-error">
          {error}
        </p>
      )}
    </div>
  );
}
