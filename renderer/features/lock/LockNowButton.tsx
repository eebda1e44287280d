// "Lock now" in the sidebar, shown while the app lock is on (Ctrl/Cmd+L does the same).
import { useStore } from '../../app/store';

export function LockNowButton() {
  const enabled = useStore((s) => s.appLock.status?.enabled ?? false);
  const lockNow = useStore((s) => s.lockApp);
  if (!enabled) return null;
  return (
    <button
      type="button"
      className="nav-item"
      onClick={() => void lockNow()}
      title="Lock Evolve Studio now (Ctrl+L)"
      data-testid="lock-now"
    >
      <span>Lock now</span>
      <kbd>L</kbd>
    </button>
  );
}
