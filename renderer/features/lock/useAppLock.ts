// The app lock's hooks into the shell: read the lock state at start and poll it (main locks on idleness or OS sleep
// without the page asking), lock on Ctrl/Cmd+L, and report user input (throttled in the slice) for the idle timer.
import { useEffect } from 'react';
import { useStore } from '../../app/store';

/** How often the page asks whether main has locked the app (idle timeout, OS sleep) while the lock is on. */
export const LOCK_POLL_MS = 3_000;

export interface LockKey {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  defaultPrevented: boolean;
}

/**
 * Ctrl/Cmd+L, unless something on the page already handled it (the code editor's own Ctrl+L selects a line and marks
 * the event handled, so inside the editor the editor wins).
 */
export function isLockShortcut(e: LockKey): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'l' && !e.defaultPrevented;
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'pointermove'] as const;

export function useAppLock(): void {
  const enabled = useStore((s) => s.appLock.status?.enabled ?? false);
  const locked = useStore((s) => s.appLock.status?.locked ?? false);

  useEffect(() => {
    void useStore.getState().loadAppLock();
  }, []);

  useEffect(() => {
    if (!enabled || locked) return;
    const timer = setInterval(() => void useStore.getState().loadAppLock(), LOCK_POLL_MS);
    return () => clearInterval(timer);
  }, [enabled, locked]);

  useEffect(() => {
    if (!enabled || locked) return;
    const onKey = (e: KeyboardEvent) => {
      if (!isLockShortcut(e)) return;
      e.preventDefault();
      void useStore.getState().lockApp();
    };
    const onActivity = () => useStore.getState().reportActivity();
    // Bubble phase: a handler inside the page (the editor) sees the key first and can claim it.
    window.addEventListener('keydown', onKey);
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, onActivity, { passive: true });
    return () => {
      window.removeEventListener('keydown', onKey);
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, onActivity);
    };
  }, [enabled, locked]);
}
