// The project's checkpoints (one before every apply and save, kept in a shadow repository outside the project):
// Undo last (Ctrl/Cmd+Alt+Z) and Restore any of them.
import { useStore } from '../../app/store';

export function Checkpoints() {
  const list = useStore((s) => s.code.checkpoints);
  const restored = useStore((s) => s.code.restored);
  const undo = useStore((s) => s.undoCheckpoint);
  const restore = useStore((s) => s.restoreCheckpoint);
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
            <button type="button" onClick={() => void restore(c.id)} data-testid="checkpoint-restore">
              Restore
            </button>
          </li>
        ))}
        {list.length === 0 && <li className="muted">None yet: saving or applying takes one first.</li>}
      </ul>
    </section>
  );
}
