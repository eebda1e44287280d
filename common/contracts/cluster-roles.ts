// Contract for the `clusterRoles` domain: the user's role on each cluster profile, and changing it (lowering is free;
// raising carries the app lock's passphrase + TOTP code, checked in main). The action matrix is common/cluster/roles.ts.
import { z } from 'zod';
import { ClusterRoleSchema, ProfileRoleSchema, ReauthProofSchema } from '../cluster/roles';
import { EmptyInput } from './app';
import { call, defineDomain } from './define';

export const clusterRolesContract = defineDomain('clusterRoles', {
  list: call({
    input: EmptyInput,
    output: z.object({
      roles: z.array(ProfileRoleSchema),
      /** False while the app lock is off: raising a role is then refused (the page says to enable the lock). */
      raiseAvailable: z.boolean(),
    }),
    doc: "The user's role on every cluster profile, and whether a role can be raised now.",
  }),
  set: call({
    input: z
      .object({
        profileId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
        role: ClusterRoleSchema,
        /** Needed only to raise: the app lock's passphrase and current code. */
        proof: ReauthProofSchema.optional(),
      })
      .strict(),
    output: ProfileRoleSchema,
    doc: 'Change the role on a profile: lowering is free, raising needs the app lock re-authentication; both audited.',
  }),
});
