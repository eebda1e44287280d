// The Code section's keyboard shortcuts: one table that both the key handler and the shortcuts sheet (?) read.
// Single-letter keys only fire outside text fields and the editor, so typing never triggers them.

export type CodeShortcut = 'run' | 'accept' | 'reject' | 'next' | 'prev' | 'undo' | 'save' | 'git' | 'perf' | 'sheet' | 'close';

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export interface ShortcutInfo {
  id: CodeShortcut;
  keys: string[];
  what: string;
}

export const CODE_SHORTCUTS: ShortcutInfo[] = [
  { id: 'run', keys: ['Ctrl/Cmd+Enter'], what: 'Run the ask panel request' },
  { id: 'accept', keys: ['a'], what: 'Accept the current hunk' },
  { id: 'reject', keys: ['r'], what: 'Reject the current hunk' },
  { id: 'next', keys: ['j', 'Alt+]'], what: 'Next hunk' },
  { id: 'prev', keys: ['k', 'Alt+['], what: 'Previous hunk' },
  { id: 'undo', keys: ['Ctrl/Cmd+Alt+Z'], what: 'Undo the last checkpoint (restore the files before the last apply or save)' },
  { id: 'save', keys: ['Ctrl/Cmd+S'], what: 'Save the file in the editor' },
  { id: 'git', keys: ['g'], what: 'Show or hide the Git panel (uncommitted changes, review, commit message)' },
  { id: 'perf', keys: ['p'], what: 'Show or hide the Performance panel (profile, proven optimisations)' },
  { id: 'sheet', keys: ['?'], what: 'Show or hide this sheet' },
  { id: 'close', keys: ['Escape'], what: 'Close the sheet or dialog' },
];

/** The shortcut a key press means, or null. `inText`: focus is in an input, a textarea or the editor. */
export function matchShortcut(e: KeyLike, inText: boolean): CodeShortcut | null {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey && !e.shiftKey && e.key === 'Enter') return 'run';
  // e.code: Alt changes e.key on macOS (Alt+Z types Ω).
  if (mod && e.altKey && !e.shiftKey && e.code === 'KeyZ') return 'undo';
  if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's') return 'save';
  if (e.key === 'Escape') return 'close';
  if (!mod && e.altKey && !e.shiftKey && e.code === 'BracketRight') return 'next';
  if (!mod && e.altKey && !e.shiftKey && e.code === 'BracketLeft') return 'prev';
  if (inText || mod || e.altKey) return null;
  if (e.key === '?') return 'sheet';
  if (e.shiftKey) return null;
  if (e.key === 'a') return 'accept';
  if (e.key === 'r') return 'reject';
  if (e.key === 'j') return 'next';
  if (e.key === 'k') return 'prev';
  if (e.key === 'g') return 'git';
  if (e.key === 'p') return 'perf';
  return null;
}

/** Whether keyboard focus is somewhere the user types (so single letters are text, not shortcuts). */
export function isTextTarget(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['button', 'checkbox', 'radio', 'submit'].includes((el as HTMLInputElement).type);
  return (el as HTMLElement).isContentEditable || el.closest('[contenteditable="true"]') !== null;
}
