// The hot functions table: sorting by self/total/calls (unknown call counts last), header toggling, row keyboard
// moves, and the markup (aria-sort, file:line open buttons, built-ins without a link, no Calls column when unknown).
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { HotFunction } from '../../../../common/perf/types';
import { HotFunctionsTable } from '../../../../renderer/features/code/performance/HotFunctionsTable';
import { nextRowIndex, sortHotFunctions, toggleSort } from '../../../../renderer/features/code/performance/hot-sort';

const HOT: HotFunction[] = [
  { name: 'parse', file: 'app.py', line: 10, selfMs: 5, totalMs: 40, selfPercent: 10, calls: 3 },
  { name: 'sort_items', file: 'app.py', line: 20, selfMs: 30, totalMs: 31, selfPercent: 60, calls: 1 },
  { name: 'len', selfMs: 8, totalMs: 8, selfPercent: 16, calls: 9000 },
  { name: 'sampled_only', file: 'lib/x.py', line: 3, selfMs: 7, totalMs: 9, selfPercent: 14 },
];

const names = (rows: HotFunction[]) => rows.map((h) => h.name);

describe('sortHotFunctions', () => {
  it('sorts by self, total or calls in either direction', () => {
    expect(names(sortHotFunctions(HOT, { key: 'self', direction: 'desc' }))).toEqual(['sort_items', 'len', 'sampled_only', 'parse']);
    expect(names(sortHotFunctions(HOT, { key: 'total', direction: 'desc' }))).toEqual(['parse', 'sort_items', 'sampled_only', 'len']);
    expect(names(sortHotFunctions(HOT, { key: 'total', direction: 'asc' }))).toEqual(['len', 'sampled_only', 'sort_items', 'parse']);
  });

  it('puts rows without a call count last whichever way calls are sorted', () => {
    expect(names(sortHotFunctions(HOT, { key: 'calls', direction: 'desc' }))).toEqual(['len', 'parse', 'sort_items', 'sampled_only']);
    expect(names(sortHotFunctions(HOT, { key: 'calls', direction: 'asc' }))).toEqual(['sort_items', 'parse', 'len', 'sampled_only']);
  });

  it('does not reorder its input', () => {
    const before = names(HOT);
    sortHotFunctions(HOT, { key: 'total', direction: 'asc' });
    expect(names(HOT)).toEqual(before);
  });
});

describe('toggleSort and nextRowIndex', () => {
  it('flips the active column and starts a new one biggest first', () => {
    expect(toggleSort({ key: 'self', direction: 'desc' }, 'self')).toEqual({ key: 'self', direction: 'asc' });
    expect(toggleSort({ key: 'self', direction: 'asc' }, 'calls')).toEqual({ key: 'calls', direction: 'desc' });
  });

  it('moves within bounds on arrows, Home and End, and ignores other keys', () => {
    expect(nextRowIndex(0, 'ArrowDown', 4)).toBe(1);
    expect(nextRowIndex(3, 'ArrowDown', 4)).toBe(3);
    expect(nextRowIndex(0, 'ArrowUp', 4)).toBe(0);
    expect(nextRowIndex(2, 'Home', 4)).toBe(0);
    expect(nextRowIndex(0, 'End', 4)).toBe(3);
    expect(nextRowIndex(0, 'a', 4)).toBeUndefined();
    expect(nextRowIndex(0, 'ArrowDown', 0)).toBeUndefined();
  });
});

describe('HotFunctionsTable markup', () => {
  const noop = () => undefined;

  it('renders rows in the chosen order with aria-sort on the sorted column', () => {
    const html = renderToString(<HotFunctionsTable hot={HOT} onOpen={noop} initialSort={{ key: 'total', direction: 'desc' }} />);
    const order = [...html.matchAll(/data-name="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['parse', 'sort_items', 'sampled_only', 'len']);
    expect(html).toMatch(/<th scope="col" aria-sort="descending"><button[^>]*data-testid="perf-hot-sort-total"/);
    expect(html).toMatch(/<th scope="col" aria-sort="none"><button[^>]*data-testid="perf-hot-sort-self"/);
  });

  it('makes only the first row tabbable (roving focus) and gives file:line an open button', () => {
    const html = renderToString(<HotFunctionsTable hot={HOT} onOpen={noop} />);
    expect([...html.matchAll(/<tr tabindex="(-?\d)"/g)].map((m) => m[1])).toEqual(['0', '-1', '-1', '-1']);
    expect(html).toContain('aria-label="Open app.py at line 20"');
    expect(html).toContain('app.py<!-- -->:20');
    expect(html).toContain('built-in');
  });

  it('drops the Calls column when no row has a call count (sampling profilers)', () => {
    const sampled = HOT.map(({ calls: _calls, ...rest }) => rest);
    const html = renderToString(<HotFunctionsTable hot={sampled} onOpen={noop} />);
    expect(html).not.toContain('perf-hot-sort-calls');
    expect(html).toContain('perf-hot-sort-self');
  });

  it('says so when there is nothing hot', () => {
    expect(renderToString(<HotFunctionsTable hot={[]} onOpen={noop} />)).toContain('No hot functions');
  });
});
