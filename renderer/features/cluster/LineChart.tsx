// A small accessible SVG line chart (several series, axis labels, first/last values, a data table for screen readers).
export interface LinePoint {
  x: number;
  y: number;
}
export interface LineSeries {
  label: string;
  points: LinePoint[];
}

const COLORS = ['#4f8cff', '#f08c3a', '#3cb371', '#c75bd6', '#e0c341', '#e05353'];
const W = 520;
const H = 180;
const PAD = { l: 68, r: 12, t: 10, b: 24 };

export function LineChart({
  title,
  series,
  format,
  xLabel,
  testId,
  empty = 'No data yet.',
}: {
  title: string;
  series: LineSeries[];
  format: (v: number) => string;
  xLabel: string;
  testId: string;
  empty?: string;
}) {
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const first = series[0]?.points[0];
  const last = series[0]?.points.at(-1);
  if (all.length === 0)
    return (
      <figure className="chart line-chart" data-testid={testId} data-count={0}>
        <figcaption>{title}</figcaption>
        <p className="hint">{empty}</p>
      </figure>
    );
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 < 1e-12) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (x: number) => PAD.l + ((x - x0) / Math.max(x1 - x0, 1e-12)) * (W - PAD.l - PAD.r);
  const sy = (y: number) => H - PAD.b - ((y - y0) / (y1 - y0)) * (H - PAD.t - PAD.b);
  const summary = series
    .map((s) => {
      const a = s.points[0];
      const b = s.points.at(-1);
      return a && b ? `${s.label}: ${s.points.length} points, from ${format(a.y)} to ${format(b.y)}` : `${s.label}: no points`;
    })
    .join('; ');
  return (
    <figure className="chart line-chart" data-testid={testId} data-count={series[0]?.points.length ?? 0}>
      <figcaption>
        {title}
        {first && last && (
          <span className="chart-range">
            {' '}
            first <span data-testid={`${testId}-first`}>{format(first.y)}</span> → last{' '}
            <span data-testid={`${testId}-last`}>{format(last.y)}</span> ({series[0]?.points.length} points)
          </span>
        )}
      </figcaption>
      <svg role="img" aria-label={`${title}. ${summary}`} viewBox={`0 0 ${W} ${H}`} width={W} height={H} className="line-chart-svg">
        <line x1={PAD.l} y1={H - PAD.b} x2={W - PAD.r} y2={H - PAD.b} className="chart-axis" />
        <line x1={PAD.l} y1={PAD.t} x2={PAD.l} y2={H - PAD.b} className="chart-axis" />
        <text x={PAD.l - 4} y={PAD.t + 8} textAnchor="end" className="chart-label">
          {format(y1)}
        </text>
        <text x={PAD.l - 4} y={H - PAD.b} textAnchor="end" className="chart-label">
          {format(y0)}
        </text>
        <text x={PAD.l} y={H - 6} className="chart-label">
          {x0}
        </text>
        <text x={W - PAD.r} y={H - 6} textAnchor="end" className="chart-label">
          {xLabel} {x1}
        </text>
        {series.map((s, i) => (
          <polyline
            key={s.label}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            strokeWidth={2}
            points={s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      {series.length > 1 && (
        <div className="chart-legend">
          {series.map((s, i) => (
            <span key={s.label}>
              <span className="legend-swatch" style={{ background: COLORS[i % COLORS.length] }} /> {s.label}
            </span>
          ))}
        </div>
      )}
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {series.flatMap((s) =>
            s.points.slice(-50).map((p) => (
              <tr key={`${s.label}-${p.x}`}>
                <th scope="row">
                  {s.label} {xLabel} {p.x}
                </th>
                <td>{format(p.y)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </figure>
  );
}
