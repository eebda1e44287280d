// Table of the profile's hot functions: sortable by self time, total time and calls (header buttons, aria-sort),
// file:line buttons that open the spot in the editor, and arrow keys / Home / End moving between rows.
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { HotFunction } from '../../../../common/perf/types';
import { nextRowIndex, sortHotFunctions, toggleSort, type HotSort, type HotSortKey } from './hot-sort';
import './performance.css';

const COLUMNS: { key: HotSortKey; label: string }[] = [
  { key: 'self', label: 'Self' },
  { key: 'total', label: 'Total' },
  { key: 'calls', label: 'Calls' },
];

function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3);
}

export function HotFunctionsTable({
  hot,
  onOpen,
  initialSort = { key: 'self', direction: 'desc' },
}: {
  hot: HotFunction[];
  onOpen: (file: string, line: number) => void;
  initialSort?: HotSort;
}) {
  const [sort, setSort] = useState<HotSort>(initialSort);
  const [active, setActive] = useState(0);
  const rows = useMemo(() => sortHotFunctions(hot, sort), [hot, sort]);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);
  const hasCalls = hot.some((h) => h.calls !== undefined);
  const columns = hasCalls ? COLUMNS : COLUMNS.filter((c) => c.key !== 'calls');
  const focusRow = Math.min(active, Math.max(rows.length - 1, 0));

  if (hot.length === 0) return <p className="hint">No hot functions: nothing took measurable time.</p>;

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, i: number, h: HotFunction) => {
    const next = nextRowIndex(i, e.key, rows.length);
    if (next !== undefined) {
      e.preventDefault();
      setActive(next);
      rowRefs.current[next]?.focus();
    } else if (e.key === 'Enter' && h.file !== undefined && e.target === e.currentTarget) {
      e.preventDefault();
      onOpen(h.file, h.line ?? 1);
    }
  };

  return (
    <table className="perf-hot" data-testid="perf-hot">
      <caption>Hot functions (milliseconds; self = time in the function itself)</caption>
      <thead>
        <tr>
          <th scope="col">Function</th>
          <th scope="col">Where</th>
          {columns.map((c) => (
            <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.direction === 'desc' ? 'descending' : 'ascending') : 'none'}>
              <button type="button" onClick={() => setSort(toggleSort(sort, c.key))} data-testid={`perf-hot-sort-${c.key}`}>
                {c.label}
                <span aria-hidden="true">{sort.key === c.key ? (sort.direction === 'desc' ? ' ▼' : ' ▲') : ''}</span>
              </button>
            </th>
          ))}
          <th scope="col">Self %</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((h, i) => (
          <tr
            key={`${h.name}\u0000${h.file ?? ''}\u0000${h.line ?? ''}`}
            ref={(el) => {
              rowRefs.current[i] = el;
            }}
            tabIndex={i === focusRow ? 0 : -1}
            onFocus={() => setActive(i)}
            onKeyDown={(e) => onRowKey(e, i, h)}
            data-testid="perf-hot-row"
            data-name={h.name}
          >
            <th scope="row" className="perf-hot-name">
              {h.name}
            </th>
            <td>
              {h.file !== undefined ? (
                <button
                  type="button"
                  className="link"
                  tabIndex={-1}
                  onClick={() => onOpen(h.file as string, h.line ?? 1)}
                  aria-label={`Open ${h.file}${h.line !== undefined ? ` at line ${h.line}` : ''}`}
                >
                  {h.file}
                  {h.line !== undefined ? `:${h.line}` : ''}
                </button>
              ) : (
                <span className="hint">built-in</span>
              )}
            </td>
            {columns.map((c) => (
              <td key={c.key} className="num">
                {c.key === 'self' ? ms(h.selfMs) : c.key === 'total' ? ms(h.totalMs) : (h.calls ?? '—')}
              </td>
            ))}
            <td className="num">{h.selfPercent.toFixed(1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
