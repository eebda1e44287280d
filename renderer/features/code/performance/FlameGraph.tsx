// Flame graph of a sampled profile, drawn by d3-flame-graph into a ref'd div: click a frame to zoom, Reset (or Esc)
// to zoom out, a search box that highlights matching frames, width following the container (ResizeObserver).
// CSP: d3-flame-graph sets styles through the CSSOM (element.style), not style attributes or <style> tags, and its
// stylesheet is bundled into the app's CSS file by Vite, so style-src 'self' holds; we replace its RegExp search.
import flamegraph, { type FlameGraphChart, type FlameHierarchyNode } from 'd3-flame-graph';
import { select } from 'd3-selection';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { toErrorInfo } from '../../../../common/errors';
import type { Profile } from '../../../../common/perf/types';
import { flameNameMatches, matchedMs, profileToFlameTree, type FlameNode } from './flame-tree';
import './performance.css';

const CELL_HEIGHT = 18;
const MIN_WIDTH = 200;

function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(3)} ms`;
}

function percent(part: number, total: number): string {
  return total > 0 ? `${((100 * part) / total).toFixed(1)} %` : '0 %';
}

/** "parse (app/io.py:12) — 40.0 ms total, 12.0 ms self, 25.0 %": the hover title and the details line. */
export function frameLabel(node: FlameNode, totalMs: number): string {
  const where = node.file ? ` (${node.file}${node.line !== undefined ? `:${node.line}` : ''})` : '';
  return `${node.name}${where} — ${formatMs(node.value)} total, ${formatMs(node.selfMs)} self, ${percent(node.value, totalMs)}`;
}

type Built = { ok: true; tree: FlameNode } | { ok: false; error: string };

export function FlameGraph({ profile }: { profile: Profile }) {
  const built = useMemo<Built>(() => {
    try {
      return { ok: true, tree: profileToFlameTree(profile) };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e).message };
    }
  }, [profile]);
  const host = useRef<HTMLDivElement>(null);
  const chartRef = useRef<FlameGraphChart<FlameNode> | null>(null);
  const [term, setTerm] = useState('');
  const [details, setDetails] = useState<string | null>(null);
  const [zoomed, setZoomed] = useState(false);
  const searchId = useId();
  const tree = built.ok ? built.tree : null;

  useEffect(() => {
    const el = host.current;
    if (!el || !tree || tree.value <= 0) return;
    const total = tree.value;
    const chart = flamegraph<FlameNode>()
      .width(Math.max(el.clientWidth, MIN_WIDTH))
      .cellHeight(CELL_HEIGHT)
      .minFrameSize(1)
      .transitionDuration(250)
      .setLabelHandler((d: FlameHierarchyNode<FlameNode>) => frameLabel(d.data, total))
      .setSearchMatch((d: FlameHierarchyNode<FlameNode>, t: string) => flameNameMatches(d.data.name, t))
      // The figure's own line reports matches (matchedMs); the library's handler writes to a details element we lack.
      .setSearchHandler(() => undefined)
      .setDetailsHandler((text: string | null) => setDetails(text))
      .onClick((d: FlameHierarchyNode<FlameNode>) => setZoomed(d.depth > 0));
    // d3-flame-graph writes zoom state (fade/hide) into the data it is given: it gets a copy, so the memoised tree
    // the component reads (search totals) stays exactly what the profile says.
    select(el).datum(structuredClone(tree)).call(chart);
    chartRef.current = chart;
    setZoomed(false);
    const observer = new ResizeObserver((entries) => {
      const width = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (width > 0) chart.width(Math.max(width, MIN_WIDTH)).update();
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      chartRef.current = null;
    };
  }, [tree]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    if (term.trim()) chart.search(term);
    else chart.clear();
  }, [term, tree]);

  const reset = () => {
    chartRef.current?.resetZoom();
    setZoomed(false);
  };

  if (!built.ok)
    return (
      <figure className="perf-flame" data-testid="perf-flame">
        <figcaption>Flame graph</figcaption>
        <p className="error" role="alert">
          {built.error}
        </p>
      </figure>
    );
  const total = built.tree.value;
  const matched = term.trim() ? matchedMs(built.tree, term) : 0;
  return (
    <figure className="perf-flame" data-testid="perf-flame" data-total-ms={total}>
      <figcaption>
        Flame graph <span className="hint">{`(${profile.tool}, ${formatMs(total)} sampled)`}</span>
      </figcaption>
      {total <= 0 ? (
        <p className="hint">No samples in this profile — the code ran too briefly to be sampled.</p>
      ) : (
        <>
          <div className="perf-flame-toolbar">
            <label htmlFor={searchId}>Search</label>
            <input
              id={searchId}
              type="search"
              value={term}
              placeholder="function name"
              onChange={(e) => setTerm(e.target.value)}
              data-testid="perf-flame-search"
            />
            <button type="button" onClick={reset} disabled={!zoomed} data-testid="perf-flame-reset">
              Reset zoom
            </button>
            <span className="hint" aria-live="polite" data-testid="perf-flame-matches">
              {term.trim() ? `${formatMs(matched)} of ${formatMs(total)} match (${percent(matched, total)})` : ''}
            </span>
          </div>
          <div
            ref={host}
            className="perf-flame-host"
            role="group"
            aria-label="Flame graph: click a frame to zoom in, Escape to zoom out. The hot functions table lists the same data."
            tabIndex={0}
            onKeyDown={(e) => {
              if (e.key === 'Escape') reset();
            }}
            data-testid="perf-flame-host"
          />
          <p className="perf-flame-details hint" aria-live="polite" data-testid="perf-flame-details">
            {details ?? 'Hover a frame for its time; click to zoom.'}
          </p>
        </>
      )}
    </figure>
  );
}
