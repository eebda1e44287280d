// The Code editor's cursor line and text, read from the mounted CodeMirror view through its DOM node (as
// editor-selection.ts does), so the performance panel can prefill the function around the cursor.
import { EditorView } from '@codemirror/view';

export function editorCursor(root: ParentNode = document): { line: number; text: string } | null {
  const dom = root.querySelector('.code-editor .cm-editor');
  const view = dom instanceof HTMLElement ? EditorView.findFromDOM(dom) : null;
  if (!view) return null;
  const head = view.state.selection.main.head;
  return { line: view.state.doc.lineAt(head).number, text: view.state.doc.toString() };
}
