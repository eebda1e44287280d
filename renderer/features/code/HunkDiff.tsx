// One hunk of a generated diff in the editor's unified diff view (@codemirror/merge): the hunk's old side as the
// original, its new side as the document, read-only, highlighted in the file's language.
import { unifiedMergeView } from '@codemirror/merge';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { DiffHunk } from '../../../common/codegen/types';
import { cspNonce } from './csp-nonce';
import { hunkSides } from './hunks';
import { languageFor } from './language';

export function HunkDiff({ path, hunk }: { path: string; hunk: DiffHunk }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const { original, modified } = hunkSides(hunk);
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: modified,
        extensions: [
          EditorView.cspNonce.of(cspNonce()),
          EditorState.readOnly.of(true),
          EditorView.editable.of(false),
          lineNumbers({ formatNumber: (n) => String(hunk.newStart + n - 1) }),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          languageFor(path),
          unifiedMergeView({ original, mergeControls: false, gutter: true, highlightChanges: true }),
        ],
      }),
    });
    return () => view.destroy();
  }, [path, hunk]);
  return <div className="hunk-diff" ref={host} data-testid="hunk-diff" />;
}
