// The role hints on the page: gateFor per action × role (disabled with a tooltip naming the needed role), the retention
// policy gated on every profile, the role badge and selector, and a viewer's Acknowledge button disabled in the Ops tab.
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { CLUSTER_ACTIONS, CLUSTER_ROLES, type ClusterAction, type ClusterRole } from '../../../../common/cluster/roles';
import type { Alert } from '../../../../common/cluster/monitoring';
import { useStore } from '../../../../renderer/app/store';
import { Alerts } from '../../../../renderer/features/cluster/OpsPanel';
import { RoleBadge, RoleControl } from '../../../../renderer/features/cluster/RoleControl';
import { gateFor, useClusterRoles } from '../../../../renderer/features/cluster/roles-store';

const ACTIONS = Object.keys(CLUSTER_ACTIONS) as ClusterAction[];
const html = (el: React.ReactElement) => renderToString(el).replace(/<!-- -->/g, '');

/** renderToString reads zustand's server snapshot, which is the initial state: set both. */
function setRoles(roles: Record<string, ClusterRole>, raiseAvailable = false): void {
  useClusterRoles.setState({ roles, raiseAvailable, loaded: true });
  Object.assign(useClusterRoles.getInitialState(), { roles, raiseAvailable, loaded: true });
}
afterEach(() => setRoles({}));

describe('gateFor', () => {
  it.each(ACTIONS.flatMap((action) => CLUSTER_ROLES.map((role) => ({ action, role }))))('$action as $role', ({ action, role }) => {
    const g = gateFor({ lab: role }, 'lab', action);
    const needed = CLUSTER_ACTIONS[action];
    const allowed = CLUSTER_ROLES.indexOf(role) >= CLUSTER_ROLES.indexOf(needed);
    expect(g).toEqual(
      allowed ? { disabled: false, title: undefined } : { disabled: true, title: `Needs the ${needed} role on this cluster profile` },
    );
  });

  it('does not gate a profile it has no role for (just created: its creator is admin; main enforces anyway)', () => {
    expect(gateFor({}, 'new-one', 'profile.remove').disabled).toBe(false);
  });

  it('gates an all-profiles action when any profile is below the role', () => {
    expect(gateFor({ a: 'admin', b: 'operator' }, '*', 'history.set-retention').disabled).toBe(false);
    expect(gateFor({ a: 'admin', b: 'viewer' }, '*', 'history.set-retention')).toEqual({
      disabled: true,
      title: 'Needs the operator role on this cluster profile',
    });
  });
});

describe('role UI', () => {
  it('shows the role badge and the selector on its current role', () => {
    setRoles({ lab: 'operator' });
    expect(html(<RoleBadge profileId="lab" />)).toMatch(/data-testid="cluster-role"[^>]*>operator</);
    const control = html(<RoleControl profileId="lab" />);
    expect(control).toContain('data-testid="cluster-role-select"');
    expect(control).toMatch(/<option value="operator" selected="">operator<\/option>/);
    expect(html(<RoleControl profileId="unknown" />)).toBe('');
  });

  it("disables a viewer's Acknowledge button with a tooltip naming the operator role", () => {
    const alert: Alert = {
      fingerprint: 'fp',
      labels: { alertname: 'NodeDown', severity: 'critical' },
      annotations: { summary: 'node down' },
      startsAt: '2026-01-01T10:00:00Z',
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    };
    useStore.setState((s) => ({ cluster: { ...s.cluster, profileId: 'lab', alerts: { status: 'ok', data: [alert] } } }));
    Object.assign(useStore.getInitialState(), { cluster: useStore.getState().cluster });
    setRoles({ lab: 'viewer' });
    expect(html(<Alerts />)).toMatch(
      /<button[^>]*data-testid="alert-ack"[^>]*disabled=""[^>]*title="Needs the operator role on this cluster profile"/,
    );
    setRoles({ lab: 'operator' });
    const enabled = html(<Alerts />);
    expect(enabled).toContain('data-testid="alert-ack"');
    expect(enabled).not.toMatch(/data-testid="alert-ack"[^>]*disabled/);
  });
});
