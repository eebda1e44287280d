// A small accessible SVG bar chart (horizontal bars, labelled values, a data table for screen readers): no chart library needed.
export interface Bar {
  label: string;
  value: number;
  /** Optional second series stacked after the first (e.g. completion after prompt tokens). */
  value2?: number;
}

export function BarChart({
  title,
  bars,
  format,
  legend,
  testId,
}: {
  title: string;
  bars: Bar[];
  format: (v: number) => string;
  legend?: [string, string];
  testId: string;
}) {
  const max = Math.max(1e-12, ...bars.map((b) => b.value + (b.value2 ?? 0)));
  const rowH = 26;
  const labelW = 190;
  const width = 560;
  const barW = width - labelW - 110;
  const height = Math.max(rowH, bars.length * rowH) + (legend ? 20 : 0);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="hint">No usage yet.</p>
      ) : (
        <svg
          role="img"
          aria-label={`${title}: ${bars.map((b) => `${b.label} ${format(b.value + (b.value2 ?? 0))}`).join('; ')}`}
          width={width}
          height={height}
        >
          {bars.map((b, i) => {
            const w1 = (b.value / max) * barW;
            const w2 = ((b.value2 ?? 0) / max) * barW;
            const y = i * rowH;
            return (
              <g key={b.label} transform={`translate(0 ${y})`}>
                <text x={labelW - 8} y={rowH / 2 + 4} textAnchor="end" className="chart-label">
                  {b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label}
                </text>
                <rect x={labelW} y={4} width={Math.max(w1, 1)} height={rowH - 8} className="chart-bar" />
                {b.value2 !== undefined && <rect x={labelW + w1} y={4} width={Math.max(w2, 0)} height={rowH - 8} className="chart-bar2" />}
                <text x={labelW + w1 + w2 + 6} y={rowH / 2 + 4} className="chart-value" data-testid={`${testId}-value-${i}`}>
                  {format(b.value + (b.value2 ?? 0))}
                </text>
              </g>
            );
          })}
          {legend && (
            <g transform={`translate(${labelW} ${bars.length * rowH + 4})`}>
              <rect width={10} height={10} className="chart-bar" />
              <text x={14} y={9} className="chart-label">
                {legend[0]}
              </text>
              <rect x={120} width={10} height={10} className="chart-bar2" />
              <text x={134} y={9} className="chart-label">
                {legend[1]}
              </text>
            </g>
          )}
        </svg>
      )}
      <table className="sr-only">
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th>{b.label}</th>
              <td>{format(b.value + (b.value2 ?? 0))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
