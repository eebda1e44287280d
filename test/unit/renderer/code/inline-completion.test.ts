// The editor side of inline completion, on real CodeMirror state (no DOM): the ghost follows typing of its own
// characters and vanishes on any other edit or cursor move; the window read from the document equals the window of
// the whole text (the stepped start survives the partial read).
import { EditorSelection, EditorState, Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { inlineWindow } from '../../../../common/completion/inline-context';
import { ghostField, setGhost, windowAt } from '../../../../renderer/features/code/inline-completion';
import { completionLanguage } from '../../../../renderer/features/code/inline-completion-slice';

function withGhost(doc: string, pos: number, text: string): EditorState {
  const s = EditorState.create({ doc, selection: EditorSelection.cursor(pos), extensions: [ghostField] });
  return s.update({ effects: setGhost.of({ pos, text }) }).state;
}

describe('ghost text state', () => {
  const doc = 'def add(a, b):\n    ';
  const at = doc.length;

  it('keeps the rest of the ghost while the user types its own next characters', () => {
    let s = withGhost(doc, at, 'return a + b');
    s = s.update({ changes: { from: at, insert: 'ret' }, selection: EditorSelection.cursor(at + 3), userEvent: 'input.type' }).state;
    expect(s.field(ghostField)).toEqual({ pos: at + 3, text: 'urn a + b' });
  });

  it('drops the ghost on a different character, on typing all of it, on a cursor move and on Esc (the effect)', () => {
    const s = withGhost(doc, at, 'return a + b');
    expect(s.update({ changes: { from: at, insert: 'x' }, selection: EditorSelection.cursor(at + 1) }).state.field(ghostField)).toBeNull();
    expect(
      s.update({ changes: { from: at, insert: 'return a + b' }, selection: EditorSelection.cursor(at + 12) }).state.field(ghostField),
    ).toBeNull();
    expect(s.update({ selection: EditorSelection.cursor(3) }).state.field(ghostField)).toBeNull();
    expect(s.update({ effects: setGhost.of(null) }).state.field(ghostField)).toBeNull();
  });

  it('drops the ghost on an edit elsewhere in the document', () => {
    const s = withGhost(doc, at, 'return a + b');
    expect(s.update({ changes: { from: 0, insert: '# hi\n' } }).state.field(ghostField)).toBeNull();
  });
});

describe('windowAt', () => {
  it('reads the same window from the document as inlineWindow does from the whole text, for many cursor positions', () => {
    const text = Array.from({ length: 1500 }, (_, i) => `value_${i} = compute(${i})`).join('\n');
    const doc = Text.of(text.split('\n'));
    for (const head of [0, 17, 5000, 6500, 7000, 20_001, 30_000, text.length]) {
      expect(windowAt(doc, head)).toEqual(inlineWindow(text.slice(0, head), text.slice(head)));
    }
  });
});

describe('completionLanguage', () => {
  it('names the language by extension; a file without one is text', () => {
    expect(['a.py', 'b.tsx', 'c.mjs', 'e.CJS', 'd.rs', 'Makefile', 'src/.env'].map(completionLanguage)).toEqual([
      'python',
      'typescript',
      'javascript',
      'javascript',
      'rs',
      'text',
      'text',
    ]);
  });
});
