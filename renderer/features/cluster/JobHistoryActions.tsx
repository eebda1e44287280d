// The job page's history buttons: Export (one JSON file — the save dialog on the desktop, a download in the browser)
// and Delete (the job's record, logs and metrics; audited), each with its outcome shown next to it.
import { useState } from 'react';
import type { JobExportResult } from '../../../common/contracts/job-logs';
import { getApi } from '../../api';
import { useStore } from '../../app/store';
import { errorTitle, type UiError } from '../../lib/errors';
import { useRoleGate } from './roles-store';

/** The browser host cannot write files: the page hands the export to the browser as a download. */
function download(fileName: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const exported = (r: JobExportResult): string | null =>
  r.kind === 'saved' ? `Exported to ${r.path}` : r.kind === 'download' ? `Downloaded ${r.fileName}` : null;

export function JobHistoryActions({ jobId, final }: { jobId: string; final: boolean }) {
  const [busy, setBusy] = useState<'export' | 'delete' | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const reloadJobs = useStore((s) => s.loadClusterJobs);
  const gate = useRoleGate(
    useStore((s) => (s.cluster.current?.job.id === jobId ? s.cluster.current.job.profileId : null)),
    'job.delete-history',
  );
  const run = async (what: 'export' | 'delete') => {
    setBusy(what);
    setError(null);
    setNote(null);
    try {
      if (what === 'export') {
        const r = await getApi().jobLogs.export({ jobId });
        if (!r.ok) return setError(r.error);
        if (r.value.kind === 'download') download(r.value.fileName, r.value.content);
        setNote(exported(r.value));
        return;
      }
      if (!window.confirm('Delete this job’s history (record, logs and metrics) from this computer? This cannot be undone.')) return;
      const r = await getApi().jobLogs.deleteJob({ jobId });
      if (!r.ok) return setError(r.error);
      // The open job is gone: close it and refresh the history list.
      useStore.setState((s) => ({ cluster: { ...s.cluster, current: s.cluster.current?.job.id === jobId ? null : s.cluster.current } }));
      await reloadJobs();
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <button type="button" data-testid="job-export" disabled={busy !== null} onClick={() => void run('export')}>
        Export
      </button>
      <button
        type="button"
        data-testid="job-delete"
        disabled={!final || busy !== null || gate.disabled}
        title={gate.title ?? (final ? 'Delete this job’s history' : 'Stop the job before deleting its history')}
        onClick={() => void run('delete')}
      >
        Delete
      </button>
      {note && (
        <span className="hint" data-testid="job-export-note" aria-live="polite">
          {note}
        </span>
      )}
      {error && (
        <span className="error-text" role="alert" data-testid="job-history-error">
          {errorTitle(error)}: {error.message}
        </span>
      )}
    </>
  );
}
