// Code section state, workspace side: the open project and its trust decision, the lazily loaded file tree, the
// file in the editor (with why it cannot open, or a save conflict), and the project's checkpoints with undo/restore.
import type { FileContent, TrustState, WorkspaceCheckpoint, WorkspaceTree } from '../../../common/contracts/workspace';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';
import type { DiffHunk } from '../../../common/codegen/types';
import { fileNotice, type FileNotice } from './file-notice';
import { patchHunks } from './patch-hunks';

export interface OpenFile {
  path: string;
  /** What is on disk as of the last read or save (the editor's text may differ until saved). */
  disk: FileContent;
  /** Bumped when the editor must take `disk.content` (open, reload, restore) rather than keep what was typed. */
  revision: number;
}

export interface CodeSlice {
  code: {
    projectId: string | null;
    trust: TrustState | null;
    /** Listings by folder ('' = root); a folder is listed the first time it is expanded. */
    tree: Record<string, WorkspaceTree>;
    expanded: string[];
    file: OpenFile | null;
    /** Why the selected file is not in the editor (binary, > 2 MB, gone). */
    notice: FileNotice | null;
    dirty: boolean;
    /** A save refused because the file changed on disk since it was read: the user's text is kept here. */
    conflict: { path: string; mine: string } | null;
    saving: boolean;
    saved: { path: string; at: number } | null;
    checkpoints: WorkspaceCheckpoint[];
    /** What changed since a checkpoint (checkpoint → files now), shown under the list. */
    changes: { id: string; files: { path: string; status: string; binary: boolean; truncated: boolean; hunks: DiffHunk[] }[] } | null;
    /** The last undo/restore, for the status line. */
    restored: { id: string; files: number } | null;
    error: UiError | null;
  };
  openCodeProject(projectId: string | null): Promise<void>;
  setProjectTrust(trusted: boolean): Promise<void>;
  toggleDir(dir: string): Promise<void>;
  openFile(path: string): Promise<void>;
  setDirty(dirty: boolean): void;
  saveFile(text: string): Promise<void>;
  /** Conflict: drop my text and take the file as it is on disk now. */
  reloadFile(): Promise<void>;
  /** Conflict: write my text over the file as it is now (a checkpoint keeps the disk version). */
  keepMine(): Promise<void>;
  loadCheckpoints(): Promise<void>;
  undoCheckpoint(): Promise<void>;
  restoreCheckpoint(id: string): Promise<void>;
  /** Shows (or, for the one shown, hides) what changed since a checkpoint. */
  toggleCheckpointChanges(id: string): Promise<void>;
  /** Re-reads the open file, the checkpoints and the listed folders after something rewrote files. */
  refreshWorkspace(): Promise<void>;
}

const EMPTY: CodeSlice['code'] = {
  projectId: null,
  trust: null,
  tree: {},
  expanded: [],
  file: null,
  notice: null,
  dirty: false,
  conflict: null,
  saving: false,
  saved: null,
  checkpoints: [],
  changes: null,
  restored: null,
  error: null,
};

