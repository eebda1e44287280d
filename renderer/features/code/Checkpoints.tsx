// The project's checkpoints (one before every apply and save, kept in a shadow repository outside the project):
// Undo last (Ctrl/Cmd+Alt+Z) and Restore any of them.
import { useStore } from '../../app/store';
import { HunkDiff } from './HunkDiff';

export function Checkpoints() {
  const list = useStore((s) => s.code.checkpoints);
  const restored = useStore((s) => s.code.restored);
  const undo = useStore((s) => s.undoCheckpoint);
  const restore = useStore((s) => s.restoreCheckpoint);
  const changes = useStore((s) => s.code.changes);
  const toggleChanges = useStore((s) => s.toggleCheckpointChanges);
  return (
    <section className="checkpoints" aria-label="Checkpoints" data-testid="checkpoints">
      <div className="row">
        <h4>Checkpoints</h4>
        <button type="button" onClick={() => void undo()} disabled={list.length === 0} title="Ctrl/Cmd+Alt+Z" data-testid="checkpoint-undo">
          Undo last
        </button>
      </div>
      {restored && (
        <p className="ok-text" role="status" data-testid="checkpoint-restored">
          Restored {restored.files} file(s) to {restored.id.slice(0, 8)} (a pre-restore checkpoint lets you go back).
        </p>
      )}
      <ul className="checkpoint-list">
        {list.map((c) => (
          <li key={c.id} data-testid="checkpoint">
            <span>
              {new Date(c.at).toLocaleTimeString()} · {c.label}
              {c.kind === 'pre-restore' ? ' (before restore)' : ''}
            </span>{' '}
            <span className="muted">
              {c.filesTotal} file(s){c.files.length ? `: ${c.files.slice(0, 3).join(', ')}${c.filesTotal > 3 ? '…' : ''}` : ''}
            </span>{' '}
            <button
              type="button"
              aria-pressed={changes?.id === c.id}
              onClick={() => void toggleChanges(c.id)}
              data-testid="checkpoint-changes"
            >
              Changes
            </button>{' '}
            <button type="button" onClick={() => void restore(c.id)} data-testid="checkpoint-restore">
              Restore
            </button>
          </li>
        ))}
        {list.length === 0 && <li className="muted">None yet: saving or applying takes one first.</li>}
      </ul>
      {changes && (
        <div className="checkpoint-changes" data-testid="checkpoint-changes-view">
          <p className="muted">Since this checkpoint (what Restore would undo):</p>
          {changes.files.map((f) => (
            <div key={f.path}>
              <code>{f.path}</code> <span className="muted">{f.status}</span>
              {f.binary && <span className="muted"> (binary)</span>}
              {f.truncated && <span className="muted"> (diff truncated)</span>}
              {f.hunks.map((h) => (
                <HunkDiff key={h.id} path={f.path} hunk={h} />
              ))}
            </div>
          ))}
          {changes.files.length === 0 && <p className="muted">No changes: the files match this checkpoint.</p>}
        </div>
      )}
    </section>
  );
}
