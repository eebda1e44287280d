// The Git panel: the project's uncommitted changes (the user's own repository, read-only), each file's diff in the
// editor's diff view, "Review changes" (the codegen engine's review of the diff, streamed, as findings) and "Draft
// commit message" (the local model) into a text box with Copy. Committing stays the user's own action.
import { useEffect, useMemo, useRef, useState } from 'react';
import { splitDiffByFile } from '../../../common/workspace/git-diff';
import { useStore } from '../../app/store';
import { errorTitle, type UiError } from '../../lib/errors';
import { HunkDiff } from './HunkDiff';
import { patchHunks } from './patch-hunks';
import './git.css';

function ErrorLine({ error, testId }: { error: UiError; testId: string }) {
  return (
    <p className="error-text" role="alert" data-testid={testId}>
      {errorTitle(error)}: {error.message}
    </p>
  );
}

/** The status error in the user's terms (an untrusted project is the common one). */
function statusMessage(e: UiError): UiError {
  if (e.code === 'FORBIDDEN' && /trust/i.test(e.message))
    return { code: e.code, message: 'Trust this project first: reading its git status runs git with the repository’s own config.' };
  return e;
}

function CommitDraftBox() {
  const draft = useStore((s) => s.git.draft);
  const setText = useStore((s) => s.setCommitText);
  const box = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(draft.text);
    } catch {
      // The clipboard API can be refused (no user activation, permissions): select the text so Ctrl+C works.
      box.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  if (!draft.value) return null;
  const d = draft.value;
  return (
    <div className="commit-draft" data-testid="git-commit-draft">
      <textarea
        ref={box}
        value={draft.text}
        onChange={(e) => setText(e.target.value)}
        rows={6}
        aria-label="Commit message draft"
        data-testid="git-commit-text"
      />
      <div className="row">
        <button type="button" onClick={() => void copy()} data-testid="git-commit-copy">
          {copied ? 'Copied' : 'Copy'}
        </button>
        <span className="muted">
          {d.model} · {Math.round(d.ms)} ms{d.cut ? ` · the model saw ${d.sentChars} of ${d.diffChars} diff characters` : ''}
        </span>
      </div>
      {!d.conventional && (
        <p className="warn-text" data-testid="git-commit-not-conventional">
          The subject is not in the conventional form (type(scope): summary): edit it before committing.
        </p>
      )}
      <p className="muted">Nothing was committed: paste this into your own git commit.</p>
    </div>
  );
}

function ReviewResult() {
  const review = useStore((s) => s.git.review);
  const cancel = useStore((s) => s.cancelGitReview);
  if (!review) return null;
  return (
    <div className="git-review" data-testid="git-review" aria-live="polite">
      <p className="muted">
        {review.running ? 'Reviewing…' : 'Review'}
        {review.cut ? ` · the model saw the first ${review.sentChars} of ${review.totalChars} diff characters (cut)` : ''}
        {review.context ? ` · context ${review.context.used}/${review.context.total} tokens` : ''}
        {review.running && (
          <>
            {' '}
            <button type="button" onClick={cancel} data-testid="git-review-cancel">
              Cancel
            </button>
          </>
        )}
      </p>
      {review.error && <ErrorLine error={review.error} testId="git-review-error" />}
      {review.findings ? (
        review.findings.length === 0 ? (
          <div data-testid="git-no-findings">
            <p className="muted">
              {review.answer.trim() ? 'No usable findings in the answer (shown as written):' : 'The model found nothing to say.'}
            </p>
            {review.answer.trim() && <pre className="git-review-stream">{review.answer}</pre>}
          </div>
        ) : (
          <ol className="git-findings" data-testid="git-findings">
            {review.findings.map((f, i) => (
              <li key={i} data-testid="git-finding">
                {f.line !== null && <code>line {f.line}</code>} {f.text}
              </li>
            ))}
          </ol>
        )
      ) : (
        review.answer && <pre className="git-review-stream">{review.answer}</pre>
      )}
    </div>
  );
}