export const createCodeSlice: SliceCreator<CodeSlice> = (set, get) => {
  const patch = (p: Partial<CodeSlice['code']>) => set({ code: { ...get().code, ...p } });
  const project = () => get().code.projectId;

  const listDir = async (projectId: string, dir: string) => {
    const r = await getApi().workspace.tree({ projectId, dir: dir || undefined });
    if (project() !== projectId) return;
    if (!r.ok) return patch({ error: r.error });
    patch({ tree: { ...get().code.tree, [dir]: r.value }, error: null });
  };

  /** Reads the file for the editor; `keepText` leaves the editor's text alone (only the disk hash is refreshed). */
  const read = async (path: string, keepText: boolean): Promise<FileContent | null> => {
    const projectId = project();
    if (!projectId) return null;
    const r = await getApi().workspace.readFile({ projectId, path });
    if (project() !== projectId) return null;
    if (!r.ok) {
      const notice = fileNotice(path, r.error, r.error.details);
      patch(notice ? { file: null, notice, dirty: false, error: null } : { error: r.error });
      return null;
    }
    const prev = get().code.file;
    const revision = (prev?.revision ?? 0) + (keepText ? 0 : 1);
    patch({ file: { path, disk: r.value, revision }, notice: null, error: null, ...(keepText ? {} : { dirty: false }) });
    return r.value;
  };

  // After anything that rewrites files (undo, restore, apply), the open file is re-read from disk.
  const refreshWorkspace = async () => {
    const open = get().code.file;
    if (open) await read(open.path, false);
    await get().loadCheckpoints();
    const pid = project();
    if (pid) for (const dir of Object.keys(get().code.tree)) await listDir(pid, dir);
  };

  const write = async (text: string, baseHash: string | null) => {
    const projectId = project();
    const open = get().code.file;
    if (!projectId || !open) return;
    patch({ saving: true });
    const r = await getApi().workspace.writeFile({ projectId, path: open.path, content: text, baseHash });
    if (!r.ok) {
      if (r.error.code === 'CONFLICT') return patch({ saving: false, conflict: { path: open.path, mine: text } });
      return patch({ saving: false, error: r.error });
    }
    const disk: FileContent = { ...open.disk, content: text, hash: r.value.hash, size: r.value.size };
    patch({
      saving: false,
      dirty: false,
      conflict: null,
      error: null,
      file: { ...open, disk },
      saved: { path: open.path, at: Date.now() },
    });
    await get().loadCheckpoints();
  };

  return {
    code: EMPTY,
    refreshWorkspace,
    async openCodeProject(projectId) {
      if (projectId === project()) return;
      set({ code: { ...EMPTY, projectId } });
      get().resetReview();
      if (!projectId) return;
      const t = await getApi().workspace.trustState({ projectId });
      if (project() !== projectId) return;
      if (!t.ok) return patch({ error: t.error });
      patch({ trust: t.value });
      await Promise.all([listDir(projectId, ''), get().loadCheckpoints(), get().loadGenerations()]);
    },
    async setProjectTrust(trusted) {
      const projectId = project();
      if (!projectId) return;
      const r = await getApi().workspace.setTrust({ projectId, trusted });
      patch(r.ok ? { trust: r.value, error: null } : { error: r.error });
    },
    async toggleDir(dir) {
      const projectId = project();
      if (!projectId) return;
      const expanded = get().code.expanded;
      if (expanded.includes(dir)) return patch({ expanded: expanded.filter((d) => d !== dir) });
      patch({ expanded: [...expanded, dir] });
      if (!get().code.tree[dir]) await listDir(projectId, dir);
    },
    async openFile(path) {
      patch({ conflict: null, saved: null });
      await read(path, false);
    },
    setDirty(dirty) {
      if (get().code.dirty !== dirty) patch({ dirty });
    },
    async saveFile(text) {
      const open = get().code.file;
      if (open) await write(text, open.disk.hash);
    },
    async reloadFile() {
      const open = get().code.file;
      patch({ conflict: null });
      if (open) await read(open.path, false);
    },
    async keepMine() {
      const conflict = get().code.conflict;
      if (!conflict) return;
      // Take the current disk hash without touching the editor, then write my text against it.
      const now = await read(conflict.path, true);
      if (now) await write(conflict.mine, now.hash);
    },
    async loadCheckpoints() {
      const projectId = project();
      if (!projectId) return;
      const r = await getApi().workspace.checkpoints({ projectId, limit: 50 });
      if (project() !== projectId) return;
      patch(r.ok ? { checkpoints: r.value } : { error: r.error });
    },
    async undoCheckpoint() {
      const projectId = project();
      if (!projectId) return;
      const r = await getApi().workspace.undo({ projectId });
      if (!r.ok) return patch({ error: r.error });
      patch({ restored: { id: r.value.restored, files: r.value.files.length }, error: null });
      await refreshWorkspace();
    },
    async toggleCheckpointChanges(id) {
      const projectId = project();
      if (!projectId) return;
      if (get().code.changes?.id === id) return patch({ changes: null });
      const r = await getApi().workspace.checkpointDiff({ projectId, checkpointId: id });
      if (!r.ok) return patch({ error: r.error });
      const files = r.value.files.map((f) => ({
        path: f.path,
        status: f.status,
        binary: f.binary,
        truncated: f.truncated,
        hunks: patchHunks(f.patch),
      }));
      patch({ changes: { id, files }, error: null });
    },
    async restoreCheckpoint(id) {
      const projectId = project();
      if (!projectId) return;
      const r = await getApi().workspace.restore({ projectId, checkpointId: id });
      if (!r.ok) return patch({ error: r.error });
      patch({ restored: { id: r.value.restored, files: r.value.files.length }, error: null });
      await refreshWorkspace();
    },
  };
};
