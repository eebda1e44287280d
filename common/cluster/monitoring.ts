// Monitoring shapes: time ranges, chart series, Alertmanager alerts and silences, and the degraded state.
import { z } from 'zod';

export const TIME_RANGES = ['15m', '1h', '6h', '24h'] as const;
export const TimeRangeSchema = z.enum(TIME_RANGES);
export type TimeRange = z.infer<typeof TimeRangeSchema>;

export interface SeriesPoint {
  t: number; // unix seconds
  v: number;
}
export interface Series {
  /** Instance or node the series belongs to. */
  label: string;
  labels: Record<string, string>;
  points: SeriesPoint[];
}

export const NODE_METRICS = ['cpu', 'memory', 'disk', 'network_rx', 'network_tx', 'gpu_util', 'gpu_temp', 'gpu_mem'] as const;
export type NodeMetric = (typeof NODE_METRICS)[number];

export type MonitoringResult<T> = { status: 'ok'; data: T } | { status: 'degraded'; reason: string; source: 'prometheus' | 'alertmanager' };

export const AlertSchema = z.looseObject({
  fingerprint: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  status: z.looseObject({
    state: z.enum(['unprocessed', 'active', 'suppressed']),
    silencedBy: z.array(z.string()).default([]),
    inhibitedBy: z.array(z.string()).default([]),
  }),
});
export type Alert = z.infer<typeof AlertSchema>;

export const SilenceMatcherSchema = z.object({
  name: z.string().min(1),
  value: z.string(),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});
export const SilenceRequestSchema = z.object({
  matchers: z.array(SilenceMatcherSchema).min(1),
  durationMinutes: z
    .number()
    .positive()
    .max(60 * 24 * 30),
  createdBy: z.string().min(1).default('evolve-studio'),
  comment: z.string().min(1).default('Acknowledged in Evolve Studio'),
});
export type SilenceRequest = z.input<typeof SilenceRequestSchema>;
