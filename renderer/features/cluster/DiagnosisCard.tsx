// A failed job's diagnosis on its page: the class, the summary, the evidence lines, file:line, the local model's
// explanation, and the fixes the app can perform (anything that resubmits asks for confirmation first).
import { useState } from 'react';
import type { FailureClass, FixAction } from '../../../common/cluster/diagnosis';
import { useStore } from '../../app/store';
import { useRoleGate } from './roles-store';
import { useDiagnosis } from './use-diagnosis';

const TITLES: Record<FailureClass, string> = {
  'host-oom': 'Out of host memory',
  'cuda-oom': 'GPU out of memory',
  'nccl-timeout': 'Collective timeout (NCCL / gloo)',
  'gpu-xid': 'GPU fault (XID)',
  'node-lost': 'Node lost',
  'disk-full': 'Disk full',
  'data-loader': 'Data loading failed',
  'bad-config': 'Configuration rejected',
  'python-exception': 'Exception in the training code',
  unknown: 'Unrecognised failure',
};

/** What happens when the button is pressed, said in the confirmation before anything is resubmitted. */
function consequence(fix: FixAction): string {
  switch (fix.kind) {
    case 'resume':
      return 'This submits a new attempt of this job on the cluster, starting from its newest checkpoint.';
    case 'smaller-batch':
      return `This submits a new job with batch ${fix.batchSize} and ${fix.gradAccumulation} accumulation steps, starting fresh in its own checkpoint folder.`;
    case 'fewer-nodes':
      return `This submits a new job on ${fix.numWorkers} node(s); it resumes this job's checkpoint when the number of trainers can stay the same.`;
    case 'free-disk':
      return `This deletes all but the newest ${fix.keepLast} checkpoint(s) (and the best by validation loss) on the cluster, then resumes this job.`;
    case 'edit-config':
      return '';
  }
}

export function DiagnosisCard({ jobId, attemptKey }: { jobId: string; attemptKey: string }) {
  const { value, rerun, apply } = useDiagnosis(jobId, attemptKey);
  const open = useStore((s) => s.openClusterJob);
  const setTab = useStore((s) => s.setClusterTab);
  const gate = useRoleGate(
    useStore((s) => (s.cluster.current?.job.id === jobId ? s.cluster.current.job.profileId : null)),
    'diagnosis.apply-fix',
  );
  const [confirming, setConfirming] = useState<FixAction | null>(null);
  const [applying, setApplying] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  if (value.state === 'loading')
    return (
      <section className="diagnosis-card" data-testid="diagnosis-card" data-state="loading" aria-busy="true">
        <p className="hint">Diagnosing the failure…</p>
      </section>
    );
  if (value.state === 'none') return null;
  if (value.state === 'error')
    return (
      <section className="diagnosis-card" data-testid="diagnosis-card" data-state="error">
        <p className="error-text">The failure could not be diagnosed: {value.message}</p>
        <button type="button" onClick={() => void rerun()}>
          Try again
        </button>
      </section>
    );

  const { diagnosis: d, explaining } = value.view;
  const press = (fix: FixAction) => {
    setResult(null);
    if (fix.kind === 'edit-config') return setTab('train');
    setConfirming(fix);
  };
  const confirm = async (fix: FixAction) => {
    setApplying(true);
    const r = await apply(fix);
    setApplying(false);
    setConfirming(null);
    setResult(r.ok ? { ok: true, text: `Done: ${r.outcome.detail}` } : { ok: false, text: r.message });
    if (r.ok) await open(r.outcome.jobId);
  };

  return (
    <section
      className="diagnosis-card"
      aria-label="Failure diagnosis"
      data-testid="diagnosis-card"
      data-state="ready"
      data-class={d.class}
      style={{ border: '1px solid var(--border, #8884)', borderRadius: 6, padding: '0.5rem 0.75rem', margin: '0.5rem 0' }}
    >
      <header className="row">
        <h4 data-testid="diagnosis-class" style={{ margin: 0 }}>
          {TITLES[d.class]}
        </h4>
        <span className="muted" title="How sure the rules are">
          {Math.round(d.confidence * 100)} % sure
        </span>
        <button type="button" data-testid="diagnosis-rerun" onClick={() => void rerun()} disabled={applying}>
          Diagnose again
        </button>
      </header>
      <p data-testid="diagnosis-summary">{d.summary}</p>
      {d.location && (
        <p>
          In the training code at{' '}
          <code data-testid="diagnosis-location">
            {d.location.file}:{d.location.line}
          </code>
        </p>
      )}
      {d.evidence.length > 0 && (
        <>
          <p className="hint">Evidence (line numbers count from the start of the last log lines the diagnosis read):</p>
          <ol
            className="log-tail"
            data-testid="diagnosis-evidence"
            style={{ listStyle: 'none', padding: '0.25rem 0.5rem', fontFamily: 'monospace' }}
          >
            {d.evidence.map((e, i) => (
              <li key={i} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                <span className="muted" aria-label={e.line === null ? 'not a log line' : `line ${e.line + 1}`}>
                  {e.line === null ? '   ·' : String(e.line + 1).padStart(4)}
                </span>{' '}
                {e.text}
              </li>
            ))}
          </ol>
        </>
      )}
      {d.explanation ? (
        <p data-testid="diagnosis-explanation">
          <strong>Local model&apos;s explanation:</strong> {d.explanation}
        </p>
      ) : explaining ? (
        <p className="hint" data-testid="diagnosis-explaining">
          The local model is writing an explanation…
        </p>
      ) : null}
      {d.fixes.length > 0 ? (
        <div className="row" role="group" aria-label="Fixes">
          {d.fixes.map((f) => (
            // Opening the wizard on the config changes nothing, so only the fixes that resubmit are gated by the role.
            <button
              key={f.kind}
              type="button"
              data-testid={`diagnosis-fix-${f.kind}`}
              disabled={applying || (f.kind !== 'edit-config' && gate.disabled)}
              title={f.kind !== 'edit-config' ? gate.title : undefined}
              onClick={() => press(f)}
            >
              {f.label}
            </button>
          ))}
        </div>
      ) : (
        <p className="hint">No automatic fix applies to this failure; the evidence above shows where to look.</p>
      )}
      {confirming && (
        <div role="alertdialog" aria-label="Confirm the fix" data-testid="diagnosis-confirm" className="notice-inline">
          <p>{consequence(confirming)}</p>
          <button type="button" data-testid="diagnosis-confirm-yes" disabled={applying} onClick={() => void confirm(confirming)}>
            {applying ? 'Submitting…' : 'Submit'}
          </button>
          <button type="button" disabled={applying} onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
      {result && (
        <p className={result.ok ? 'hint' : 'error-text'} data-testid="diagnosis-fix-result" role="status">
          {result.text}
        </p>
      )}
    </section>
  );
}
