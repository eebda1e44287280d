// Code section shortcuts: what each key means, that letters never fire while typing, and that the sheet lists
// every shortcut the handler knows, with the keys (run, accept/reject, next/previous hunk, undo, Git).
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ShortcutsSheet } from '../../../../renderer/features/code/ShortcutsSheet';
import { CODE_SHORTCUTS, matchShortcut, type KeyLike } from '../../../../renderer/features/code/shortcuts';

const key = (k: string, code: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  code,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('code shortcuts', () => {
  it('maps run, undo, save with Ctrl or Cmd, even inside text', () => {
    for (const mod of [{ ctrlKey: true }, { metaKey: true }]) {
      expect(matchShortcut(key('Enter', 'Enter', mod), true)).toBe('run');
      expect(matchShortcut(key('s', 'KeyS', mod), true)).toBe('save');
      // macOS: Alt+Z types 'Ω', so the physical key decides.
      expect(matchShortcut(key('Ω', 'KeyZ', { ...mod, altKey: true }), true)).toBe('undo');
    }
    expect(matchShortcut(key('z', 'KeyZ', { ctrlKey: true }), false)).toBeNull(); // plain Ctrl+Z is the editor's undo
    expect(matchShortcut(key('Enter', 'Enter', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
  });

  it('maps hunk keys only outside text fields', () => {
    expect(matchShortcut(key('a', 'KeyA'), false)).toBe('accept');
    expect(matchShortcut(key('r', 'KeyR'), false)).toBe('reject');
    expect(matchShortcut(key('j', 'KeyJ'), false)).toBe('next');
    expect(matchShortcut(key('k', 'KeyK'), false)).toBe('prev');
    expect(matchShortcut(key('g', 'KeyG'), false)).toBe('git');
    expect(matchShortcut(key('p', 'KeyP'), false)).toBe('perf');
    expect(matchShortcut(key('?', 'Slash', { shiftKey: true }), false)).toBe('sheet');
    for (const k of ['a', 'r', 'j', 'k', 'g', 'p', '?']) expect(matchShortcut(key(k, 'KeyX'), true)).toBeNull();
    expect(matchShortcut(key('A', 'KeyA', { shiftKey: true }), false)).toBeNull();
    expect(matchShortcut(key('a', 'KeyA', { ctrlKey: true }), false)).toBeNull(); // select all stays
    // Alt+] / Alt+[ by physical key, also from the editor.
    expect(matchShortcut(key('‘', 'BracketRight', { altKey: true }), true)).toBe('next');
    expect(matchShortcut(key('“', 'BracketLeft', { altKey: true }), false)).toBe('prev');
    expect(matchShortcut(key('Escape', 'Escape'), true)).toBe('close');
  });

  it('lists every shortcut id once in the sheet', () => {
    const ids = CODE_SHORTCUTS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(['accept', 'close', 'git', 'next', 'perf', 'prev', 'reject', 'run', 'save', 'sheet', 'undo']);
  });
});

describe('the shortcuts sheet (issue 12 item 10)', () => {
  it('shows the keys of run, accept, reject, next/previous hunk, undo checkpoint and the Git panel', () => {
    const html = renderToString(<ShortcutsSheet onClose={() => undefined} />);
    const rows: Record<string, string[]> = {
      run: ['Ctrl/Cmd+Enter'],
      accept: ['a'],
      reject: ['r'],
      next: ['j', 'Alt+]'],
      prev: ['k', 'Alt+['],
      undo: ['Ctrl/Cmd+Alt+Z'],
      git: ['g'],
    };
    for (const [id, keys] of Object.entries(rows)) {
      const s = CODE_SHORTCUTS.find((x) => x.id === id);
      expect(s?.keys).toEqual(keys);
      expect(html).toContain(s!.what.replace(/&/g, '&amp;'));
      for (const k of keys) expect(html).toContain(`<kbd>${k}</kbd>`);
    }
  });
});
