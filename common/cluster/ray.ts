// Shapes of the Ray dashboard's REST answers we rely on (parsed loosely: Ray adds fields between versions).
import { z } from 'zod';

export const RayVersionSchema = z.looseObject({
  version: z.string(),
  ray_version: z.string(),
  ray_commit: z.string().optional(),
  session_name: z.string().optional(),
});
export type RayVersion = z.infer<typeof RayVersionSchema>;

export const RAY_JOB_STATUSES = ['PENDING', 'RUNNING', 'STOPPED', 'SUCCEEDED', 'FAILED'] as const;
export const RayJobStatusSchema = z.enum(RAY_JOB_STATUSES);
export type RayJobStatus = z.infer<typeof RayJobStatusSchema>;
export const isTerminalStatus = (s: RayJobStatus): boolean => s === 'STOPPED' || s === 'SUCCEEDED' || s === 'FAILED';

const optStr = z.string().nullish();
const optNum = z.number().nullish();

export const RayJobSchema = z.looseObject({
  type: z.string().optional(),
  job_id: optStr,
  submission_id: optStr,
  status: RayJobStatusSchema,
  entrypoint: z.string(),
  message: optStr,
  error_type: optStr,
  start_time: optNum,
  end_time: optNum,
  metadata: z.record(z.string(), z.string()).nullish(),
  runtime_env: z.record(z.string(), z.unknown()).nullish(),
  driver_exit_code: optNum,
  driver_node_id: optStr,
});
export type RayJob = z.infer<typeof RayJobSchema>;

export const RayNodeSchema = z.looseObject({
  node_id: z.string(),
  node_ip: z.string(),
  is_head_node: z.boolean(),
  state: z.enum(['ALIVE', 'DEAD']).or(z.string()),
  state_message: optStr,
  node_name: optStr,
  resources_total: z.record(z.string(), z.number()).default({}),
  labels: z.record(z.string(), z.string()).nullish(),
  start_time_ms: optNum,
  end_time_ms: optNum,
});
export type RayNode = z.infer<typeof RayNodeSchema>;

/** What a connection test shows: version and nodes. */
export interface ClusterConnectionInfo {
  rayVersion: string;
  apiVersion: string;
  nodes: RayNode[];
  aliveNodes: number;
  /** Sum of resources_total over ALIVE nodes, e.g. { CPU: 3, GPU: 0, memory: … }. */
  totalResources: Record<string, number>;
}

export interface JobSubmitRequest {
  entrypoint: string;
  submission_id?: string;
  runtime_env?: { working_dir?: string; env_vars?: Record<string, string>; [k: string]: unknown };
  metadata?: Record<string, string>;
  entrypoint_num_cpus?: number;
  entrypoint_num_gpus?: number;
  entrypoint_memory?: number;
  entrypoint_resources?: Record<string, number>;
}
