// Typed Prometheus HTTP API client (/api/v1/query, query_range, targets, alerts) with zod-parsed answers.
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import type { Series, TimeRange } from '../../../common/cluster/monitoring';
import { errorForStatus, httpRequest, jsonBody, type HttpTarget } from './http';
import { parseAnswer } from './parse';

const Envelope = <T extends z.ZodType>(data: T) =>
  z.looseObject({
    status: z.enum(['success', 'error']),
    data: data.optional(),
    errorType: z.string().optional(),
    error: z.string().optional(),
  });

const SampleValue = z.tuple([z.number(), z.string()]);
const VectorSchema = z.looseObject({
  resultType: z.literal('vector'),
  result: z.array(z.looseObject({ metric: z.record(z.string(), z.string()), value: SampleValue })),
});
const MatrixSchema = z.looseObject({
  resultType: z.literal('matrix'),
  result: z.array(z.looseObject({ metric: z.record(z.string(), z.string()), values: z.array(SampleValue) })),
});
export const TargetSchema = z.looseObject({
  labels: z.record(z.string(), z.string()),
  scrapePool: z.string().optional(),
  scrapeUrl: z.string(),
  health: z.enum(['up', 'down', 'unknown']),
  lastError: z.string().default(''),
  lastScrape: z.string().optional(),
});
export type PromTarget = z.infer<typeof TargetSchema>;
const TargetsSchema = z.looseObject({ activeTargets: z.array(TargetSchema) });
export const PromAlertSchema = z.looseObject({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  state: z.enum(['inactive', 'pending', 'firing']),
  activeAt: z.string().optional(),
  value: z.string().optional(),
});
export type PromAlert = z.infer<typeof PromAlertSchema>;
const AlertsSchema = z.looseObject({ alerts: z.array(PromAlertSchema) });

export interface InstantSample {
  labels: Record<string, string>;
  value: number;
  t: number;
}

/** Range → query window and step: ~60–150 points per chart, whatever the range. */
export const RANGE_PLAN: Record<TimeRange, { seconds: number; step: number }> = {
  '15m': { seconds: 15 * 60, step: 15 },
  '1h': { seconds: 3600, step: 30 },
  '6h': { seconds: 6 * 3600, step: 180 },
  '24h': { seconds: 24 * 3600, step: 600 },
};

/** rate() window for a step: at least 4 samples at a 15 s scrape, and at least one step. */
export const rateWindow = (step: number): string => `${Math.max(60, step * 2)}s`;

const num = (s: string): number => (s === 'NaN' ? NaN : s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s));

export class PrometheusClient {
  readonly target: HttpTarget;
  constructor(opts: Omit<HttpTarget, 'serviceName'>) {
    this.target = { serviceName: 'Prometheus', ...opts };
  }

  private async api<T extends z.ZodType>(
    path: string,
    query: Record<string, string | number | undefined>,
    schema: T,
    what: string,
    signal?: AbortSignal,
  ): Promise<z.output<T>> {
    const res = await httpRequest(this.target, { path, query, signal });
    // Prometheus answers 400/422 with a JSON error envelope: keep its message ("parse error at char 5 …").
    if (res.status !== 200 && res.status !== 400 && res.status !== 422) throw errorForStatus(this.target, res, what);
    const env = parseAnswer(Envelope(schema), jsonBody(this.target, res, what), what);
    if (env.status === 'error' || env.data === undefined) {
      const code =
        env.errorType === 'bad_data' || res.status === 400 ? 'INVALID_ARGUMENT' : env.errorType === 'timeout' ? 'TIMEOUT' : 'UNAVAILABLE';
      throw new EvolveError(code, `Prometheus rejected ${what}: ${env.error ?? env.errorType ?? 'unknown error'}`, {
        errorType: env.errorType,
      });
    }
    return env.data as z.output<T>;
  }

  async query(expr: string, opts: { time?: number; signal?: AbortSignal } = {}): Promise<InstantSample[]> {
    const data = await this.api(
      '/api/v1/query',
      { query: expr, time: opts.time },
      VectorSchema,
      `the query ${expr.slice(0, 120)}`,
      opts.signal,
    );
    return data.result.map((r) => ({ labels: r.metric, t: r.value[0], value: num(r.value[1]) }));
  }

  async queryRange(expr: string, range: { start: number; end: number; step: number }, signal?: AbortSignal): Promise<Series[]> {
    if (!(range.end > range.start) || !(range.step > 0))
      throw new EvolveError('INVALID_ARGUMENT', 'The range needs end > start and step > 0');
    const data = await this.api(
      '/api/v1/query_range',
      { query: expr, ...range },
      MatrixSchema,
      `the range query ${expr.slice(0, 120)}`,
      signal,
    );
    return data.result.map((r) => ({
      label: r.metric.instance ?? r.metric.Hostname ?? r.metric.node ?? (Object.values(r.metric).join(',') || expr),
      labels: r.metric,
      points: r.values.map(([t, v]) => ({ t, v: num(v) })).filter((p) => Number.isFinite(p.v)),
    }));
  }

  async targets(signal?: AbortSignal): Promise<PromTarget[]> {
    return (await this.api('/api/v1/targets', { state: 'active' }, TargetsSchema, 'the target list', signal)).activeTargets;
  }

  async alerts(signal?: AbortSignal): Promise<PromAlert[]> {
    return (await this.api('/api/v1/alerts', {}, AlertsSchema, 'the alert list', signal)).alerts;
  }
}
