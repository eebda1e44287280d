// Parses the trainer's stdout protocol (metric and event JSON lines) out of Ray job logs; pure, tolerant of noise.
import { z } from 'zod';
import type { MetricPoint, TrainingEvent } from './job';

const num = z.number().finite();
const RawMetricSchema = z.looseObject({
  evolve_metric: z.literal(1),
  step: z.number().int().nonnegative(),
  loss: num.nullish(),
  lr: num.nullish(),
  samples_per_s: num.nullish(),
  epoch: z.number().int().nullish(),
  ts: num.nullish(),
});
const RawEventSchema = z.looseObject({ evolve_event: z.string().min(1), ts: num.nullish() });
const KNOWN_METRIC_KEYS = new Set(['evolve_metric', 'step', 'loss', 'lr', 'samples_per_s', 'epoch', 'ts', 'rank']);

export type ParsedLine = { kind: 'metric'; point: MetricPoint } | { kind: 'event'; event: TrainingEvent } | { kind: 'text' };

/** One line: the JSON may follow a prefix (Ray adds `(pid=…)` or `[node 1]`), so look for `{"evolve_`. */
export function parseLogLine(line: string): ParsedLine {
  const start = line.indexOf('{"evolve_');
  if (start < 0) return { kind: 'text' };
  let raw: unknown;
  try {
    raw = JSON.parse(line.slice(start).trim());
  } catch {
    return { kind: 'text' };
  }
  const m = RawMetricSchema.safeParse(raw);
  if (m.success) {
    const extra: Record<string, number> = {};
    for (const [k, v] of Object.entries(m.data)) {
      if (!KNOWN_METRIC_KEYS.has(k) && typeof v === 'number' && Number.isFinite(v)) extra[k] = v;
    }
    return {
      kind: 'metric',
      point: {
        step: m.data.step,
        loss: m.data.loss ?? null,
        lr: m.data.lr ?? null,
        samplesPerS: m.data.samples_per_s ?? null,
        epoch: m.data.epoch ?? null,
        ts: m.data.ts ?? null,
        extra,
      },
    };
  }
  const e = RawEventSchema.safeParse(raw);
  if (e.success) {
    const { evolve_event: name, ts, ...fields } = e.data;
    return { kind: 'event', event: { name, ts: ts ?? null, fields } };
  }
  return { kind: 'text' };
}

/**
 * Incremental splitter for streamed logs: chunks arrive cut anywhere, so keep the partial last line until
 * its newline arrives.
 */
export class LogLineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split(/\r?\n/);
    this.rest = lines.pop() ?? '';
    return lines;
  }

  flush(): string[] {
    const last = this.rest;
    this.rest = '';
    return last ? [last] : [];
  }
}

export interface ParsedLog {
  metrics: MetricPoint[];
  events: TrainingEvent[];
}

export function parseLog(text: string): ParsedLog {
  const out: ParsedLog = { metrics: [], events: [] };
  for (const line of text.split(/\r?\n/)) {
    const p = parseLogLine(line);
    if (p.kind === 'metric') out.metrics.push(p.point);
    else if (p.kind === 'event') out.events.push(p.event);
  }
  return out;
}

/**
 * Merges metric points from several attempts into one continuous series by step: a resumed attempt
 * re-emits steps after its checkpoint, and the later attempt's value wins (it is the one training continued from).
 */
export function mergeMetricSeries(series: MetricPoint[][]): MetricPoint[] {
  const byStep = new Map<number, MetricPoint>();
  for (const s of series) for (const p of s) byStep.set(p.step, p);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
