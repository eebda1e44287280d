// Projects section: add a folder, index it with progress (cancel, pause), per-project status, hybrid search with
// file:line, snippet and the BM25 / vector / fused scores, and the top of the repo map.
import { useEffect, useState } from 'react';
import { getApi } from '../../api';
import { useStore } from '../../app/store';
import { BackendPanel } from '../shell/BackendPanel';
import { IndexProgressBar } from './IndexProgressBar';

const score = (n: number | null, digits = 3) => (n === null ? '–' : n.toFixed(digits));

export function ProjectsView() {
  const s = useStore((st) => st.projects);
  const ready = useStore((st) => st.vault.status?.state === 'ready');
  const load = useStore((st) => st.loadProjects);
  const add = useStore((st) => st.addProject);
  const remove = useStore((st) => st.removeProject);
  const select = useStore((st) => st.selectProject);
  const index = useStore((st) => st.indexProject);
  const cancel = useStore((st) => st.cancelIndex);
  const pause = useStore((st) => st.pauseIndex);
  const search = useStore((st) => st.searchProject);
  const desktop = useStore((st) => st.status?.mode === 'electron');
  const [path, setPath] = useState('');
  const [query, setQuery] = useState('');
  const [expand, setExpand] = useState(false);
  useEffect(() => {
    if (ready) void load();
  }, [ready, load]);

  if (!ready) return <BackendPanel backend="database" title="Encrypted project store" />;
  const current = s.list.find((p) => p.id === s.selected) ?? null;
  const run = current ? s.runs[current.id] : undefined;
  return (
    <section className="section-body">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void add(path).then(() => setPath(''));
        }}
      >
        <label>
          Folder{' '}
          <input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/path/to/project"
            size={50}
            data-testid="project-path"
          />
        </label>
        {desktop && (
          <button
            type="button"
            onClick={() =>
              void getApi()
                .projects.pickFolder({})
                .then((r) => {
                  if (r.ok && r.value.path) setPath(r.value.path);
                })
            }
            data-testid="project-browse"
          >
            Browse…
          </button>
        )}
        <button type="submit" disabled={!path.trim()} data-testid="project-add">
          Add project
        </button>
      </form>
      {s.error && (
        <p className="error-text" role="alert" data-testid="projects-error">
          {s.error.message}
        </p>
      )}
      <ul className="project-list" data-testid="project-list">
        {s.list.map((p) => (
          <li key={p.id}>
            <button type="button" aria-pressed={p.id === s.selected} onClick={() => void select(p.id)}>
              {p.name}
            </button>{' '}
            <span className="muted" data-testid="project-state">
              {p.state.status} · {p.files} files · {p.chunks} chunks
              {p.state.finishedAt ? ` · ${new Date(p.state.finishedAt).toLocaleString()}` : ''}
            </span>
          </li>
        ))}
        {s.list.length === 0 && <li className="muted">No projects yet: add a folder above.</li>}
      </ul>
      {current && (
        <div className="project-detail" data-testid="project-detail">
          <h3>{current.name}</h3>
          <p className="muted">
            {current.rootPath}
            {current.state.message ? ` — ${current.state.message}` : ''}
          </p>
          <div className="row">
            {!run && (
              <button type="button" onClick={() => void index(current.id)} data-testid="project-index">
                {current.state.status === 'never' ? 'Index' : current.state.status === 'cancelled' ? 'Resume indexing' : 'Re-index'}
              </button>
            )}
            {run && (
              <>
                <button type="button" onClick={() => cancel(current.id)} data-testid="project-cancel">
                  Cancel
                </button>
                <button type="button" onClick={() => void pause(current.id, !run.paused)} data-testid="project-pause">
                  {run.paused ? 'Resume' : 'Pause'}
                </button>
              </>
            )}
            <button type="button" onClick={() => void remove(current.id)} disabled={Boolean(run)} data-testid="project-remove">
              Remove
            </button>
          </div>
          {run?.progress && <IndexProgressBar p={run.progress} />}
          {run?.progress?.problems.length ? (
            <details>
              <summary>{run.progress.problems.length} file problem(s)</summary>
              <ul>
                {run.progress.problems.map((pr) => (
                  <li key={pr.rel}>
                    {pr.rel}: {pr.message}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              void search(current.id, query, expand);
            }}
          >
            <input
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder="Search the code (words or identifiers)"
              size={50}
              data-testid="project-query"
            />
            <label title="The local coding model adds code words to a question in plain English (takes seconds on a CPU)">
              <input type="checkbox" checked={expand} onChange={(e) => setExpand(e.target.checked)} data-testid="project-search-expand" />{' '}
              expand with the model
            </label>
            <button type="submit" disabled={!query.trim() || s.searching} data-testid="project-search">
              {s.searching ? 'Searching…' : 'Search'}
            </button>
          </form>
          {s.results?.expansion && (
            <p className="muted" data-testid="search-expansion">
              Also searched (words the local model suggested): {s.results.expansion.join(', ')}
            </p>
          )}
          {s.results && (
            <ol className="search-hits" data-testid="search-hits">
              {s.results.chunks.map((h) => (
                <li key={`${h.rel}:${h.startLine}`} data-testid="search-hit">
                  <code data-testid="hit-location">
                    {h.rel}:{h.startLine}-{h.endLine}
                  </code>{' '}
                  <span className="muted" data-testid="hit-scores">
                    fused {score(h.scores.fused, 4)} · bm25 {score(h.scores.bm25)} · vector {score(h.scores.vector)}
                  </span>
                  <pre className="snippet">{h.text.split('\n').slice(0, 8).join('\n')}</pre>
                </li>
              ))}
              {s.results.chunks.length === 0 && <li className="muted">No hits.</li>}
            </ol>
          )}
          {s.repoMap && (
            <details open>
              <summary>Repo map (top)</summary>
              <pre className="snippet" data-testid="repo-map">
                {s.repoMap}
              </pre>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
