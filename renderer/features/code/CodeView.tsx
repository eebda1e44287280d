// Code section: pick a project (trust asked on first open), browse its tree, edit and save files, ask for code,
// review a generation hunk by hunk and apply it, undo or restore checkpoints, profile and optimise a function
// (Performance tab). Keyboard: see the ? sheet.
import { useEffect, useState } from 'react';
import { useStore } from '../../app/store';
import { errorTitle } from '../../lib/errors';
import { BackendPanel } from '../shell/BackendPanel';
import { AskPanel } from './AskPanel';
import { Checkpoints } from './Checkpoints';
import { DiffReview } from './DiffReview';
import { EditorPane } from './EditorPane';
import { ExperiencePanel } from './ExperiencePanel';
import { FileTree } from './FileTree';
import { Generations } from './Generations';
import { GitPanel } from './GitPanel';
import { PerformancePanel } from './performance/PerformancePanel';
import { ShortcutsSheet } from './ShortcutsSheet';
import { TrustPrompt } from './TrustPrompt';
import { useCodeShortcuts } from './useCodeShortcuts';
import './code.css';

export function CodeView() {
  const ready = useStore((s) => s.vault.status?.state === 'ready');
  const projects = useStore((s) => s.projects.list);
  const loadProjects = useStore((s) => s.loadProjects);
  const code = useStore((s) => s.code);
  const reviewing = useStore((s) => s.review.current !== null);
  const openProject = useStore((s) => s.openCodeProject);
  const [sheet, setSheet] = useState(false);
  const tab = useStore((s) => s.review.tab);
  const setTab = useStore((s) => s.setCodeTab);
  useCodeShortcuts({ open: sheet, set: setSheet });

  useEffect(() => {
    if (ready) void loadProjects();
  }, [ready, loadProjects]);

  if (!ready) return <BackendPanel backend="database" title="Encrypted project store" />;
  const project = projects.find((p) => p.id === code.projectId) ?? null;
  return (
    <section className="section-body code-section">
      <div className="row">
        <label>
          Project{' '}
          <select value={code.projectId ?? ''} onChange={(e) => void openProject(e.target.value || null)} data-testid="code-project">
            <option value="">— choose —</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {code.trust && (
          <span className={code.trust.trusted ? 'ok-text' : 'warn-text'} data-testid="code-trust">
            {code.trust.trusted ? 'trusted' : code.trust.decidedAt === null ? 'trust not decided' : 'restricted (not trusted)'}
          </span>
        )}
        {code.trust && code.trust.decidedAt !== null && (
          <button
            type="button"
            onClick={() => void useStore.getState().setProjectTrust(!code.trust?.trusted)}
            data-testid="code-trust-toggle"
          >
            {code.trust.trusted ? 'Distrust' : 'Trust'}
          </button>
        )}
        <button type="button" onClick={() => setSheet(true)} aria-keyshortcuts="?" data-testid="shortcuts-open">
          Shortcuts (?)
        </button>
        {projects.length === 0 && <span className="muted">Add a project folder in Projects first.</span>}
      </div>
      {code.error && (
        <p className="error-text" role="alert" data-testid="code-error">
          {errorTitle(code.error)}: {code.error.message}
        </p>
      )}
      {project && (
        <div className="code-layout">
          <FileTree />
          <div className="code-main">
            <div className="row" role="tablist" aria-label="Editor or review">
              <button
                type="button"
                role="tab"
                aria-selected={tab === 'editor'}
                onClick={() => setTab('editor')}
                data-testid="code-tab-editor"
              >
                Editor
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={tab === 'review'}
                disabled={!reviewing}
                onClick={() => setTab('review')}
                data-testid="code-tab-review"
              >
                Review
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={tab === 'git'}
                aria-keyshortcuts="g"
                onClick={() => setTab('git')}
                data-testid="code-tab-git"
              >
                Git
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={tab === 'performance'}
                aria-keyshortcuts="p"
                onClick={() => setTab('performance')}
                data-testid="code-tab-performance"
              >
                Performance
              </button>
            </div>
            {/* The editor stays mounted behind the review so unsaved text survives a look at a diff. */}
            <div hidden={tab !== 'editor'}>
              <EditorPane />
            </div>
            {tab === 'review' && <DiffReview />}
            {tab === 'git' && <GitPanel />}
            {tab === 'performance' && <PerformancePanel />}
          </div>
          <aside className="code-side">
            <AskPanel />
            <Generations />
            <Checkpoints />
            <ExperiencePanel />
          </aside>
        </div>
      )}
      {project && code.trust?.decidedAt === null && <TrustPrompt name={project.name} />}
      {sheet && <ShortcutsSheet onClose={() => setSheet(false)} />}
    </section>
  );
}
