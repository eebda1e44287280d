// Jobs tab: the job-history retention policy (keep N days and/or the newest N jobs; 0 = off), saved as a setting and
// applied at once — the app also applies it at startup and daily. Running jobs are never removed.
import { useEffect, useState } from 'react';
import type { JobHistoryRetention as Policy } from '../../../common/contracts/job-logs';
import { getApi } from '../../api';
import { useStore } from '../../app/store';
import { errorTitle, type UiError } from '../../lib/errors';
import { useRoleGate } from './roles-store';

const toInt = (v: string) => (/^\d{1,7}$/.test(v.trim()) ? Number(v.trim()) : NaN);

/** View-local (only this form reads it), like use-job-resources.ts; calls go through the one API handle. */
export function JobHistoryRetention() {
  const [policy, setPolicy] = useState<{ days: string; newest: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const reloadJobs = useStore((s) => s.loadClusterJobs);
  // The policy deletes history on every profile: it needs operator on each.
  const gate = useRoleGate('*', 'history.set-retention');
  useEffect(() => {
    let live = true;
    void getApi()
      .jobLogs.retention({})
      .then((r) => {
        if (!live) return;
        if (r.ok) setPolicy({ days: String(r.value.keepDays), newest: String(r.value.keepNewest) });
        else setError(r.error);
      });
    return () => {
      live = false;
    };
  }, []);
  if (!policy) return error ? <p className="error-text">{error.message}</p> : null;
  const save = async () => {
    setNote(null);
    setError(null);
    const next: Policy = { keepDays: toInt(policy.days), keepNewest: toInt(policy.newest) };
    if (Number.isNaN(next.keepDays) || Number.isNaN(next.keepNewest))
      return setError({ code: 'INVALID_ARGUMENT', message: 'Enter whole numbers (0 turns a rule off)' });
    const r = await getApi().jobLogs.setRetention(next);
    if (!r.ok) return setError(r.error);
    const n = r.value.removed.jobs;
    setNote(
      n === 0
        ? 'Saved; nothing to remove now.'
        : `Saved; removed ${n} finished job${n === 1 ? '' : 's'} (${r.value.removed.logLines} log lines).`,
    );
    if (n > 0) await reloadJobs();
  };
  return (
    <form
      className="row job-retention"
      aria-label="Job history retention"
      data-testid="job-retention"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <span>Keep finished jobs for</span>
      <input
        inputMode="numeric"
        size={5}
        aria-label="Days to keep (0 = forever)"
        data-testid="retention-days"
        value={policy.days}
        onChange={(e) => setPolicy({ ...policy, days: e.target.value })}
      />
      <span>days and only the newest</span>
      <input
        inputMode="numeric"
        size={5}
        aria-label="Newest jobs to keep (0 = all)"
        data-testid="retention-newest"
        value={policy.newest}
        onChange={(e) => setPolicy({ ...policy, newest: e.target.value })}
      />
      <span>jobs (0 = no limit)</span>
      <button type="submit" data-testid="retention-save" {...gate}>
        Save
      </button>
      {note && (
        <span className="hint" aria-live="polite" data-testid="retention-note">
          {note}
        </span>
      )}
      {error && (
        <span className="error-text" role="alert">
          {errorTitle(error)}: {error.message}
        </span>
      )}
    </form>
  );
}
