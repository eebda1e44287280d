// Loads a job's per-node resources (cluster.jobResources) for the job page; refreshes while the job runs.
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { JobResourcesResultSchema } from '../../../common/contracts/cluster';
import { getApi } from '../../api';

export type JobResourcesResult = z.infer<typeof JobResourcesResultSchema>;
export type JobResourcesState = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; result: JobResourcesResult };

/** While a job runs its series grow; a finished job's window is fixed, so it is loaded once. */
export const JOB_RESOURCES_REFRESH_MS = 15_000;

/**
 * View-local data (one job's page, nothing else reads it), so it is kept in component state rather than the shared
 * cluster slice; the call itself goes through the one API handle like every slice's.
 */
export function useJobResources(jobId: string, running: boolean): JobResourcesState {
  // Keyed by job: another job's answer reads as "loading" until this job's arrives.
  const [s, setS] = useState<{ jobId: string; value: JobResourcesState } | null>(null);
  useEffect(() => {
    let live = true;
    const load = async () => {
      const r = await getApi().cluster.jobResources({ jobId });
      if (!live) return;
      setS({ jobId, value: r.ok ? { state: 'ready', result: r.value } : { state: 'error', message: r.error.message } });
    };
    void load();
    const t = running ? setInterval(() => void load(), JOB_RESOURCES_REFRESH_MS) : undefined;
    return () => {
      live = false;
      if (t) clearInterval(t);
    };
  }, [jobId, running]);
  return s && s.jobId === jobId ? s.value : { state: 'loading' };
}
