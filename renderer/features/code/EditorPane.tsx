// The open file: path, Save (Ctrl/Cmd+S), what cannot be opened and why, and the save-conflict banner
// (Reload takes the disk version; Keep mine writes my text over it, after a checkpoint of the disk version).
import { useEffect, useMemo } from 'react';
import { useStore } from '../../app/store';
import { Editor, type EditorHandle } from './Editor';
import type { InlineCompletionSource } from './inline-completion';
import { InlineCompletionStatus } from './InlineCompletionStatus';
import { completionLanguage, inlineCompletionOn } from './inline-completion-slice';

/** The editor's text, for Save from the button and from the section's Ctrl/Cmd+S. */
export const editorHandle: { current: EditorHandle | null } = { current: null };

export function saveOpenFile(): void {
  const text = editorHandle.current?.text();
  const s = useStore.getState();
  if (text !== undefined && s.code.file && s.code.file.disk.eol !== 'mixed') void s.saveFile(text);
}

export function EditorPane() {
  const file = useStore((s) => s.code.file);
  const notice = useStore((s) => s.code.notice);
  const dirty = useStore((s) => s.code.dirty);
  const saving = useStore((s) => s.code.saving);
  const saved = useStore((s) => s.code.saved);
  const conflict = useStore((s) => s.code.conflict);
  const setDirty = useStore((s) => s.setDirty);
  const reload = useStore((s) => s.reloadFile);
  const keepMine = useStore((s) => s.keepMine);
  const projectId = useStore((s) => s.code.projectId);
  const filePath = file?.path;
  // Reads the store when asked, so toggling completion or an error needs no editor rebuild.
  const completion = useMemo<InlineCompletionSource | undefined>(() => {
    if (!projectId || !filePath) return undefined;
    return {
      enabled: () => {
        const s = useStore.getState();
        return inlineCompletionOn(s) && !s.inline.problem;
      },
      complete: (w, signal) =>
        useStore.getState().requestInlineCompletion(
          {
            projectId,
            path: filePath,
            prefix: w.prefix,
            suffix: w.suffix,
            language: completionLanguage(filePath),
          },
          signal,
        ),
    };
  }, [projectId, filePath]);
  const warm = useStore((s) => s.warmInlineCompletion);
  useEffect(() => {
    if (projectId && filePath) void warm(projectId);
  }, [warm, projectId, filePath]);

  if (notice) {
    return (
      <p className="file-notice" role="status" data-testid="file-notice" data-kind={notice.kind}>
        {notice.message}
      </p>
    );
  }
  if (!file) return <p className="muted">Open a file from the tree.</p>;
  // Mixed line endings cannot round-trip through the editor's one line break: shown, never rewritten.
  const readOnly = file.disk.eol === 'mixed';
  return (
    <div className="editor-pane">
      <div className="row editor-bar">
        <code data-testid="open-file-path">{file.path}</code>
        <span className="muted">
          {file.disk.eol.toUpperCase()}
          {file.disk.bom ? ' · BOM' : ''} · {file.disk.size} bytes
        </span>
        <span data-testid="file-state">{saving ? 'saving…' : dirty ? 'modified' : saved?.path === file.path ? 'saved' : ''}</span>
        <button type="button" onClick={saveOpenFile} disabled={!dirty || saving || readOnly} data-testid="file-save">
          Save
        </button>
        <InlineCompletionStatus />
      </div>
      {readOnly && (
        <p className="warn-text" data-testid="file-readonly">
          This file mixes line endings (LF and CRLF): it is shown read-only so saving cannot change them.
        </p>
      )}
      {conflict && conflict.path === file.path && (
        <div className="conflict-banner" role="alert" data-testid="conflict-banner">
          <span>{file.path} changed on disk since you opened it. Nothing was written.</span>
          <button type="button" onClick={() => void reload()} data-testid="conflict-reload">
            Reload from disk (drop my edits)
          </button>
          <button type="button" onClick={() => void keepMine()} data-testid="conflict-keep">
            Keep mine (overwrite; a checkpoint keeps the disk version)
          </button>
        </div>
      )}
      <Editor
        path={file.path}
        content={file.disk.content}
        revision={file.revision}
        eol={file.disk.eol}
        readOnly={readOnly}
        onDirty={setDirty}
        handleRef={editorHandle}
        {...(completion ? { completion } : {})}
      />
    </div>
  );
}
