// The parts of d3-flame-graph 5.0.0 and d3-selection 3 the FlameGraph uses (neither ships types; @types/d3-* would
// pull the whole d3 type tree for five calls).
declare module 'd3-selection' {
  export interface D3Selection<Datum> {
    datum<T>(value: T): D3Selection<T>;
    call(fn: (s: D3Selection<Datum>) => void): D3Selection<Datum>;
  }
  export function select(node: Element): D3Selection<unknown>;
}

declare module 'd3-flame-graph' {
  import type { D3Selection } from 'd3-selection';

  /** A laid-out node as d3-hierarchy gives it to handlers: `data` is the node we passed in. */
  export interface FlameHierarchyNode<T> {
    data: T;
    value: number;
    depth: number;
    x0: number;
    x1: number;
  }

  export interface FlameGraphChart<T> {
    (selection: D3Selection<T>): void;
    width(w: number): FlameGraphChart<T>;
    cellHeight(h: number): FlameGraphChart<T>;
    minFrameSize(px: number): FlameGraphChart<T>;
    transitionDuration(ms: number): FlameGraphChart<T>;
    sort(s: boolean): FlameGraphChart<T>;
    inverted(b: boolean): FlameGraphChart<T>;
    title(t: string): FlameGraphChart<T>;
    setLabelHandler(fn: (d: FlameHierarchyNode<T>) => string): FlameGraphChart<T>;
    setSearchMatch(fn: (d: FlameHierarchyNode<T>, term: string) => boolean): FlameGraphChart<T>;
    setSearchHandler(fn: (results: FlameHierarchyNode<T>[], sum: number, total: number) => void): FlameGraphChart<T>;
    setDetailsHandler(fn: (text: string | null) => void): FlameGraphChart<T>;
    setColorMapper(fn: (d: FlameHierarchyNode<T>, originalColor: string) => string): FlameGraphChart<T>;
    onClick(fn: (d: FlameHierarchyNode<T>) => void): FlameGraphChart<T>;
    search(term: string): void;
    clear(): void;
    resetZoom(): void;
    update(data?: T): FlameGraphChart<T>;
    destroy(): FlameGraphChart<T>;
  }

  export default function flamegraph<T>(): FlameGraphChart<T>;
}
