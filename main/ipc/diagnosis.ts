// Handlers for the `diagnosis` domain: get / re-run a failed job's diagnosis, apply one of its fixes (operator role:
// it resubmits; re-running the diagnosis only recomputes a local view, so a viewer may).
import { diagnosisContract } from '../../common/contracts/diagnosis';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const diagnosisHandlers = (s: AppServices) =>
  implement(diagnosisContract, {
    get: ({ jobId, explain }) => s.diagnosis.get(jobId, { explain }),
    run: ({ jobId }) => s.diagnosis.run(jobId),
    applyFix: async ({ jobId, fix }, ctx) => {
      await s.clusterRoles.requireRoleForJob(jobId, 'operator', 'diagnosis.apply-fix');
      return s.diagnosis.applyFix(jobId, fix, ctx.signal);
    },
  });
