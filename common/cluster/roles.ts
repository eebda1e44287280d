// Roles per cluster profile (issue 14 item 2): the three roles, their order, and the one matrix of which role each
// cluster action needs. Main enforces it (main/services/cluster/roles/); the page only reads it to disable buttons.
import { z } from 'zod';

export const CLUSTER_ROLES = ['viewer', 'operator', 'admin'] as const;
export const ClusterRoleSchema = z.enum(CLUSTER_ROLES);
export type ClusterRole = z.infer<typeof ClusterRoleSchema>;

const RANK: Record<ClusterRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `held` is at least `needed` (admin ⊇ operator ⊇ viewer). */
export const roleAllows = (held: ClusterRole, needed: ClusterRole): boolean => RANK[held] >= RANK[needed];
/** True when going from `from` to `to` raises the role (which needs re-authentication). */
export const isRaise = (from: ClusterRole, to: ClusterRole): boolean => RANK[to] > RANK[from];

/**
 * Every action that changes something on a cluster, in a job's history or in a profile, with the least role it needs.
 * Reading (profiles, jobs, logs, follow, metrics, alerts, diagnosis, search, export, connection test) needs only
 * viewer, which every profile's user holds, so reads are not listed. The keys are the names denials and audit rows use.
 * Changing the role itself is not in the matrix: lowering is free, raising needs the app lock's re-authentication
 * whatever the role held (main/services/cluster/roles/README.md).
 */
export const CLUSTER_ACTIONS = {
  'job.submit': 'operator',
  'job.stop': 'operator',
  'job.resume': 'operator',
  'job.delete-history': 'operator',
  'diagnosis.apply-fix': 'operator',
  'alert.acknowledge': 'operator',
  'alert.unacknowledge': 'operator',
  /** Applies to every profile's history at once, so it needs operator on each profile. */
  'history.set-retention': 'operator',
  /** URL, Prometheus/Alertmanager URLs, TLS, timeout (creating a new profile needs no role: its creator is admin). */
  'profile.update': 'admin',
  'profile.token': 'admin',
  'profile.remove': 'admin',
} as const satisfies Record<string, ClusterRole>;
export type ClusterAction = keyof typeof CLUSTER_ACTIONS;
export const CLUSTER_ACTION_NAMES = Object.keys(CLUSTER_ACTIONS) as ClusterAction[];
export const ClusterActionSchema = z.enum(CLUSTER_ACTION_NAMES as [ClusterAction, ...ClusterAction[]]);

/** The role a profile's user holds, as main reports it to the page. */
export const ProfileRoleSchema = z.object({ profileId: z.string(), role: ClusterRoleSchema });
export type ProfileRole = z.infer<typeof ProfileRoleSchema>;

/** Proof for raising a role: the app lock's passphrase and (when TOTP is on) a current code. */
export const ReauthProofSchema = z
  .object({
    passphrase: z.string().min(1).max(1024),
    code: z.string().trim().max(20).default(''),
  })
  .strict();
export type ReauthProof = z.output<typeof ReauthProofSchema>;

/** The page's tooltip for a button the role cannot use. */
export const neededRoleText = (action: ClusterAction): string => `Needs the ${CLUSTER_ACTIONS[action]} role on this cluster profile`;
