// Handlers for the `clusterRoles` domain: list the roles per profile, change one (the service checks the proof).
import { clusterRolesContract } from '../../common/contracts/cluster-roles';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const clusterRolesHandlers = (s: AppServices) =>
  implement(clusterRolesContract, {
    list: async () => ({ roles: await s.clusterRoles.list(), raiseAvailable: s.clusterRoles.raiseAvailable() }),
    set: ({ profileId, role, proof }) => s.clusterRoles.setRole(profileId, role, proof),
  });
