// The shortcuts sheet (?): every Code section shortcut from the one table the key handler uses.
import { CODE_SHORTCUTS } from './shortcuts';

export function ShortcutsSheet({ onClose }: { onClose(): void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-sheet"
        onClick={(e) => e.stopPropagation()}
      >
        <h3 id="shortcuts-title">Keyboard shortcuts</h3>
        <table className="shortcuts">
          <tbody>
            {CODE_SHORTCUTS.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.keys.map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
                </td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Single-letter keys work when the focus is not in a text field or the editor.</p>
        <button type="button" onClick={onClose} data-testid="shortcuts-close">
          Close
        </button>
      </div>
    </div>
  );
}
