// Handlers for the `diagnosis` domain: get / re-run a failed job's diagnosis, apply one of its fixes.
import { diagnosisContract } from '../../common/contracts/diagnosis';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const diagnosisHandlers = (s: AppServices) =>
  implement(diagnosisContract, {
    get: ({ jobId, explain }) => s.diagnosis.get(jobId, { explain }),
    run: ({ jobId }) => s.diagnosis.run(jobId),
    applyFix: ({ jobId, fix }, ctx) => s.diagnosis.applyFix(jobId, fix, ctx.signal),
  });
