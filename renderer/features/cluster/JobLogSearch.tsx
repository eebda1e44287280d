// Jobs tab: one search box over every job's stored logs (also jobs of removed clusters); results show the line with
// its matches marked and a little context, newest job first, paged; a click opens the job. Enter searches, Esc clears.
import { useState, type KeyboardEvent } from 'react';
import type { JobLogSearchHit, JobLogSearchResult } from '../../../common/contracts/job-logs';
import { useStore } from '../../app/store';
import { errorTitle } from '../../lib/errors';
import { JOB_LOG_PAGE_SIZE, useJobLogSearch } from './use-job-log-search';

/** The line cut into plain and marked pieces (React escapes both: a log line is always text, never markup). */
export function markedPieces(text: string, spans: readonly (readonly [number, number])[]): { text: string; mark: boolean }[] {
  const out: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    const start = Math.max(a, at);
    const end = Math.min(b, text.length);
    if (end <= start) continue;
    if (start > at) out.push({ text: text.slice(at, start), mark: false });
    out.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), mark: false });
  return out;
}

const where = (h: JobLogSearchHit) =>
  h.profile.deleted ? (h.profile.name ? `${h.profile.name} (deleted cluster)` : 'deleted cluster') : (h.profile.name ?? 'unknown cluster');

function Hit({ hit, onOpen }: { hit: JobLogSearchHit; onOpen: (jobId: string) => void }) {
  return (
    <li className="log-hit" data-testid="log-hit" data-job-id={hit.jobId} data-line={hit.line}>
      <div className="row">
        <button type="button" className="link" onClick={() => onOpen(hit.jobId)}>
          {hit.jobName}
        </button>
        <span className="muted" data-testid="log-hit-cluster">
          {where(hit)} · {hit.jobStatus} · {new Date(hit.submittedAt).toLocaleString()} · line {hit.line}
          {hit.submissionId ? ` of ${hit.submissionId}` : ''}
        </span>
      </div>
      <pre className="log-tail log-hit-lines">
        {hit.before.map((l, i) => (
          <span key={`b${i}`} className="muted">
            {l}
            {'\n'}
          </span>
        ))}
        <span className="log-hit-line">
          {markedPieces(hit.text, hit.highlights).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
          {hit.truncated ? ' …' : ''}
        </span>
        {hit.after.map((l, i) => (
          <span key={`a${i}`} className="muted">
            {'\n'}
            {l}
          </span>
        ))}
      </pre>
    </li>
  );
}

/** The result list with its count and paging (separate from the box so it can be rendered and tested alone). */
export function LogSearchResults({
  result,
  onOpen,
  onPage,
}: {
  result: JobLogSearchResult;
  onOpen: (jobId: string) => void;
  onPage: (offset: number) => void;
}) {
  const { hits, total, totalCapped, offset } = result;
  if (hits.length === 0)
    return (
      <p className="hint" data-testid="log-search-empty">
        No log line matches.
      </p>
    );
  const last = offset + hits.length;
  return (
    <>
      <p className="muted" data-testid="log-search-count" aria-live="polite">
        Lines {offset + 1}–{last} of {total}
        {totalCapped ? '+' : ''}
      </p>
      <ol className="log-hits" data-testid="log-search-results">
        {hits.map((h) => (
          <Hit key={`${h.jobId}-${h.submissionId ?? ''}-${h.line}`} hit={h} onOpen={onOpen} />
        ))}
      </ol>
      <div className="row">
        <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - JOB_LOG_PAGE_SIZE))}>
          Previous
        </button>
        <button type="button" disabled={last >= total} onClick={() => onPage(last)}>
          Next
        </button>
      </div>
    </>
  );
}

export function JobLogSearch() {
  const [query, setQuery] = useState('');
  const { s, search, clear } = useJobLogSearch();
  const open = useStore((st) => st.openClusterJob);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && query.trim()) void search(query.trim());
    else if (e.key === 'Escape') {
      setQuery('');
      clear();
    }
  };
  return (
    <section className="job-log-search" aria-label="Search job logs" data-testid="job-log-search">
      <h3>Search logs</h3>
      <input
        type="search"
        value={query}
        placeholder='All jobs’ logs: words, "a phrase", prefix*, -exclude, a OR b — Enter to search, Esc to clear'
        aria-label="Search all job logs"
        data-testid="log-search-input"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKey}
      />
      {s.state === 'searching' && <p className="hint">Searching…</p>}
      {s.state === 'error' && (
        <p className="error-text" role="alert" data-testid="log-search-error">
          <strong>{errorTitle(s.error)}</strong> {s.error.message}
        </p>
      )}
      {s.state === 'ready' && (
        <LogSearchResults result={s.result} onOpen={(id) => void open(id)} onPage={(offset) => void search(s.query, offset)} />
      )}
    </section>
  );
}
