// Parsing the trainer's metric/event JSON lines out of noisy Ray logs, streamed in arbitrary chunks.
import { describe, expect, it } from 'vitest';
import { LogLineSplitter, mergeMetricSeries, parseLog, parseLogLine } from '../../../common/cluster/log-lines';

const metric = (step: number, loss: number | null) =>
  JSON.stringify({ evolve_metric: 1, step, loss, lr: 0.001, samples_per_s: 400.5, epoch: 0, rank: 0, ts: 1.5, val_loss: 0.2 });

describe('log line parsing', () => {
  it('parses a metric line, keeping extra numeric fields', () => {
    expect(parseLogLine(metric(3, 0.5))).toEqual({
      kind: 'metric',
      point: { step: 3, loss: 0.5, lr: 0.001, samplesPerS: 400.5, epoch: 0, ts: 1.5, extra: { val_loss: 0.2 } },
    });
  });

  it('finds the JSON after a prefix (Ray and the launcher add them) and keeps a null loss (diverged run)', () => {
    const p = parseLogLine(`[node 1] ${metric(4, null)}`);
    expect(p.kind === 'metric' && p.point.loss).toBeNull();
  });

  it('parses events with their fields', () => {
    expect(parseLogLine('{"evolve_event":"checkpoint","step":10,"path":"/ck/10.pt","ts":2}')).toEqual({
      kind: 'event',
      event: { name: 'checkpoint', ts: 2, fields: { step: 10, path: '/ck/10.pt' } },
    });
  });

  it.each([
    'plain text',
    '{"evolve_metric":1,"step":-1}',
    '{"evolve_metric":2,"step":1}',
    '{"evolve_event":""}',
    '{"evolve_metric":1, broken',
    '{"evolve_metric":1,"step":"7"}',
  ])('treats %s as text', (line) => expect(parseLogLine(line).kind).toBe('text'));

  it('splits streamed chunks into whole lines only', () => {
    const s = new LogLineSplitter();
    const line = metric(1, 0.9);
    expect(s.push(line.slice(0, 10))).toEqual([]);
    expect(s.push(`${line.slice(10)}\nnext`)).toEqual([line]);
    expect(s.push('\r\n')).toEqual(['next']);
    expect(s.push('tail')).toEqual([]);
    expect(s.flush()).toEqual(['tail']);
  });

  it('parseLog separates metrics and events', () => {
    const r = parseLog(['noise', metric(1, 1), '{"evolve_event":"done","steps":1}', metric(2, 0.8)].join('\n'));
    expect(r.metrics.map((m) => m.step)).toEqual([1, 2]);
    expect(r.events.map((e) => e.name)).toEqual(['done']);
  });

  it('merges attempts into one series where the resumed attempt wins repeated steps', () => {
    const a = parseLog([metric(1, 1), metric(2, 0.9), metric(3, 0.8)].join('\n')).metrics;
    const b = parseLog([metric(3, 0.7), metric(4, 0.6)].join('\n')).metrics;
    const merged = mergeMetricSeries([a, b]);
    expect(merged.map((m) => [m.step, m.loss])).toEqual([
      [1, 1],
      [2, 0.9],
      [3, 0.7],
      [4, 0.6],
    ]);
  });
});
