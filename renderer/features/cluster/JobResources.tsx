// The job page's resources: CPU, memory and GPU of the nodes each attempt ran on, over the job's life.
import type { JobResourceMetric, JobResources as Data } from '../../../common/cluster/job-resources';
import { LineChart } from './LineChart';
import { useJobResources, type JobResourcesState } from './use-job-resources';

const pct = (v: number) => `${v.toFixed(0)} %`;
const bytes = (v: number) => (v >= 2 ** 30 ? `${(v / 2 ** 30).toFixed(1)} GiB` : `${(v / 2 ** 20).toFixed(0)} MiB`);
const mib = (v: number) => (v >= 1024 ? `${(v / 1024).toFixed(1)} GiB` : `${v.toFixed(0)} MiB`);

const CHARTS: { key: JobResourceMetric; title: string; format: (v: number) => string }[] = [
  { key: 'cpu', title: 'CPU per node', format: pct },
  { key: 'memory', title: 'Memory used per node', format: bytes },
  { key: 'gpuUtil', title: 'GPU utilisation per GPU', format: pct },
  { key: 'gpuMem', title: 'GPU memory used per GPU', format: mib },
];

function Charts({ data }: { data: Data }) {
  const all = Object.values(data.metrics).flatMap((ss) => ss.flatMap((s) => s.points.map((p) => p.t)));
  // x = seconds since the job's first attempt started, the same origin for every chart and node.
  const t0 = Math.min(data.attempts[0]?.start ?? Infinity, ...all);
  const unknown = data.attempts.some((a) => !a.nodesKnown);
  const charts = CHARTS.filter((c) => data.gpuSource !== 'none' || (c.key !== 'gpuUtil' && c.key !== 'gpuMem'));
  return (
    <>
      <p className="hint" data-testid="job-resources-scope">
        Whole-node figures for the nodes this job ran on ({[...new Set(data.attempts.flatMap((a) => a.nodes))].join(', ') || 'none placed'}
        ), over each attempt&apos;s time; other work on those nodes counts too.
        {unknown && ' The running attempt has not reported its nodes yet, so every node is shown.'}
        {data.gpuSource === 'none'
          ? ' No GPU metrics (no DCGM exporter and no Ray GPU metrics for these nodes).'
          : ` GPU figures from ${data.gpuSource === 'dcgm' ? 'the DCGM exporter' : "Ray's GPU metrics"}.`}
      </p>
      <div className="charts">
        {charts.map((c) => (
          <LineChart
            key={c.key}
            title={c.title}
            testId={`job-resources-${c.key}`}
            xLabel="s since start"
            format={c.format}
            empty="No samples for this job's nodes and time."
            series={data.metrics[c.key].map((s) => ({
              label: s.label,
              points: s.points.map((p) => ({ x: Math.round(p.t - t0), y: p.v })),
            }))}
          />
        ))}
      </div>
    </>
  );
}

/** The section for one loading state; separate from the hook so each state renders on its own (tests). */
export function JobResourcesView({ s }: { s: JobResourcesState }) {
  return (
    <details className="job-resources" data-testid="job-resources" open>
      <summary>Resources</summary>
      {s.state === 'loading' ? (
        <p className="hint">Loading this job&apos;s node metrics…</p>
      ) : s.state === 'error' ? (
        <p className="error-text" role="alert">
          {s.message}
        </p>
      ) : s.result.status === 'degraded' ? (
        <p className="hint" data-testid="job-resources-degraded">
          Node metrics unavailable — {s.result.reason}
        </p>
      ) : (
        <Charts data={s.result.data} />
      )}
    </details>
  );
}

export function JobResources({ jobId, running }: { jobId: string; running: boolean }) {
  return <JobResourcesView s={useJobResources(jobId, running)} />;
}
