// The Code section's key handler (active while the section is shown): maps key presses through matchShortcut to
// the store's actions. Section switching (Ctrl/Cmd+digit) stays with the app-wide handler.
import { useEffect } from 'react';
import { useStore } from '../../app/store';
import { saveOpenFile } from './EditorPane';
import { isTextTarget, matchShortcut } from './shortcuts';

export function useCodeShortcuts(sheet: { open: boolean; set(open: boolean): void }): void {
  const { open, set } = sheet;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const id = matchShortcut(e, isTextTarget(document.activeElement));
      if (!id) return;
      const s = useStore.getState();
      // Dialogs (trust, override) take their own keys; only Escape closes the sheet.
      if (id === 'close') {
        if (open) set(false);
        return;
      }
      const reviewing = s.review.current !== null && s.review.overrideNeeded === null;
      switch (id) {
        case 'run':
          void s.runAsk();
          break;
        case 'undo':
          void s.undoCheckpoint();
          break;
        case 'save':
          saveOpenFile();
          break;
        case 'git':
          s.setCodeTab(s.review.tab === 'git' ? 'editor' : 'git');
          break;
        case 'perf':
          s.setCodeTab(s.review.tab === 'performance' ? 'editor' : 'performance');
          break;
        case 'sheet':
          set(!open);
          break;
        case 'accept':
        case 'reject':
          if (!reviewing) return;
          s.decideCurrentHunk(id === 'accept' ? 'accepted' : 'rejected');
          break;
        case 'next':
        case 'prev':
          if (!reviewing) return;
          s.moveHunk(id === 'next' ? 1 : -1);
          break;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, set]);
}
