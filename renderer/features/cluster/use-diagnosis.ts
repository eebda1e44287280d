// Loads a failed job's diagnosis (diagnosis.get), polls while the local model writes its explanation, re-runs and fixes.
import { useCallback, useEffect, useState } from 'react';
import type { FixAction } from '../../../common/cluster/diagnosis';
import type { DiagnosisView, FixOutcome } from '../../../common/contracts/diagnosis';
import { getApi } from '../../api';

export type DiagnosisState =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'none' } | { state: 'ready'; view: DiagnosisView };

/** How often the card asks again while the explanation is being written, and for how long at most. */
export const EXPLAIN_POLL_MS = 2000;
const EXPLAIN_POLL_MAX = 60;

/**
 * View-local (one job's page reads it), like use-job-resources: component state, calls through the one API handle.
 * `attemptKey` changes when another attempt fails, which loads that attempt's diagnosis.
 */
export function useDiagnosis(jobId: string, attemptKey: string) {
  const [s, setS] = useState<{ key: string; value: DiagnosisState } | null>(null);
  const key = `${jobId}/${attemptKey}`;
  const [polls, setPolls] = useState(0);
  useEffect(() => {
    let live = true;
    void getApi()
      .diagnosis.get({ jobId, explain: true })
      .then((r) => {
        if (!live) return;
        setS({
          key,
          value: !r.ok ? { state: 'error', message: r.error.message } : r.value ? { state: 'ready', view: r.value } : { state: 'none' },
        });
      });
    return () => {
      live = false;
    };
  }, [jobId, key, polls]);
  const value: DiagnosisState = s && s.key === key ? s.value : { state: 'loading' };
  const explaining = value.state === 'ready' && value.view.explaining;
  // The card is shown for a failed job only, so 'none' means main has not recorded the failed attempt yet (the page can
  // see FAILED on the live stream before the job service has stored it): ask again, bounded, as while explaining.
  const waiting = explaining || value.state === 'none';
  useEffect(() => {
    if (!waiting || polls >= EXPLAIN_POLL_MAX) return;
    const t = setTimeout(() => setPolls((n) => n + 1), EXPLAIN_POLL_MS);
    return () => clearTimeout(t);
  }, [waiting, polls]);

  const rerun = useCallback(async () => {
    setS({ key, value: { state: 'loading' } });
    const r = await getApi().diagnosis.run({ jobId });
    setS({ key, value: r.ok ? { state: 'ready', view: r.value } : { state: 'error', message: r.error.message } });
    setPolls(0);
  }, [jobId, key]);

  const apply = useCallback(
    async (fix: FixAction): Promise<{ ok: true; outcome: FixOutcome } | { ok: false; message: string }> => {
      const r = await getApi().diagnosis.applyFix({ jobId, fix });
      return r.ok ? { ok: true, outcome: r.value } : { ok: false, message: r.error.message };
    },
    [jobId],
  );
  return { value, rerun, apply };
}
