// The open job: status and attempts, live loss and samples/s charts, the log tail, stop and resume; plus the job history list.
import { useEffect, useRef } from 'react';
import { isTerminalStatus } from '../../../common/cluster/ray';
import { useStore } from '../../app/store';
import { LineChart } from './LineChart';
import { DiagnosisCard } from './DiagnosisCard';
import { JobResources } from './JobResources';
import { JobHistoryActions } from './JobHistoryActions';
import { gateFor, useClusterRoles } from './roles-store';

const fmtLoss = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));
const fmtRate = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const when = (t: number) => new Date(t).toLocaleString();

function LogTail({ lines }: { lines: string[] }) {
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [lines]);
  return (
    <pre className="log-tail" ref={ref} data-testid="job-log" aria-label="Job log (latest lines)" tabIndex={0}>
      {lines.length ? lines.join('\n') : 'Waiting for log lines…'}
    </pre>
  );
}

export function JobPanel() {
  const cur = useStore((s) => s.cluster.current);
  const busy = useStore((s) => s.cluster.busy);
  const stop = useStore((s) => s.stopClusterJob);
  const resume = useStore((s) => s.resumeClusterJob);
  const roles = useClusterRoles((s) => s.roles);
  if (!cur) return <p className="hint">Submit a job or open one from the history.</p>;
  const { job, metrics } = cur;
  const last = job.attempts.at(-1);
  const final = last ? isTerminalStatus(last.status) : true;
  const loss = metrics.flatMap((m) => (m.loss !== null ? [{ x: m.step, y: m.loss }] : []));
  const rate = metrics.flatMap((m) => (m.samplesPerS !== null ? [{ x: m.step, y: m.samplesPerS }] : []));
  return (
    <section className="job-panel" aria-label={`Job ${job.name}`} data-testid="job-panel" data-following={String(cur.following)}>
      <header className="row">
        <h3>{job.name}</h3>
        <span className={`job-status status-${job.status.toLowerCase()}`} data-testid="job-status" aria-live="polite">
          {job.status}
        </span>
        {cur.following && !final && <span className="hint">live</span>}
        <button
          type="button"
          data-testid="job-stop"
          disabled={final || busy !== null || gateFor(roles, job.profileId, 'job.stop').disabled}
          title={gateFor(roles, job.profileId, 'job.stop').title}
          onClick={() => void stop()}
        >
          Stop
        </button>
        <button
          type="button"
          data-testid="job-resume"
          disabled={!final || !job.config.checkpoint_dir || busy !== null || gateFor(roles, job.profileId, 'job.resume').disabled}
          title={
            gateFor(roles, job.profileId, 'job.resume').title ??
            (job.config.checkpoint_dir ? 'Resume from the latest checkpoint' : 'This job has no checkpoint folder')
          }
          onClick={() => void resume()}
        >
          Resume from checkpoint
        </button>
        <JobHistoryActions jobId={job.id} final={final} />
      </header>
      <p className="muted">
        {job.config.strategy.toUpperCase()} · {job.launch.numNodes} nodes · {job.config.max_steps} steps · batch {job.config.batch_size} ·
        lr {job.config.lr} ({job.config.lr_schedule}) · {job.config.mixed_precision} · restarts{' '}
        <span data-testid="job-restarts">{job.restarts}</span>/{job.maxRestarts}
        {job.lastCheckpointStep !== null && (
          <>
            {' '}
            · last checkpoint step <span data-testid="job-checkpoint">{job.lastCheckpointStep}</span>
          </>
        )}
      </p>
      {last?.message && job.status === 'FAILED' && <p className="error-text">{last.message.split('\n')[0]}</p>}
      {last && job.status === 'FAILED' && !cur.following && <DiagnosisCard jobId={job.id} attemptKey={last.submissionId} />}
      <div className="charts">
        <LineChart title="Loss" series={[{ label: 'loss', points: loss }]} format={fmtLoss} xLabel="step" testId="chart-loss" />
        <LineChart
          title="Throughput (samples/s)"
          series={[{ label: 'samples/s', points: rate }]}
          format={fmtRate}
          xLabel="step"
          testId="chart-throughput"
        />
      </div>
      <JobResources jobId={job.id} running={!final} />
      <details>
        <summary data-testid="job-attempts">Attempts ({job.attempts.length})</summary>
        <ul>
          {job.attempts.map((a) => (
            <li key={a.submissionId}>
              <code>{a.submissionId}</code> — {a.reason} — {a.status} — {when(a.submittedAt)}
              {a.message ? ` — ${a.message.split('\n')[0]}` : ''}
            </li>
          ))}
        </ul>
      </details>
      {cur.events.length > 0 && (
        <ol className="job-events" aria-label="Training events" data-testid="job-events">
          {cur.events.map((e, i) => (
            <li
              key={`${i}-${e.name}`}
              data-testid={`job-event-${e.name}`}
              data-step={typeof e.fields.step === 'number' ? e.fields.step : undefined}
            >
              <strong>{e.name}</strong>
              {typeof e.fields.step === 'number' ? ` at step ${e.fields.step}` : ''}
              {typeof e.fields.reason === 'string' ? ` (${e.fields.reason})` : ''}
              {typeof e.fields.message === 'string' ? ` — ${e.fields.message}` : ''}
            </li>
          ))}
        </ol>
      )}
      <LogTail lines={cur.lines} />
    </section>
  );
}

export function JobHistory() {
  const jobs = useStore((s) => s.cluster.jobs);
  const open = useStore((s) => s.openClusterJob);
  const current = useStore((s) => s.cluster.current?.job.id);
  if (jobs.length === 0) return <p className="hint">No jobs yet.</p>;
  return (
    <table className="audit-table" data-testid="job-history">
      <caption className="sr-only">Job history</caption>
      <thead>
        <tr>
          <th>Job</th>
          <th>Status</th>
          <th>Last step</th>
          <th>Last loss</th>
          <th>Restarts</th>
          <th>Submitted</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.id} data-testid="job-history-row" aria-current={j.id === current ? 'true' : undefined}>
            <td>
              <button type="button" className="link" onClick={() => void open(j.id)}>
                {j.name}
              </button>
            </td>
            <td>{j.status}</td>
            <td>{j.lastStep ?? '—'}</td>
            <td>{j.lastLoss !== null ? fmtLoss(j.lastLoss) : '—'}</td>
            <td>{j.restarts}</td>
            <td>{when(j.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
