// DB worker requests of the roles per cluster profile (issue 14 item 2): list every profile row's role (removed
// profiles too: their history keeps its owner's role) and change one, audited in the same transaction.
import { z } from 'zod';
import { ClusterRoleSchema, ProfileRoleSchema } from '../cluster/roles';

const ProfileId = z.string().min(1).max(200);

export const ClusterRoleRequests = {
  'clusterRole.list': { params: z.object({}).strict(), result: z.array(ProfileRoleSchema) },
  /**
   * Sets the role; `reason` says why main allowed it (a lowering, or a raise after re-authentication) and goes into the
   * `cluster.role-change` audit row written in the same transaction. An unknown profile is NOT_FOUND.
   */
  'clusterRole.set': {
    params: z.object({ profileId: ProfileId, role: ClusterRoleSchema, reason: z.enum(['lowered', 'reauthenticated']) }).strict(),
    result: z.object({ profileId: z.string(), from: ClusterRoleSchema, to: ClusterRoleSchema }),
  },
} as const;
