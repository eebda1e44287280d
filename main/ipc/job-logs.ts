// Handlers for the `jobLogs` domain: search across all jobs' logs, delete or export a job, the retention policy.
import { jobLogsContract } from '../../common/contracts/job-logs';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const jobLogsHandlers = (s: AppServices) =>
  implement(jobLogsContract, {
    search: (input) => s.jobLogs.search(input),
    deleteJob: async ({ jobId }) => {
      await s.clusterRoles.requireRoleForJob(jobId, 'operator', 'job.delete-history');
      return s.jobLogs.deleteJob(jobId);
    },
    // The page names the job only; where the file goes is the user's choice in the save dialog (never a page-given path).
    export: ({ jobId }) => s.jobLogs.export(jobId),
    retention: () => s.jobLogs.retention(),
    // The policy deletes history of every profile, so it needs operator on each of them.
    setRetention: async (policy) => {
      await s.clusterRoles.requireRoleEverywhere('operator', 'history.set-retention');
      return s.jobLogs.setRetention(policy);
    },
  });
