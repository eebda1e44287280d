// Search over every stored job log for the Jobs tab: query, paging and the typed error, kept in component state
// (view-local, like use-job-resources.ts); the call goes through the one API handle.
import { useCallback, useRef, useState } from 'react';
import type { JobLogSearchResult } from '../../../common/contracts/job-logs';
import { getApi } from '../../api';
import type { UiError } from '../../lib/errors';

export const JOB_LOG_PAGE_SIZE = 25;

export type JobLogSearchState =
  | { state: 'idle' }
  | { state: 'searching'; query: string }
  | { state: 'error'; query: string; error: UiError }
  | { state: 'ready'; query: string; result: JobLogSearchResult };

export function useJobLogSearch(): {
  s: JobLogSearchState;
  search: (query: string, offset?: number) => Promise<void>;
  clear: () => void;
} {
  const [s, setS] = useState<JobLogSearchState>({ state: 'idle' });
  // Only the latest request's answer is shown (typing fast, or Esc while a search runs).
  const seq = useRef(0);
  const search = useCallback(async (query: string, offset = 0) => {
    const mine = ++seq.current;
    setS({ state: 'searching', query });
    const r = await getApi().jobLogs.search({ query, offset, limit: JOB_LOG_PAGE_SIZE, context: 2 });
    if (mine !== seq.current) return;
    setS(r.ok ? { state: 'ready', query, result: r.value } : { state: 'error', query, error: r.error });
  }, []);
  const clear = useCallback(() => {
    seq.current++;
    setS({ state: 'idle' });
  }, []);
  return { s, search, clear };
}
