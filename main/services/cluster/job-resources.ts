// Per-job resources for the job page: the nodes each attempt ran on (its launch event) and their Ray/DCGM series.
import { isTerminalStatus } from '../../../common/cluster/ray';
import type { JobRecord } from '../../../common/cluster/job';
import type { JobResourceAttempt, JobResources } from '../../../common/cluster/job-resources';
import { parseLog } from '../../../common/cluster/log-lines';
import type { MonitoringResult, Series } from '../../../common/cluster/monitoring';

export interface RangeQuerier {
  rangeQuery(expr: string, range: { start: number; end: number; step: number }, signal?: AbortSignal): Promise<MonitoringResult<Series[]>>;
}

export interface JobResourcesInput {
  job: JobRecord;
  /** Stored logs per attempt (an attempt's log is stored when it ends). */
  logs: { submissionId: string; log: string }[];
  monitoring: RangeQuerier;
  /** The live log of a running attempt (Ray's job logs), for its launch event; errors count as "not known yet". */
  liveLog?: (submissionId: string) => Promise<string>;
  /** Nodes already learnt per submission (an attempt's nodes never change), so a running job's refreshes skip the log. */
  known?: Map<string, string[]>;
  now?: number;
  signal?: AbortSignal;
}

/** About this many points per chart, whatever the job's length; never finer than 1 s. */
const POINTS = 200;
/** Node addresses as Ray reports them (IPv4/IPv6/host names); anything else in a log is ignored, never put in PromQL. */
const NODE_ADDRESS = /^[A-Za-z0-9.:-]{1,253}$/;

/** The node IPs of the attempt's last `launch` event (a log holds one per attempt); null when there is none. */
export function launchNodes(log: string): string[] | null {
  const launch = parseLog(log)
    .events.filter((e) => e.name === 'launch')
    .at(-1);
  if (!launch || !Array.isArray(launch.fields.nodes)) return null;
  return [...new Set(launch.fields.nodes.filter((n): n is string => typeof n === 'string' && NODE_ADDRESS.test(n)))];
}

/** A PromQL regex alternative matching exactly these addresses (dots escaped; PromQL strings need the backslash doubled). */
function addressRegex(nodes: string[]): string {
  return nodes.map((n) => n.replace(/\./g, '\\\\.')).join('|');
}

/** The queries for one attempt; `nodes` null = not known, so every node. Ray labels nodes by `ip`, DCGM by scrape `instance`. */
export function resourceQueries(nodes: string[] | null) {
  const ip = nodes ? `{ip=~"${addressRegex(nodes)}"}` : '';
  const instance = nodes ? `{instance=~"(${addressRegex(nodes)}):[0-9]+"}` : '';
  return {
    cpu: `avg by (ip) (ray_node_cpu_utilization${ip})`,
    memory: `sum by (ip) (ray_node_mem_used${ip})`,
    dcgmUtil: `avg by (instance, Hostname, gpu) (DCGM_FI_DEV_GPU_UTIL${instance})`,
    dcgmMem: `sum by (instance, Hostname, gpu) (DCGM_FI_DEV_FB_USED${instance})`,
    rayGpuUtil: `avg by (ip, GpuIndex) (ray_node_gpus_utilization${ip})`,
    // Ray reports GPU RAM in MiB (its own Grafana panel multiplies by 1024²), the same unit as DCGM's FB_USED.
    rayGpuMem: `sum by (ip, GpuIndex) (ray_node_gram_used${ip})`,
  };
}
type QueryName = keyof ReturnType<typeof resourceQueries>;

function seriesLabel(name: QueryName, labels: Record<string, string>): string {
  const host = labels.ip ?? labels.Hostname ?? labels.instance?.replace(/:\d+$/, '') ?? 'node';
  if (name === 'dcgmUtil' || name === 'dcgmMem') return `${host} gpu ${labels.gpu ?? '?'}`;
  if (name === 'rayGpuUtil' || name === 'rayGpuMem') return `${host} gpu ${labels.GpuIndex ?? '?'}`;
  return host;
}

/** One series per label across attempts: an attempt's points follow the previous attempt's on the same node. */
function merge(parts: Series[][], name: QueryName): Series[] {
  const byLabel = new Map<string, Series>();
  for (const part of parts)
    for (const s of part) {
      const label = seriesLabel(name, s.labels);
      const cur = byLabel.get(label);
      if (cur) cur.points.push(...s.points);
      else byLabel.set(label, { label, labels: s.labels, points: [...s.points] });
    }
  for (const s of byLabel.values()) s.points.sort((a, b) => a.t - b.t);
  return [...byLabel.values()].sort((a, b) => a.label.localeCompare(b.label));
}

async function attemptsOf(input: JobResourcesInput, now: number): Promise<JobResourceAttempt[]> {
  const stored = new Map(input.logs.map((l) => [l.submissionId, l.log]));
  return Promise.all(
    input.job.attempts.map(async (a) => {
      let nodes = input.known?.get(a.submissionId) ?? launchNodes(stored.get(a.submissionId) ?? '');
      if (!nodes && !isTerminalStatus(a.status) && input.liveLog) nodes = launchNodes(await input.liveLog(a.submissionId).catch(() => ''));
      if (nodes) input.known?.set(a.submissionId, nodes);
      const start = Math.floor(a.submittedAt / 1000);
      const end = Math.max(start + 1, Math.ceil((a.endedAt ?? now) / 1000));
      // A finished attempt without a launch event never placed its trainers: it used no node.
      const known = nodes !== null || isTerminalStatus(a.status);
      return { submissionId: a.submissionId, start, end, nodes: nodes ?? [], nodesKnown: known };
    }),
  );
}

export async function collectJobResources(input: JobResourcesInput): Promise<MonitoringResult<JobResources>> {
  const now = input.now ?? Date.now();
  const attempts = await attemptsOf(input, now);
  const used = attempts.filter((a) => !a.nodesKnown || a.nodes.length > 0);
  const names = Object.keys(resourceQueries(null)) as QueryName[];
  const results = await Promise.all(
    used.map(async (a) => {
      const queries = resourceQueries(a.nodesKnown ? a.nodes : null);
      const range = { start: a.start, end: a.end, step: Math.max(1, Math.ceil((a.end - a.start) / POINTS)) };
      return Promise.all(names.map(async (n) => [n, await input.monitoring.rangeQuery(queries[n], range, input.signal)] as const));
    }),
  );
  const byName = new Map<QueryName, Series[][]>(names.map((n) => [n, []]));
  for (const perAttempt of results)
    for (const [name, r] of perAttempt) {
      if (r.status === 'degraded') return r;
      byName.get(name)!.push(r.data);
    }
  const get = (n: QueryName) => merge(byName.get(n)!, n);
  const dcgm = { util: get('dcgmUtil'), mem: get('dcgmMem') };
  const ray = { util: get('rayGpuUtil'), mem: get('rayGpuMem') };
  // DCGM first (NVIDIA's own counters, per GPU); Ray's GPU metrics where no DCGM exporter is scraped.
  const gpuSource = dcgm.util.length + dcgm.mem.length > 0 ? 'dcgm' : ray.util.length + ray.mem.length > 0 ? 'ray' : 'none';
  const gpu = gpuSource === 'dcgm' ? dcgm : gpuSource === 'ray' ? ray : { util: [], mem: [] };
  return {
    status: 'ok',
    data: { scope: 'node', attempts, metrics: { cpu: get('cpu'), memory: get('memory'), gpuUtil: gpu.util, gpuMem: gpu.mem }, gpuSource },
  };
}
