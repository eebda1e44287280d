// Shell state: current section, app status for the status bar, app events, and transient notices.
import type { AppStatus, Section } from '../../../common/contracts/app';
import { SECTIONS } from '../../../common/contracts/app';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import { toUiError, type UiError } from '../../lib/errors';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  title: string;
  message: string;
}

export interface ShellSlice {
  section: Section;
  /** Set once the user has picked a section, so restoring the last one never overrides their choice. */
  userNavigated: boolean;
  status: AppStatus | null;
  statusError: UiError | null;
  notices: Notice[];
  navigate(section: Section): void;
  loadStatus(): Promise<void>;
  /** Pauses or resumes all background work (indexing, embeddings, backups). */
  pauseBackground(paused: boolean): Promise<void>;
  /** Subscribes to app events; returns the unsubscribe function. */
  subscribeAppEvents(): () => void;
  notify(n: Omit<Notice, 'id'>): void;
  dismissNotice(id: number): void;
}

let noticeSeq = 0;

export const createShellSlice: SliceCreator<ShellSlice> = (set, get) => ({
  section: 'assistant',
  userNavigated: false,
  status: null,
  statusError: null,
  notices: [],
  navigate(section) {
    if (!SECTIONS.includes(section)) return;
    set({ userNavigated: true });
    if (get().section === section) return;
    set({ section });
    // Remember where the user was; a failure here is not worth interrupting them for.
    void get().saveSettings({ lastSection: section });
  },
  async loadStatus() {
    const r = await getApi().app.status({});
    if (r.ok) set({ status: r.value, statusError: null });
    else set({ statusError: r.error });
  },
  async pauseBackground(paused) {
    const r = await getApi().app.pauseBackground({ paused });
    if (!r.ok) get().notify({ kind: 'error', title: 'Could not change background work', message: r.error.message });
    await get().loadStatus();
  },
  subscribeAppEvents() {
    const handle = getApi().app.events({}, (e) => {
      if (e.type === 'navigate') get().navigate(e.section);
      else if (e.type === 'notification') get().notify({ kind: 'info', title: e.title, message: e.body });
      // A watcher re-index (or a run started elsewhere) ended: the Projects list shows the new counts.
      else if (e.type === 'project-indexed') void get().loadProjects();
      else if (e.type === 'worker-crashed') {
        get().notify({
          kind: 'error',
          title: `${e.worker} stopped unexpectedly`,
          message: `${e.reason}${e.restarting ? ' — restarting it.' : ' — it will not be restarted automatically.'}`,
        });
        void get().loadStatus();
      } else void get().loadStatus();
    });
    void handle.result.then((r) => {
      if (!r.ok && r.error.code !== 'CANCELLED') set({ statusError: toUiError(r.error) });
    });
    return () => handle.cancel();
  },
  notify(n) {
    const id = ++noticeSeq;
    set({ notices: [...get().notices, { ...n, id }].slice(-5) });
  },
  dismissNotice(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) });
  },
});
