// The Code editor's current selection as whole lines (for the ask panel's "Use selection"), read from the mounted
// CodeMirror view through its DOM node, so the editor component does not need a second handle for it.
import type { Text } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

export interface EditorLines {
  startLine: number;
  endLine: number;
  text: string;
}

/**
 * The lines a selection covers (1-based, inclusive). A selection that ends at the very start of a line (a drag to the
 * next line, shift+down) does not include that line. Null for an empty selection.
 */
export function selectionLines(doc: Text, from: number, to: number): EditorLines | null {
  const [a, b] = from <= to ? [from, to] : [to, from];
  if (a === b) return null;
  const first = doc.lineAt(a);
  let last = doc.lineAt(b);
  if (b === last.from && last.number > first.number) last = doc.line(last.number - 1);
  return { startLine: first.number, endLine: last.number, text: doc.sliceString(a, b) };
}

/** The main selection of the Code section's editor (not a diff view's), or null when there is none. */
export function editorSelection(root: ParentNode = document): EditorLines | null {
  const dom = root.querySelector('.code-editor .cm-editor');
  const view = dom instanceof HTMLElement ? EditorView.findFromDOM(dom) : null;
  if (!view) return null;
  const r = view.state.selection.main;
  return selectionLines(view.state.doc, r.from, r.to);
}
