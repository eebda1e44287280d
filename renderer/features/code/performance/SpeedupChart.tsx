// Before/after benchmark chart in plain SVG: per input size the two median times (log axis), below them the
// speed-up's confidence interval as an error bar against the dashed bar it must clear, and the fitted slopes.
import { formatRatio } from '../../../../common/perf/offer';
import { BenchResultSchema, type BenchResult } from '../../../../common/perf/types';
import { CHART_HEIGHT, CHART_WIDTH, describeMark, formatSeconds, speedupChartModel } from './speedup-model';
import './performance.css';

const VERDICT_TEXT: Record<BenchResult['verdict'], string> = {
  faster: 'faster',
  'not-proven': 'not proven faster',
  slower: 'slower',
};

export function SpeedupChart({ bench }: { bench: BenchResult }) {
  // The result crosses process boundaries; a malformed one (no sizes, a zero time) must not draw NaN geometry.
  const parsed = BenchResultSchema.safeParse(bench);
  if (!parsed.success)
    return (
      <figure className="chart perf-speedup" data-testid="perf-speedup">
        <figcaption>Before / after</figcaption>
        <p className="error" role="alert">
          {`Malformed benchmark result: ${parsed.error.issues[0]?.message ?? 'invalid'}`}
        </p>
      </figure>
    );
  const m = speedupChartModel(parsed.data);
  const { plot } = m;
  const conf = Math.round((bench.sizes[0]?.speedup.confidence ?? 0.95) * 100);
  const title = `Before and after (${bench.tool}): ${m.slopes}; verdict ${VERDICT_TEXT[bench.verdict]}`;
  const summary = m.marks.map(describeMark).join('; ');
  return (
    <figure className="chart perf-speedup" data-testid="perf-speedup" data-verdict={bench.verdict}>
      <figcaption>
        Before / after <span className="hint">(median seconds per call, {bench.tool})</span>
        <span className="perf-slopes" data-testid="perf-speedup-slopes">
          {' '}
          {m.slopes}
        </span>
      </figcaption>
      <svg
        role="img"
        aria-label={`${title}. Speed-up ${conf} % intervals: ${summary}. Bar: ${formatRatio(m.bar)}×.`}
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        width={CHART_WIDTH}
        height={CHART_HEIGHT}
        className="perf-speedup-svg"
      >
        {m.timeTicks.map((t) => (
          <g key={`t${t.label}`}>
            <line x1={plot.left} x2={plot.right} y1={t.y} y2={t.y} className="perf-grid" />
            <text x={plot.left - 4} y={t.y + 4} textAnchor="end" className="chart-label">
              {t.label}
            </text>
          </g>
        ))}
        <line x1={plot.left} y1={plot.timeBottom} x2={plot.right} y2={plot.timeBottom} className="chart-axis" />
        {m.bars.map((b) => (
          <rect
            key={`${b.version}-${b.n}`}
            x={b.x}
            y={b.y}
            width={b.width}
            height={Math.max(b.height, 0.5)}
            className={`perf-bar perf-bar-${b.version}`}
            data-testid={`perf-bar-${b.version}`}
            data-n={b.n}
          >
            <title>{`${b.version}, n = ${b.n}: ${formatSeconds(b.medianSec)}`}</title>
          </rect>
        ))}
        {m.groups.map((g) => (
          <text key={`n${g.n}`} x={g.x} y={plot.timeBottom + 16} textAnchor="middle" className="chart-label">
            n = {g.n}
          </text>
        ))}

        <text x={plot.left} y={plot.speedTop - 12} className="chart-label">
          speed-up ({conf} % interval)
        </text>
        {m.speedTicks.map((t) => (
          <text key={`s${t.label}`} x={plot.left - 4} y={t.y + 4} textAnchor="end" className="chart-label">
            {t.label}
          </text>
        ))}
        <line x1={plot.left} y1={m.oneY} x2={plot.right} y2={m.oneY} className="perf-grid" />
        <line x1={plot.left} y1={m.barY} x2={plot.right} y2={m.barY} className="perf-threshold" data-testid="perf-threshold" />
        <text x={plot.right} y={m.barY - 4} textAnchor="end" className="chart-label perf-threshold-label">
          bar {formatRatio(m.bar)}×
        </text>
        {m.marks.map((k) => (
          <g
            key={`m${k.n}`}
            className={k.clears ? 'perf-interval clears' : 'perf-interval misses'}
            data-testid="perf-interval"
            data-n={k.n}
            data-clears={k.clears}
          >
            <title>{describeMark(k)}</title>
            <line x1={k.x} x2={k.x} y1={k.yLow} y2={k.yHigh} />
            <line x1={k.x - 6} x2={k.x + 6} y1={k.yLow} y2={k.yLow} />
            <line x1={k.x - 6} x2={k.x + 6} y1={k.yHigh} y2={k.yHigh} />
            <circle cx={k.x} cy={k.yMedian} r={3.5} />
          </g>
        ))}
      </svg>
      <div className="chart-legend">
        <span>
          <span className="legend-swatch perf-bar-before" /> before
        </span>
        <span>
          <span className="legend-swatch perf-bar-after" /> after
        </span>
      </div>
      <table className="sr-only">
        <caption>Median seconds per call and speed-up per input size</caption>
        <thead>
          <tr>
            <th scope="col">n</th>
            <th scope="col">before</th>
            <th scope="col">after</th>
            <th scope="col">speed-up</th>
          </tr>
        </thead>
        <tbody>
          {m.marks.map((k) => {
            const before = m.bars.find((b) => b.n === k.n && b.version === 'before');
            const after = m.bars.find((b) => b.n === k.n && b.version === 'after');
            return (
              <tr key={k.n}>
                <th scope="row">{k.n}</th>
                <td>{before ? formatSeconds(before.medianSec) : '—'}</td>
                <td>{after ? formatSeconds(after.medianSec) : '—'}</td>
                <td>{describeMark(k)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
