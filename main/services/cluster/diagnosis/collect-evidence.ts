// Collects the evidence around a failed Ray job attempt: status + message, log tail, trainer events, nodes, node metrics.
import { toErrorInfo } from '../../../../common/errors';
import { FailureEvidenceSchema, type FailureEvidence, type NodeMetricSeries } from '../../../../common/cluster/diagnosis';
import { parseLog } from '../../../../common/cluster/log-lines';
import type { RayJob, RayNode } from '../../../../common/cluster/ray';
import type { Series } from '../../../../common/cluster/monitoring';

/** Lines of the log the classifier sees (Ray prints the driver's and the relayed workers' output). */
export const LOG_TAIL_LINES = 300;
/** Metrics window before the failure (and a little after: the OOM counter is scraped late). */
const METRICS_BEFORE_S = 10 * 60;
const METRICS_AFTER_S = 60;
const METRICS_STEP_S = 15;
/** A node that died this long before the job started is an older event, not this job's cause. */
const NODE_DEATH_SLACK_MS = 5_000;

/** The part of RayClient evidence collection needs (M2's scenarios pass a real RayClient). */
export interface EvidenceRay {
  getJob(id: string, signal?: AbortSignal): Promise<RayJob>;
  getJobLogs(id: string, signal?: AbortSignal): Promise<string>;
  listNodes(signal?: AbortSignal): Promise<RayNode[]>;
}

/** The part of PrometheusClient it needs; absent when the profile has no Prometheus. */
export interface EvidencePrometheus {
  queryRange(expr: string, range: { start: number; end: number; step: number }, signal?: AbortSignal): Promise<Series[]>;
}

export interface CollectOptions {
  prometheus?: EvidencePrometheus;
  /** The log the app stored for this attempt: used when the cluster can no longer return it. */
  storedLog?: string;
  /** Status and message the app recorded, used when Ray no longer knows the job. */
  knownStatus?: { status: string; message: string | null; startMs?: number | null; endMs?: number | null };
  tailLines?: number;
  signal?: AbortSignal;
  /** What could not be collected and why (the diagnosis still runs on the rest). */
  onGap?: (what: string, reason: string) => void;
}

// node-exporter series that tell a memory, disk or OOM-kill story; grouped by instance so each node is one series.
const REAL_FS = 'fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs|devtmpfs|autofs|fuse.*"';
export const EVIDENCE_QUERIES: { name: string; expr: string }[] = [
  { name: 'memory_available_bytes', expr: 'min by (instance) (node_memory_MemAvailable_bytes)' },
  { name: 'memory_available_ratio', expr: 'min by (instance) (node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)' },
  { name: 'disk_free_bytes', expr: `min by (instance) (node_filesystem_avail_bytes{${REAL_FS}})` },
  { name: 'oom_kills', expr: 'max by (instance) (node_vmstat_oom_kill)' },
];

/**
 * Everything the classifier needs about one failed attempt. Each source is best effort: a cluster that is gone
 * still yields the stored log, a profile without Prometheus yields no metrics; `onGap` says what was missing.
 */
export async function collectEvidence(ray: EvidenceRay | null, submissionId: string, opts: CollectOptions = {}): Promise<FailureEvidence> {
  const gap = (what: string, e: unknown) => opts.onGap?.(what, toErrorInfo(e).message);
  let job: RayJob | null = null;
  let log: string | null = null;
  let nodes: RayNode[] = [];
  if (ray) {
    const [j, l, n] = await Promise.allSettled([
      ray.getJob(submissionId, opts.signal),
      ray.getJobLogs(submissionId, opts.signal),
      ray.listNodes(opts.signal),
    ]);
    if (j.status === 'fulfilled') job = j.value;
    else gap('job status', j.reason);
    if (l.status === 'fulfilled') log = l.value;
    else gap('job log', l.reason);
    if (n.status === 'fulfilled') nodes = n.value;
    else gap('node list', n.reason);
  }
  // The stored log is complete when Ray's answer is missing or shorter (a cluster restarted since).
  if (opts.storedLog !== undefined && (log === null || opts.storedLog.length > log.length)) log = opts.storedLog;
  const lines = splitLog(log ?? '');
  const startMs = job?.start_time ?? opts.knownStatus?.startMs ?? null;
  const endMs = job?.end_time ?? opts.knownStatus?.endMs ?? null;
  const metrics = opts.prometheus ? await nodeMetrics(opts.prometheus, endMs ?? Date.now(), opts.signal, gap) : [];
  return FailureEvidenceSchema.parse({
    status: job?.status ?? opts.knownStatus?.status ?? 'FAILED',
    message: job?.message ?? opts.knownStatus?.message ?? null,
    logTail: lines.slice(-(opts.tailLines ?? LOG_TAIL_LINES)),
    events: parseLog(log ?? '').events,
    nodes: relevantNodes(nodes, startMs, endMs),
    metrics,
  });
}

/** Lines without the trailing empty one; carriage-return progress bars keep only their last state. */
export function splitLog(log: string): string[] {
  const lines = log.split('\n').map((l) => {
    const cr = l.replace(/\r$/, '').lastIndexOf('\r');
    return (cr >= 0 ? l.slice(cr + 1) : l).replace(/\r$/, '');
  });
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Alive nodes, and dead nodes whose death falls within the job's life: a node killed before the job started
 * (an earlier incident Ray still lists) is not this job's cause. A dead node without a death time cannot be placed
 * in the job's life, so it is not blamed either (a clean-clone CI run diagnosed a rejected config as "node lost"
 * because a worker killed by an earlier test was listed without end_time_ms).
 */
export function relevantNodes(nodes: RayNode[], startMs: number | null, endMs: number | null): FailureEvidence['nodes'] {
  const out: FailureEvidence['nodes'] = [];
  for (const n of nodes) {
    const alive = n.state === 'ALIVE';
    if (!alive) {
      const died = n.end_time_ms ?? null;
      if (died === null) continue;
      if (startMs !== null && died < startMs - NODE_DEATH_SLACK_MS) continue;
      if (endMs !== null && died > endMs + 60_000) continue;
    }
    out.push({ nodeId: n.node_id, alive, deathReason: alive ? null : (n.state_message ?? null) });
  }
  return out;
}

async function nodeMetrics(
  prom: EvidencePrometheus,
  atMs: number,
  signal: AbortSignal | undefined,
  gap: (what: string, e: unknown) => void,
): Promise<NodeMetricSeries[]> {
  const end = Math.round(atMs / 1000) + METRICS_AFTER_S;
  const range = { start: end - METRICS_AFTER_S - METRICS_BEFORE_S, end, step: METRICS_STEP_S };
  const answers = await Promise.allSettled(EVIDENCE_QUERIES.map((q) => prom.queryRange(q.expr, range, signal)));
  const out: NodeMetricSeries[] = [];
  answers.forEach((a, i) => {
    const q = EVIDENCE_QUERIES[i];
    if (!q) return;
    if (a.status === 'rejected') return gap(`metric ${q.name}`, a.reason);
    for (const s of a.value) out.push({ name: q.name, node: s.labels.instance ?? s.label ?? null, points: s.points });
  });
  return out;
}
