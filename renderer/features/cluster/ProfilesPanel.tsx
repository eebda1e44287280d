// Cluster profiles: the list, an add/edit form (auth mode: none, bearer token — write-only, kept in the keychain — or
// OIDC sign-in), each profile's sign-in state, and the connection test result.
import { useState } from 'react';
import type { AuthMode, ClusterAuthInput } from '../../../common/cluster/auth';
import type { ClusterRole } from '../../../common/cluster/roles';
import type { ClusterProfile } from '../../../common/cluster/profile';
import { SignInControl } from './SignInControl';
import { useStore } from '../../app/store';
import { errorTitle } from '../../lib/errors';
import { RoleBadge, RoleControl } from './RoleControl';
import { useClusterRoles, gateFor } from './roles-store';

interface Form {
  id: string;
  name: string;
  dashboardUrl: string;
  prometheusUrl: string;
  alertmanagerUrl: string;
  token: string;
  clearToken: boolean;
  insecure: boolean;
  caFile: string;
  authMode: AuthMode;
  issuer: string;
  clientId: string;
  scopes: string;
  audience: string;
  roleClaim: string;
  /** "ml-admins=admin, ml-ops=operator" */
  roleMap: string;
  refuseHttp: boolean;
}

const ROLES: readonly string[] = ['viewer', 'operator', 'admin'];

/** Parses "value=role, value=role"; entries with an unknown role are dropped (the form shows what it kept on save). */
export function parseRoleMap(text: string): Record<string, ClusterRole> {
  const out: Record<string, ClusterRole> = {};
  for (const part of text.split(/[,\n]/)) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (k && v && ROLES.includes(v)) out[k] = v as ClusterRole;
  }
  return out;
}

const isLoopback = (u: string) => /^http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:|\/|$)/i.test(u);

const fromProfile = (p: ClusterProfile | undefined): Form => ({
  id: p?.id ?? '',
  name: p?.name ?? '',
  dashboardUrl: p?.dashboardUrl ?? 'http://127.0.0.1:8265',
  prometheusUrl: p?.prometheusUrl ?? '',
  alertmanagerUrl: p?.alertmanagerUrl ?? '',
  token: '',
  clearToken: false,
  insecure: p?.tls.insecure ?? false,
  caFile: p?.tls.caFile ?? '',
  authMode: p?.auth?.mode ?? (p?.hasToken ? 'bearer' : 'none'),
  issuer: p?.auth?.mode === 'oidc' ? p.auth.oidc.issuer : '',
  clientId: p?.auth?.mode === 'oidc' ? p.auth.oidc.clientId : '',
  scopes: p?.auth?.mode === 'oidc' ? p.auth.oidc.scopes : 'openid profile email offline_access',
  audience: p?.auth?.mode === 'oidc' ? (p.auth.oidc.audience ?? '') : '',
  roleClaim: p?.auth?.mode === 'oidc' ? (p.auth.oidc.roleClaim ?? '') : '',
  roleMap:
    p?.auth?.mode === 'oidc'
      ? Object.entries(p.auth.oidc.roleMap)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')
      : '',
  refuseHttp: p?.refuseTokenOverHttp ?? true,
});

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64) || 'cluster';

