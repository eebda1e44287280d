// The ask panel: a request, its type and language, the target file (the open one by default) or just the lines
// selected in the editor ("Use selection"); Ctrl/Cmd+Enter runs
// it through codegen.generate and the rounds, checks, tests and scan appear as they happen, then the score and the
// context budget. A finished generation opens in the diff review.
import { useState } from 'react';
import type { GenerateResult } from '../../../common/codegen/engine';
import { LanguageSchema } from '../../../common/codegen/types';
import { GenerationTypeSchema } from '../../../common/store/codegen-requests';
import { useStore } from '../../app/store';
import { errorTitle } from '../../lib/errors';
import { AskRunSettings } from './AskRunSettings';
import { editorSelection } from './editor-selection';

/** Takes the editor's selection as the request's target (lines of the saved file); says why when it cannot. */
function takeSelection(): string | null {
  const s = useStore.getState();
  const file = s.code.file;
  if (!file) return 'Open a file and select lines in the editor first.';
  // The engine reads the target from disk: unsaved text would make the line numbers point elsewhere.
  if (s.code.dirty) return 'Save the file first: the request reads the saved file, so its line numbers must match.';
  const sel = editorSelection();
  if (!sel) return 'Select the lines in the editor first.';
  s.setAskDraft({ targetFile: file.path, selection: { path: file.path, ...sel } });
  return null;
}

/** Which candidate was kept, of how many, after how many rounds (what the Candidates and Repair rounds fields bought). */
export function candidatesLine(result: GenerateResult): string {
  const chosen = result.candidates.find((c) => c.index === result.selected);
  const rounds = chosen?.rounds.length ?? 0;
  const of = result.candidates.length === 1 ? '1 candidate' : `candidate ${result.selected + 1} of ${result.candidates.length}`;
  const kept = chosen && chosen.final.round !== rounds - 1 ? `, round ${chosen.final.round + 1} kept` : '';
  return `${of} · ${rounds} round(s)${kept}${result.earlyStop ? ' · stopped early: the visible tests passed' : ''}`;
}

export function AskPanel() {
  const draft = useStore((s) => s.review.draft);
  const ask = useStore((s) => s.review.ask);
  const trusted = useStore((s) => s.code.trust?.trusted ?? false);
  const openPath = useStore((s) => s.code.file?.path ?? '');
  const setDraft = useStore((s) => s.setAskDraft);
  const run = useStore((s) => s.runAsk);
  const cancel = useStore((s) => s.cancelAsk);
  const error = useStore((s) => s.review.error);
  const reviewing = useStore((s) => s.review.current !== null);
  const result = ask.result;
  const [selectionNote, setSelectionNote] = useState<string | null>(null);
  const selection = draft.selection && draft.selection.path === draft.targetFile ? draft.selection : null;
  return (
    <section className="ask-panel" aria-label="Ask" data-testid="ask-panel">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <textarea
          value={draft.prompt}
          onChange={(e) => setDraft({ prompt: e.target.value })}
          rows={4}
          placeholder="Ask for a function, a test, an edit… (Ctrl/Cmd+Enter runs)"
          aria-label="Request"
          data-testid="ask-prompt"
        />
        <div className="row">
          <select
            value={draft.type}
            onChange={(e) => setDraft({ type: GenerationTypeSchema.parse(e.target.value) })}
            aria-label="Type"
            data-testid="ask-type"
          >
            {GenerationTypeSchema.options.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <select
            value={draft.language}
            onChange={(e) => setDraft({ language: LanguageSchema.parse(e.target.value) })}
            aria-label="Language"
            data-testid="ask-lang"
          >
            {LanguageSchema.options.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
          <input
            value={draft.targetFile}
            onChange={(e) => setDraft({ targetFile: e.target.value })}
            placeholder="target file (optional)"
            aria-label="Target file"
            size={18}
            data-testid="ask-target"
          />
          {openPath && openPath !== draft.targetFile && (
            <button type="button" onClick={() => setDraft({ targetFile: openPath })} title="Use the open file">
              ← open file
            </button>
          )}
          <button
            type="button"
            onClick={() => setSelectionNote(takeSelection())}
            title="Target only the lines selected in the editor"
            data-testid="ask-use-selection"
          >
            Use selection
          </button>
        </div>
        <AskRunSettings />
        {selection && (
          <p className="row ask-selection" data-testid="ask-selection">
            <span>
              Lines {selection.startLine}–{selection.endLine} of <code>{selection.path}</code>{' '}
              <span className="muted">({selection.text.length} characters)</span>
            </span>
            <button type="button" className="link" onClick={() => setDraft({ selection: null })} data-testid="ask-selection-clear">
              clear
            </button>
          </p>
        )}
        {selectionNote && (
          <p className="warn-text" role="status" data-testid="ask-selection-note">
            {selectionNote}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={ask.running || !draft.prompt.trim()} data-testid="ask-run">
            Run
          </button>
          {ask.running && (
            <button type="button" onClick={cancel} data-testid="ask-cancel">
              Cancel
            </button>
          )}
          {!trusted && <span className="muted">Project not trusted: its tests and config will not run.</span>}
        </div>
      </form>
      {/* Errors of a run (or of opening a generation) show here when no review is open to show them. */}
      {error && !reviewing && (
        <p className="error-text" role="alert" data-testid="ask-error">
          {errorTitle(error)}: {error.message}
        </p>
      )}
      {ask.progress && (
        <div className="ask-progress" data-testid="ask-progress">
          <p className="muted">
            {ask.running ? ask.progress.phase : 'finished'} · {ask.progress.tokens} token event(s)
          </p>
          <ol className="ask-lines">
            {ask.progress.lines.slice(-12).map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ol>
        </div>
      )}
      {result && (
        <div className="ask-result" data-testid="ask-result">
          <p>
            Score <strong>{result.score.score}</strong>/100 · {result.checked}
            {result.checkedNote ? ` (${result.checkedNote})` : ''} · {Math.round(result.timings.totalMs)} ms
          </p>
          <p className="muted" data-testid="ask-result-candidates">
            {candidatesLine(result)}
          </p>
          <ul className="score-breakdown">
            {result.score.breakdown.map((b) => (
              <li key={b.signal}>
                {b.signal}: {b.measured ? `${b.points.toFixed(1)}/${b.weight}` : 'not measured'} <span className="muted">{b.detail}</span>
              </li>
            ))}
          </ul>
          <label className="budget">
            Context {result.budget.used}/{result.budget.contextTokens} tokens{' '}
            <progress value={result.budget.used} max={result.budget.contextTokens} />
          </label>
          <p className="muted">
            {result.budget.parts
              .filter((p) => p.tokens > 0)
              .map((p) => `${p.name} ${p.tokens}${p.items.length ? ` (${p.items.slice(0, 3).join(', ')})` : ''}`)
              .join(' · ')}
          </p>
        </div>
      )}
    </section>
  );
}
