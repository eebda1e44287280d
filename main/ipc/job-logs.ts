// Handlers for the `jobLogs` domain: search across all jobs' logs, delete or export a job, the retention policy.
import { jobLogsContract } from '../../common/contracts/job-logs';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const jobLogsHandlers = (s: AppServices) =>
  implement(jobLogsContract, {
    search: (input) => s.jobLogs.search(input),
    deleteJob: ({ jobId }) => s.jobLogs.deleteJob(jobId),
    // The page names the job only; where the file goes is the user's choice in the save dialog (never a page-given path).
    export: ({ jobId }) => s.jobLogs.export(jobId),
    retention: () => s.jobLogs.retention(),
    setRetention: (policy) => s.jobLogs.setRetention(policy),
  });