function ProfileForm({ editing, onDone }: { editing: ClusterProfile | undefined; onDone: () => void }) {
  const save = useStore((s) => s.saveClusterProfile);
  const busy = useStore((s) => s.cluster.busy);
  const [f, setF] = useState<Form>(() => fromProfile(editing));
  const set = (p: Partial<Form>) => setF((prev) => ({ ...prev, ...p }));
  const submit = async () => {
    // Switching away from bearer removes the stored token (it would otherwise sit unused in the keychain).
    const token =
      f.authMode === 'bearer' && f.token ? f.token : f.clearToken || (editing?.hasToken && f.authMode !== 'bearer') ? null : undefined;
    const auth: ClusterAuthInput =
      f.authMode === 'oidc'
        ? {
            mode: 'oidc',
            oidc: {
              issuer: f.issuer.trim(),
              clientId: f.clientId.trim(),
              ...(f.scopes.trim() ? { scopes: f.scopes.trim() } : {}),
              ...(f.audience.trim() ? { audience: f.audience.trim() } : {}),
              ...(f.roleClaim.trim() ? { roleClaim: f.roleClaim.trim(), roleMap: parseRoleMap(f.roleMap) } : {}),
            },
          }
        : { mode: f.authMode };
    const ok = await save(
      {
        id: f.id.trim() || slug(f.name),
        name: f.name.trim() || f.id.trim() || 'Cluster',
        dashboardUrl: f.dashboardUrl.trim(),
        ...(f.prometheusUrl.trim() ? { prometheusUrl: f.prometheusUrl.trim() } : {}),
        ...(f.alertmanagerUrl.trim() ? { alertmanagerUrl: f.alertmanagerUrl.trim() } : {}),
        tls: { insecure: f.insecure, ...(f.caFile.trim() ? { caFile: f.caFile.trim() } : {}) },
        auth,
        refuseTokenOverHttp: f.refuseHttp,
      },
      token,
    );
    if (ok) onDone();
  };
  const field = (label: string, key: keyof Form, testId: string, placeholder = '', type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        value={String(f[key])}
        placeholder={placeholder}
        data-testid={testId}
        autoComplete="off"
        onChange={(e) => set({ [key]: e.target.value } as Partial<Form>)}
      />
    </label>
  );
  return (
    <form
      className="provider-form cluster-form"
      data-testid="cluster-profile-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {field('Name', 'name', 'cluster-profile-name', 'Lab cluster')}
      {!editing && field('Id (optional)', 'id', 'cluster-profile-id', 'derived from the name')}
      {field('Ray dashboard URL', 'dashboardUrl', 'cluster-dashboard-url', 'http://head:8265')}
      {field('Prometheus URL (optional)', 'prometheusUrl', 'cluster-prometheus-url', 'http://prometheus:9090')}
      {field('Alertmanager URL (optional)', 'alertmanagerUrl', 'cluster-alertmanager-url', 'http://alertmanager:9093')}
      <label>
        Authentication
        <select data-testid="cluster-auth-mode" value={f.authMode} onChange={(e) => set({ authMode: e.target.value as AuthMode })}>
          <option value="none">None</option>
          <option value="bearer">Bearer token</option>
          <option value="oidc">Sign in with OIDC (device code)</option>
        </select>
      </label>
      {f.authMode === 'bearer' &&
        field(
          editing?.hasToken ? 'Bearer token (stored; type to replace)' : 'Bearer token (kept in the keychain)',
          'token',
          'cluster-token',
          '',
          'password',
        )}
      {f.authMode === 'oidc' && (
        <>
          {field('Issuer URL', 'issuer', 'cluster-oidc-issuer', 'https://login.example.com/realms/ml')}
          {field('Client id', 'clientId', 'cluster-oidc-client', 'evolve-studio')}
          {field('Scopes', 'scopes', 'cluster-oidc-scopes')}
          {field('Audience (optional)', 'audience', 'cluster-oidc-audience', 'the proxy in front of Ray')}
          {field('Role claim (optional)', 'roleClaim', 'cluster-oidc-role-claim', 'groups')}
          {f.roleClaim.trim() &&
            field('Claim value → role', 'roleMap', 'cluster-oidc-role-map', 'ml-admins=admin, ml-ops=operator (no match: viewer)')}
        </>
      )}
      {f.authMode !== 'none' && (
        <>
          <label className="toggle">
            <input
              type="checkbox"
              data-testid="cluster-refuse-http"
              checked={f.refuseHttp}
              onChange={(e) => set({ refuseHttp: e.target.checked })}
            />{' '}
            Refuse to send the token over plain http:// (this machine excepted)
          </label>
          {[f.dashboardUrl, f.prometheusUrl, f.alertmanagerUrl].some((u) => /^http:\/\//i.test(u.trim()) && !isLoopback(u.trim())) && (
            <p className="error-text" data-testid="cluster-form-http-warning">
              {f.refuseHttp
                ? 'A URL is plain http:// on the network: requests to it will fail rather than expose the token.'
                : 'A URL is plain http:// on the network: anyone on the path can read the token.'}
            </p>
          )}
        </>
      )}
      {editing?.hasToken && f.authMode === 'bearer' && (
        <label className="toggle">
          <input type="checkbox" checked={f.clearToken} onChange={(e) => set({ clearToken: e.target.checked })} /> Remove the stored token
        </label>
      )}
      {field('CA file (optional, PEM)', 'caFile', 'cluster-ca-file', '/path/to/ca.pem')}
      <label className="toggle">
        <input type="checkbox" checked={f.insecure} onChange={(e) => set({ insecure: e.target.checked })} /> Skip TLS certificate checks
      </label>
      {f.insecure && <p className="error-text">Certificate checks are off: anyone on the network path can read the token.</p>}
      <div className="row">
        <button type="submit" data-testid="cluster-profile-save" disabled={busy !== null}>
          {busy ?? 'Save profile'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ConnectionResult() {
  const c = useStore((s) => s.cluster.connection);
  const testing = useStore((s) => s.cluster.testing);
  if (testing) return <p className="hint">Testing the connection…</p>;
  if (!c) return null;
  if (c.error)
    return (
      <div className="error-panel" role="alert" data-testid="cluster-connection-error">
        <strong>{errorTitle(c.error)}</strong> <span className="error-text">{c.error.message}</span>
      </div>
    );
  const info = c.info;
  if (!info) return null;
  return (
    <div className="cluster-connection" data-testid="cluster-connection">
      <p>
        Ray <strong data-testid="cluster-ray-version">{info.rayVersion}</strong> ·{' '}
        <span data-testid="cluster-alive-nodes">{info.aliveNodes}</span> nodes alive ·{' '}
        {Object.entries(info.totalResources)
          .filter(([k]) => k === 'CPU' || k === 'GPU')
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}
      </p>
      <table className="audit-table">
        <thead>
          <tr>
            <th>Node</th>
            <th>IP</th>
            <th>Role</th>
            <th>State</th>
            <th>CPU</th>
          </tr>
        </thead>
        <tbody>
          {info.nodes.map((n) => (
            <tr key={n.node_id} data-testid="cluster-node-row">
              <td title={n.node_id}>{n.node_id.slice(0, 12)}</td>
              <td>{n.node_ip}</td>
              <td>{n.is_head_node ? 'head' : 'worker'}</td>
              <td>
                {n.state}
                {n.state_message ? ` — ${n.state_message}` : ''}
              </td>
              <td>{n.resources_total.CPU ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProfilesPanel() {
  const profiles = useStore((s) => s.cluster.profiles);
  const profileId = useStore((s) => s.cluster.profileId);
  const select = useStore((s) => s.selectClusterProfile);
  const test = useStore((s) => s.testClusterConnection);
  const remove = useStore((s) => s.removeClusterProfile);
  const [editing, setEditing] = useState<ClusterProfile | 'new' | null>(null);
  const roles = useClusterRoles((s) => s.roles);
  return (
    <div className="cluster-profiles">
      {profiles.length === 0 && editing === null && <p className="hint">No cluster yet: add the Ray dashboard of your cluster.</p>}
      <ul className="model-list">
        {profiles.map((p) => (
          <li key={p.id} className="model-row" data-testid="cluster-profile-row">
            <label>
              <input type="radio" name="cluster-profile" checked={p.id === profileId} onChange={() => select(p.id)} />{' '}
              <strong>{p.name}</strong> <RoleBadge profileId={p.id} />{' '}
              <span className="muted">
                {p.dashboardUrl}
                {p.auth?.mode === 'oidc' ? ' · OIDC sign-in' : p.hasToken ? ' · token in keychain' : ''}
                {p.tls.insecure ? ' · TLS checks off' : ''}
              </span>
            </label>
            <div className="row">
              <button
                type="button"
                data-testid="cluster-profile-edit"
                {...gateFor(roles, p.id, 'profile.update')}
                onClick={() => setEditing(p)}
              >
                Edit
              </button>
              <button
                type="button"
                data-testid="cluster-profile-remove"
                {...gateFor(roles, p.id, 'profile.remove')}
                onClick={() => void remove(p.id)}
              >
                Remove
              </button>
            </div>
            <SignInControl profile={p} />
            <RoleControl profileId={p.id} />
          </li>
        ))}
      </ul>
      {editing === null ? (
        <div className="row">
          <button type="button" data-testid="cluster-profile-add" onClick={() => setEditing('new')}>
            Add cluster
          </button>
          <button type="button" data-testid="cluster-test" disabled={!profileId} onClick={() => void test()}>
            Test connection
          </button>
        </div>
      ) : (
        <ProfileForm editing={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />
      )}
      <ConnectionResult />
    </div>
  );
}
