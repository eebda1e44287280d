// Experience panel of the Code section: what the user's choices taught the assistant in this project — conventions
// learned from accepted code and the user's edits (each with the generations it came from; rewrite or remove), and
// the decisions themselves (accepted/rejected, the reason, the edits made after accepting).
import { useEffect, useState } from 'react';
import type { LearnedConvention } from '../../../common/store/experience-requests';
import { useStore } from '../../app/store';
import { errorTitle } from '../../lib/errors';
import './experience.css';

const KIND_LABEL: Record<LearnedConvention['kind'], string> = {
  'test-framework': 'tests',
  naming: 'naming',
  'error-style': 'errors',
  quotes: 'quotes',
  indent: 'indent',
};
const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const when = (ms: number) => new Date(ms).toLocaleString();

function Convention({ c }: { c: LearnedConvention }) {
  const busy = useStore((s) => s.experience.busy === c.id);
  const edit = useStore((s) => s.editLearnedConvention);
  const remove = useStore((s) => s.removeLearnedConvention);
  const open = useStore((s) => s.reviewGeneration);
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <li className="experience-convention" data-testid="learned-convention" data-in-effect={c.inEffect}>
      {draft === null ? (
        <p data-testid="learned-convention-text">{c.text}</p>
      ) : (
        <textarea
          value={draft}
          rows={2}
          aria-label="Convention text"
          onChange={(e) => setDraft(e.target.value)}
          data-testid="learned-convention-input"
        />
      )}
      <p className="muted">
        {c.lang} · {KIND_LABEL[c.kind]}
        {c.userEdited ? ' · your wording' : ''}
        {c.inEffect ? ' · in prompts' : ' · not in prompts (another one of this kind wins)'}
      </p>
      <ul className="experience-sources" aria-label="Learned from">
        {c.sources.map((s) => (
          <li key={s.generationId}>
            <button type="button" className="link" onClick={() => void open(s.generationId)} data-testid="learned-convention-source">
              {short(s.request, 60)}
            </button>{' '}
            <span className="muted">
              {s.evidence === 'edited' ? 'your edits after accepting' : 'code you accepted'} · {when(s.at)}
            </span>
          </li>
        ))}
      </ul>
      <div className="row">
        {draft === null ? (
          <button type="button" disabled={busy} onClick={() => setDraft(c.text)} data-testid="learned-convention-edit">
            Edit
          </button>
        ) : (
          <>
            <button
              type="button"
              disabled={busy || !draft.trim()}
              onClick={() => void edit(c.id, draft).then((ok) => ok && setDraft(null))}
              data-testid="learned-convention-save"
            >
              Save
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </>
        )}
        <button
          type="button"
          disabled={busy}
          title="Leaves prompts for good: the same generations will not teach it again"
          onClick={() => void remove(c.id)}
          data-testid="learned-convention-remove"
        >
          Remove
        </button>
      </div>
    </li>
  );
}

export function ExperiencePanel() {
  const projectId = useStore((s) => s.code.projectId);
  const generations = useStore((s) => s.review.generations);
  const checkpoints = useStore((s) => s.code.checkpoints);
  const x = useStore((s) => s.experience);
  const load = useStore((s) => s.loadExperience);
  const open = useStore((s) => s.reviewGeneration);
  // Reload when the project changes, after each decision (the generations list is reloaded then) and after each apply
  // or save (each takes a checkpoint; a save after accepting may have taught a convention).
  useEffect(() => {
    void load();
  }, [projectId, generations, checkpoints, load]);

  return (
    <details className="experience" open data-testid="experience-panel">
      <summary>
        <h4>Experience</h4>{' '}
        <button type="button" disabled={x.loading} onClick={() => void load()} data-testid="experience-refresh">
          Refresh
        </button>
      </summary>
      {x.error && (
        <p className="error-text" role="alert" data-testid="experience-error">
          {errorTitle(x.error)}: {x.error.message}
        </p>
      )}
      <h5>Learned conventions</h5>
      <p className="muted">From code you accepted and how you edited it; they go into later prompts, marked as learned.</p>
      <ul className="experience-list">
        {x.conventions.map((c) => (
          <Convention key={c.id} c={c} />
        ))}
        {x.conventions.length === 0 && <li className="muted">None yet: accept a generation (and edit it) to teach one.</li>}
      </ul>
      <h5>Decisions</h5>
      <ul className="experience-list">
        {x.decisions.map((d) => (
          <li key={d.generationId} data-testid="experience-decision" data-decision={d.decision}>
            <button type="button" className="link" onClick={() => void open(d.generationId)}>
              {short(d.request, 60)}
            </button>
            <p className="muted">
              <span className={d.decision === 'accepted' ? 'ok-text' : 'warn-text'}>{d.decision}</span> · {d.type} · {d.lang} · {when(d.at)}
              {d.score !== null ? ` · score ${d.score}` : ''}
            </p>
            {d.reason && <p data-testid="experience-reason">“{d.reason}”</p>}
            {d.userEdits && (
              <details>
                <summary>Your edits after accepting</summary>
                <pre className="experience-edits">{d.userEdits}</pre>
              </details>
            )}
          </li>
        ))}
        {x.decisions.length === 0 && <li className="muted">No decisions yet in this project.</li>}
      </ul>
    </details>
  );
}
