// Per-job resources: which nodes each attempt ran on, and CPU/memory/GPU series of those nodes over the attempt's life.
import { z } from 'zod';

const SeriesSchema = z.object({
  label: z.string(),
  labels: z.record(z.string(), z.string()),
  points: z.array(z.object({ t: z.number(), v: z.number() })),
});

export const JobResourceAttemptSchema = z.object({
  submissionId: z.string(),
  /** Unix seconds: the attempt's submission and end (now while it runs). */
  start: z.number(),
  end: z.number(),
  /** Node IPs from the attempt's `launch` event; empty when the attempt never placed its trainers. */
  nodes: z.array(z.string()),
  /** False when the launch event was not found (log not stored yet): the series then cover every node. */
  nodesKnown: z.boolean(),
});
export type JobResourceAttempt = z.infer<typeof JobResourceAttemptSchema>;

export const JOB_RESOURCE_METRICS = ['cpu', 'memory', 'gpuUtil', 'gpuMem'] as const;
export type JobResourceMetric = (typeof JOB_RESOURCE_METRICS)[number];

export const JobResourcesSchema = z.object({
  /**
   * What the numbers cover. `node`: whole-node figures of the nodes the job's attempts ran on, over each attempt's
   * time (other work on those nodes counts too). Ray labels its per-process metrics by process name and node only,
   * and the trainers are child processes of the launcher actor, so a per-job process split is not available.
   */
  scope: z.literal('node'),
  attempts: z.array(JobResourceAttemptSchema),
  /** cpu: % of the node; memory: bytes used on the node; gpuUtil: % per GPU; gpuMem: MiB per GPU. One series per node (GPU). */
  metrics: z.object({
    cpu: z.array(SeriesSchema),
    memory: z.array(SeriesSchema),
    gpuUtil: z.array(SeriesSchema),
    gpuMem: z.array(SeriesSchema),
  }),
  /** Where the GPU series came from: NVIDIA DCGM exporter, Ray's own GPU metrics, or none (no GPU metrics). */
  gpuSource: z.enum(['dcgm', 'ray', 'none']),
});
export type JobResources = z.infer<typeof JobResourcesSchema>;
