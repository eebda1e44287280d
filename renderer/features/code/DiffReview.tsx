// Review of one generation: score and findings, every file's hunks in the diff view with Accept / Reject each
// (a, r, j/k), Apply with the accepted hunks, Reject the whole generation with a reason, the gate's override, and
// every stored round (GenerationRounds).
import { useEffect, useRef, useState } from 'react';
import { useStore } from '../../app/store';
import { errorTitle } from '../../lib/errors';
import { GenerationRounds } from './GenerationRounds';
import { HunkDiff } from './HunkDiff';
import { acceptedSelection, flattenHunks, hunkHeader, hunkKey, reviewCounts } from './hunks';
import { OverrideDialog } from './OverrideDialog';

export function DiffReview() {
  const r = useStore((s) => s.review);
  const decide = useStore((s) => s.decideHunk);
  const setCursor = useStore((s) => s.setHunkCursor);
  const apply = useStore((s) => s.applyReview);
  const reject = useStore((s) => s.rejectGeneration);
  const [reason, setReason] = useState('');
  const list = useRef<HTMLDivElement>(null);
  const g = r.current;
  const diffs = g?.diff ?? [];
  const all = flattenHunks(diffs);
  const current = all[r.cursor];
  const indexOf = new Map(all.map((h, i) => [h.key, i]));

  // Keep the hunk under the cursor in view as j/k move it.
  useEffect(() => {
    if (!current) return;
    list.current?.querySelector(`[data-hunk-index="${r.cursor}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [r.cursor, current]);

  if (!g) return null;
  const counts = reviewCounts(diffs, r.decisions);
  const accepted = acceptedSelection(diffs, r.decisions);
  const high = g.findings.filter((f) => f.severity === 'high');
  return (
    <section className="diff-review" data-testid="diff-review" aria-label="Review generated changes">
      <header className="row">
        <strong>{g.request.length > 80 ? `${g.request.slice(0, 80)}…` : g.request}</strong>
        <span className="muted" data-testid="review-meta">
          {g.type} · {g.lang} · {g.status}
          {g.score !== null ? ` · score ${g.score}/100` : ''}
          {g.decision ? ` · ${g.decision.decision}` : ''}
        </span>
      </header>
      {high.length > 0 && (
        <p className="warn-text" data-testid="review-high-findings">
          {high.length} high-severity finding(s): {high.map((f) => `${f.file}:${f.line} ${f.message}`).join('; ')}
        </p>
      )}
      {diffs.length === 0 && <p className="muted">This generation has no diff against the project files.</p>}
      <div className="hunk-list" ref={list}>
        {diffs.map((d) => (
          <div key={d.path} className="diff-file" data-testid="diff-file">
            <h4>
              <code>{d.path}</code> {d.oldHash ? '' : <span className="muted">(new file)</span>}
            </h4>
            {d.hunks.map((h) => {
              const key = hunkKey(d.path, h.id);
              const index = indexOf.get(key) ?? -1;
              const decision = r.decisions[key];
              return (
                <div
                  key={h.id}
                  className={`hunk${index === r.cursor ? ' current' : ''}${decision ? ` ${decision}` : ''}`}
                  data-hunk-index={index}
                  data-testid="hunk"
                  data-decision={decision ?? 'pending'}
                  aria-current={index === r.cursor ? 'true' : undefined}
                  onClick={() => setCursor(index)}
                >
                  <div className="row hunk-bar">
                    <code className="muted">{hunkHeader(h)}</code>
                    <button
                      type="button"
                      aria-pressed={decision === 'accepted'}
                      onClick={() => decide(key, decision === 'accepted' ? null : 'accepted')}
                      data-testid="hunk-accept"
                    >
                      Accept
                    </button>
                    <button
                      type="button"
                      aria-pressed={decision === 'rejected'}
                      onClick={() => decide(key, decision === 'rejected' ? null : 'rejected')}
                      data-testid="hunk-reject"
                    >
                      Reject
                    </button>
                    <span className="muted">{decision ?? 'pending'}</span>
                  </div>
                  <HunkDiff path={d.path} hunk={h} />
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <footer className="row">
        <span data-testid="review-counts">
          {counts.accepted} accepted · {counts.rejected} rejected · {counts.pending} pending of {counts.total}
        </span>
        <button
          type="button"
          className="primary"
          disabled={accepted.length === 0 || r.applying || g.status !== 'done'}
          onClick={() => void apply()}
          data-testid="review-apply"
        >
          {r.applying ? 'Applying…' : `Apply ${counts.accepted} hunk(s)`}
        </button>
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="Why reject? (required)"
          size={30}
          data-testid="review-reason"
        />
        <button
          type="button"
          disabled={!reason.trim()}
          onClick={() => void reject(reason.trim()).then(() => setReason(''))}
          data-testid="review-reject-all"
        >
          Reject generation
        </button>
      </footer>
      {r.applied && (
        <p className="ok-text" role="status" data-testid="review-applied">
          Applied to {r.applied.written.map((w) => w.path).join(', ') || 'no files'}
          {r.applied.skipped.length ? ` · untouched: ${r.applied.skipped.join(', ')}` : ''}
          {r.applied.overridden ? ' · gate overridden (audited)' : ''} · checkpoint {r.applied.checkpointId.slice(0, 8)}
        </p>
      )}
      {r.error && (
        <p className="error-text" role="alert" data-testid="review-error">
          {errorTitle(r.error)}: {r.error.message}
          {r.error.code === 'CONFLICT' ? ' — the file changed on disk since the generation; nothing was written.' : ''}
        </p>
      )}
      <GenerationRounds rounds={g.rounds} offeredCode={g.code} />
      {r.overrideNeeded !== null && <OverrideDialog message={r.overrideNeeded} />}
    </section>
  );
}