export function GitPanel() {
  const projectId = useStore((s) => s.code.projectId);
  const trusted = useStore((s) => s.code.trust?.trusted ?? false);
  const git = useStore((s) => s.git);
  const load = useStore((s) => s.loadGitStatus);
  const select = useStore((s) => s.selectGitFile);
  const review = useStore((s) => s.reviewGitChanges);
  const draft = useStore((s) => s.draftCommitMessage);

  // Re-read when the panel opens, the project changes or trust is granted.
  useEffect(() => {
    void load();
  }, [projectId, trusted, load]);

  const st = git.status;
  const patches = useMemo(() => (st?.repo ? splitDiffByFile(st.diff) : []), [st]);
  const shown = patches.find((p) => p.path === git.selected) ?? null;
  // A diff git-status cut at its cap can end inside a hunk, which the patch parser refuses: show that one as text.
  const hunks = useMemo(() => {
    if (!shown) return [];
    try {
      return patchHunks(shown.patch);
    } catch {
      return null;
    }
  }, [shown]);
  const selectedChange = st?.repo ? st.files.find((f) => f.path === git.selected) : undefined;
  const hasChanges = st?.repo === true && st.files.length > 0;
  const busy = git.review?.running === true || git.draft.running;

  return (
    <section className="git-panel" aria-label="Git: uncommitted changes" data-testid="git-panel">
      <header className="row">
        <strong>Uncommitted changes</strong>
        {st?.repo && st.branch && <span className="muted">on {st.branch}</span>}
        <button type="button" onClick={() => void load()} disabled={git.loading} data-testid="git-refresh">
          {git.loading ? 'Reading…' : 'Refresh'}
        </button>
        <button type="button" onClick={() => void review()} disabled={!hasChanges || busy} data-testid="git-review-run">
          Review changes
        </button>
        <button type="button" onClick={() => void draft()} disabled={!hasChanges || busy} data-testid="git-draft-run">
          {git.draft.running ? 'Drafting…' : 'Draft commit message'}
        </button>
      </header>
      {git.error && <ErrorLine error={statusMessage(git.error)} testId="git-error" />}
      {st && !st.repo && (
        <p className="muted" data-testid="git-not-repo">
          This project is not in a git repository.
        </p>
      )}
      {st?.repo && st.files.length === 0 && (
        <p className="muted" data-testid="git-clean">
          No uncommitted changes.
        </p>
      )}
      {st?.repo && st.truncated && (
        <p className="warn-text" data-testid="git-truncated">
          The change is very large: the list or the diff shown here is cut.
        </p>
      )}
      {hasChanges && (
        <div className="git-layout">
          <ul className="git-files" aria-label="Changed files">
            {st.files.map((f) => (
              <li key={f.path}>
                <button
                  type="button"
                  className={f.path === git.selected ? 'selected' : ''}
                  aria-current={f.path === git.selected}
                  onClick={() => select(f.path)}
                  data-testid="git-file"
                  data-path={f.path}
                  data-kind={f.kind}
                >
                  <span className="muted">{f.kind}</span> <code>{f.origPath ? `${f.origPath} → ${f.path}` : f.path}</code>
                </button>
              </li>
            ))}
          </ul>
          <div className="git-diff" data-testid="git-diff">
            {git.selected && hunks?.map((h) => <HunkDiff key={`${git.selected}:${h.id}`} path={git.selected ?? ''} hunk={h} />)}
            {shown && hunks === null && (
              <pre className="git-review-stream" data-testid="git-raw-patch">
                {shown.patch}
              </pre>
            )}
            {git.selected && hunks?.length === 0 && (
              <p className="muted" data-testid="git-no-text-diff">
                {selectedChange?.kind === 'untracked'
                  ? 'A new file git does not track yet: no diff until it is added.'
                  : 'No text diff for this file (binary, mode change or cut).'}
              </p>
            )}
          </div>
        </div>
      )}
      {git.draft.error && <ErrorLine error={git.draft.error} testId="git-draft-error" />}
      <CommitDraftBox />
      <ReviewResult />
    </section>
  );
}
