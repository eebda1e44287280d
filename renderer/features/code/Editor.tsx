// The code editor: CodeMirror 6 with line numbers, history, search, bracket matching and Python/JS/TS highlighting,
// tagged with the page's CSP nonce. It keeps its own text; the store learns only "dirty", and Save reads the text.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { Eol } from '../../../common/contracts/workspace';
import { cspNonce } from './csp-nonce';
import { inlineCompletion, type InlineCompletionSource } from './inline-completion';
import { languageFor } from './language';

export interface EditorHandle {
  text(): string;
}

interface Props {
  path: string;
  content: string;
  /** A new value replaces the editor's text with `content` (open, reload, restore). */
  revision: number;
  /** The file's line endings ('mixed' files are opened read-only by the caller). */
  eol: Eol;
  readOnly?: boolean;
  /** Must be stable (the store's action): the editor is not rebuilt when it changes. */
  onDirty(dirty: boolean): void;
  handleRef: { current: EditorHandle | null };
  /** Ghost-text completion; read on each request, so a new source does not rebuild the editor. */
  completion?: InlineCompletionSource;
}

export function Editor({ path, content, revision, eol, readOnly = false, onDirty, handleRef, completion }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const completionRef = useRef(completion);
  useEffect(() => {
    completionRef.current = completion;
  }, [completion]);

  useEffect(() => {
    if (!host.current) return;
    const state = EditorState.create({
      doc: content,
      extensions: [
        // CRLF files stay CRLF: lines split on, and the text is read back with, the file's own line break.
        eol === 'crlf' ? EditorState.lineSeparator.of('\r\n') : [],
        EditorView.cspNonce.of(cspNonce()),
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        highlightSelectionMatches(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, indentWithTab]),
        languageFor(path),
        inlineCompletion({
          enabled: () => completionRef.current?.enabled() ?? false,
          complete: (w, signal) => completionRef.current?.complete(w, signal) ?? Promise.resolve(null),
        }),
        EditorState.readOnly.of(readOnly),
        EditorView.contentAttributes.of({ 'aria-label': `Editor: ${path}`, 'data-testid': 'code-editor-content' }),
        EditorView.updateListener.of((u) => {
          // Text.eq compares the rope, so typing in a large file does not stringify it per keystroke.
          if (u.docChanged) onDirty(!u.state.doc.eq(initial));
        }),
      ],
    });
    const initial = state.doc;
    const view = new EditorView({ state, parent: host.current });
    handleRef.current = { text: () => view.state.sliceDoc() };
    return () => {
      handleRef.current = null;
      view.destroy();
    };
    // Re-created only for another file or a new disk revision: typing must not rebuild the editor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, revision, readOnly, eol]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
