// The page's copy of the user's role on each cluster profile, and the gate buttons read: a button the role cannot use
// is disabled with a tooltip naming the role it needs. Only a hint: main's role guard is what refuses the call.
import { create } from 'zustand';
import { CLUSTER_ACTIONS, neededRoleText, roleAllows, type ClusterAction, type ClusterRole } from '../../../common/cluster/roles';
import { getApi } from '../../api';

interface RolesState {
  roles: Record<string, ClusterRole>;
  raiseAvailable: boolean;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  /** Lowering needs no proof; raising carries the app lock's passphrase and code. Returns an error message or null. */
  setRole(profileId: string, role: ClusterRole, proof?: { passphrase: string; code: string }): Promise<string | null>;
}

export const useClusterRoles = create<RolesState>((set, get) => ({
  roles: {},
  raiseAvailable: false,
  loaded: false,
  error: null,
  async load() {
    const r = await getApi().clusterRoles.list({});
    if (!r.ok) return set({ error: r.error.message });
    set({
      roles: Object.fromEntries(r.value.roles.map((x) => [x.profileId, x.role])),
      raiseAvailable: r.value.raiseAvailable,
      loaded: true,
      error: null,
    });
  },
  async setRole(profileId, role, proof) {
    const r = await getApi().clusterRoles.set({ profileId, role, ...(proof ? { proof } : {}) });
    if (!r.ok) return r.error.message;
    set({ roles: { ...get().roles, [r.value.profileId]: r.value.role } });
    return null;
  },
}));

export interface Gate {
  disabled: boolean;
  title: string | undefined;
}

/**
 * Whether the user's role on `profileId` allows `action`. A profile the page has no role for yet (just created, or
 * roles not loaded) is not gated here: its creator is admin, and main refuses anything the role does not allow.
 * `profileId: '*'` gates an action that reaches every profile (the retention policy).
 */
export function gateFor(roles: Record<string, ClusterRole>, profileId: string | null | undefined, action: ClusterAction): Gate {
  const needed = CLUSTER_ACTIONS[action];
  const held = profileId === '*' ? Object.values(roles) : profileId && roles[profileId] ? [roles[profileId]] : [];
  const allowed = held.every((r) => roleAllows(r, needed));
  return allowed ? { disabled: false, title: undefined } : { disabled: true, title: neededRoleText(action) };
}

export const useRoleGate = (profileId: string | null | undefined, action: ClusterAction): Gate =>
  gateFor(
    useClusterRoles((s) => s.roles),
    profileId,
    action,
  );
