// Pure helpers behind the hot functions table: sorting by self/total/calls and moving the row focus by key.
import type { HotFunction } from '../../../../common/perf/types';

export type HotSortKey = 'self' | 'total' | 'calls';
export type SortDirection = 'asc' | 'desc';
export interface HotSort {
  key: HotSortKey;
  direction: SortDirection;
}

function value(h: HotFunction, key: HotSortKey): number | undefined {
  return key === 'self' ? h.selfMs : key === 'total' ? h.totalMs : h.calls;
}

/**
 * A sorted copy; rows without a call count (sampling profilers) go last in either direction, since "unknown" is not
 * "zero calls"; ties fall back to self time, then name, so the order is stable between renders.
 */
export function sortHotFunctions(hot: readonly HotFunction[], sort: HotSort): HotFunction[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...hot].sort((a, b) => {
    const va = value(a, sort.key);
    const vb = value(b, sort.key);
    if (va === undefined || vb === undefined) {
      if (va !== vb) return va === undefined ? 1 : -1;
    } else if (va !== vb) return sign * (va - vb);
    if (a.selfMs !== b.selfMs) return b.selfMs - a.selfMs;
    return a.name.localeCompare(b.name);
  });
}

/** Clicking the active column flips it; a new column starts with the biggest first. */
export function toggleSort(current: HotSort, key: HotSortKey): HotSort {
  if (current.key === key) return { key, direction: current.direction === 'desc' ? 'asc' : 'desc' };
  return { key, direction: 'desc' };
}

/** Row focus after a key press (ArrowUp/ArrowDown/Home/End), or undefined when the key is not a move. */
export function nextRowIndex(current: number, key: string, count: number): number | undefined {
  if (count <= 0) return undefined;
  switch (key) {
    case 'ArrowDown':
      return Math.min(current + 1, count - 1);
    case 'ArrowUp':
      return Math.max(current - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
