// PromQL for the node charts: node-exporter for CPU/memory/disk/network, DCGM exporter for GPUs, Ray's own metrics.
import type { NodeMetric } from '../../../common/cluster/monitoring';

const REAL_FS = 'fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs|devtmpfs|autofs|fuse.*"';

/** `w` is the rate() window; every query groups by instance so each node is one line on the chart. */
export function nodeQuery(metric: NodeMetric, w: string): string {
  switch (metric) {
    case 'cpu':
      return `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[${w}])))`;
    case 'memory':
      return '100 * (1 - avg by (instance) (node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes))';
    case 'disk':
      return `100 * max by (instance) (1 - node_filesystem_avail_bytes{${REAL_FS}} / node_filesystem_size_bytes{${REAL_FS}})`;
    case 'network_rx':
      return `sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[${w}]))`;
    case 'network_tx':
      return `sum by (instance) (rate(node_network_transmit_bytes_total{device!="lo"}[${w}]))`;
    // DCGM exporter names (NVIDIA dcgm-exporter); absent on CPU-only clusters, which gives empty series.
    case 'gpu_util':
      return 'avg by (Hostname, gpu) (DCGM_FI_DEV_GPU_UTIL)';
    case 'gpu_temp':
      return 'max by (Hostname, gpu) (DCGM_FI_DEV_GPU_TEMP)';
    case 'gpu_mem':
      return 'sum by (Hostname, gpu) (DCGM_FI_DEV_FB_USED)';
  }
}

export const NODE_METRIC_UNITS: Record<NodeMetric, string> = {
  cpu: '%',
  memory: '%',
  disk: '%',
  network_rx: 'B/s',
  network_tx: 'B/s',
  gpu_util: '%',
  gpu_temp: '°C',
  gpu_mem: 'MiB',
};

/** Ray's exported metrics (scraped from each node's metrics-export-port). */
export const RAY_QUERIES = {
  cpu: 'avg by (instance) (ray_node_cpu_utilization)',
  memUsedBytes: 'sum by (instance) (ray_node_mem_used)',
  gpuUtil: 'avg by (instance) (ray_node_gpus_utilization)',
  tasksRunning: 'sum(ray_tasks{State="RUNNING"})',
  tasksFailed: 'sum(ray_tasks{State="FAILED"})',
  actorsAlive: 'sum(ray_actors{State="ALIVE"})',
} as const;
export type RayQuery = keyof typeof RAY_QUERIES;
