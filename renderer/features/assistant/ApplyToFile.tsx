// "Apply to file…" for one code block of an answer: pick a project path, see the diff (stored as a generation),
// then apply it through the workspace (gate, checkpoint, audit) — the same path as the Code section's generations.
import { useState } from 'react';
import type { FileDiff } from '../../../common/codegen/types';
import { useStore } from '../../app/store';
import type { ApplyProposal } from './chat-slice';

function DiffPreview({ diff }: { diff: FileDiff[] }) {
  return (
    <pre className="diff-preview" data-testid="apply-diff">
      {diff.flatMap((d) => [
        `--- ${d.oldHash ? d.path : '/dev/null'}\n+++ ${d.path}\n`,
        ...d.hunks.map((h) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n${h.lines.join('\n')}\n`),
      ])}
    </pre>
  );
}

export function ApplyToFile({ messageId, code, lang, onClose }: { messageId: string; code: string; lang?: string; onClose: () => void }) {
  const proposeApply = useStore((s) => s.proposeApply);
  const applyProposal = useStore((s) => s.applyProposal);
  const [path, setPath] = useState('');
  const [proposal, setProposal] = useState<ApplyProposal | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const preview = async () => {
    setBusy(true);
    setError(null);
    const r = await proposeApply(messageId, path.trim(), code, lang);
    setBusy(false);
    if (r.ok) setProposal(r.value);
    else setError(r.error.message);
  };
  const apply = async () => {
    if (!proposal) return;
    setBusy(true);
    setError(null);
    const r = await applyProposal(proposal);
    setBusy(false);
    if (r.ok) setDone(`Applied to ${r.value.written.map((w) => w.path).join(', ')}; undo it from the Code section's checkpoints.`);
    else setError(r.error.message);
  };
  return (
    <div className="apply-to-file" role="dialog" aria-label="Apply to file" data-testid="apply-to-file">
      {done ? (
        <p className="notice-inline" data-testid="apply-done">
          {done}
        </p>
      ) : (
        <>
          <label>
            Project file{' '}
            <input
              value={path}
              onChange={(e) => (setPath(e.target.value), setProposal(null))}
              placeholder="src/example.ts"
              aria-label="Target path in the project"
              data-testid="apply-path"
            />
          </label>
          <button type="button" disabled={busy || !path.trim()} onClick={() => void preview()} data-testid="apply-preview">
            Show diff
          </button>
          {proposal && (
            <>
              <DiffPreview diff={proposal.diff} />
              <button type="button" disabled={busy} onClick={() => void apply()} data-testid="apply-confirm">
                Apply (checkpoint first)
              </button>
            </>
          )}
        </>
      )}
      <button type="button" className="link" onClick={onClose}>
        Close
      </button>
      {error && (
        <p role="alert" className="error-panel" data-testid="apply-error">
          {error}
        </p>
      )}
    </div>
  );
}
