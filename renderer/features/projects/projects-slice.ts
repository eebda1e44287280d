// Projects state: the list with index state, the running index per project (progress, cancel, pause),
// search results with their three scores, and the top of the repo map.
import type { IndexProgress, Retrieval } from '../../../common/contracts/projects';
import type { IndexedProject } from '../../../common/store/index-requests';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';

export interface ProjectsSlice {
  projects: {
    list: IndexedProject[];
    selected: string | null;
    error: UiError | null;
    runs: Record<string, { progress: IndexProgress | null; cancel: () => void; paused: boolean }>;
    results: Retrieval | null;
    searching: boolean;
    repoMap: string;
  };
  loadProjects(): Promise<void>;
  addProject(path: string): Promise<void>;
  removeProject(id: string): Promise<void>;
  selectProject(id: string | null): Promise<void>;
  indexProject(id: string): Promise<void>;
  cancelIndex(id: string): void;
  pauseIndex(id: string, paused: boolean): Promise<void>;
  searchProject(id: string, query: string, expand?: boolean): Promise<void>;
}

export const createProjectsSlice: SliceCreator<ProjectsSlice> = (set, get) => {
  const patch = (p: Partial<ProjectsSlice['projects']>) => set({ projects: { ...get().projects, ...p } });
  const setRun = (id: string, r: Partial<ProjectsSlice['projects']['runs'][string]> | null) => {
    const runs = { ...get().projects.runs };
    if (r === null) delete runs[id];
    else runs[id] = { progress: null, cancel: () => undefined, paused: false, ...runs[id], ...r };
    patch({ runs });
  };
  const loadRepoMap = async (id: string) => {
    const r = await getApi().projects.repoMap({ projectId: id, tokenBudget: 512 });
    patch({ repoMap: r.ok ? r.value.text : '' });
  };
  return {
    projects: { list: [], selected: null, error: null, runs: {}, results: null, searching: false, repoMap: '' },
    async loadProjects() {
      const r = await getApi().projects.list({});
      if (!r.ok) return patch({ error: r.error });
      const selected = get().projects.selected ?? r.value[0]?.id ?? null;
      patch({ list: r.value, error: null, selected });
      if (selected) void loadRepoMap(selected);
    },
    async addProject(path) {
      const r = await getApi().projects.add({ path: path.trim() });
      if (!r.ok) return patch({ error: r.error });
      patch({ error: null, selected: r.value.id, results: null });
      await get().loadProjects();
    },
    async removeProject(id) {
      const r = await getApi().projects.remove({ projectId: id });
      if (!r.ok) return patch({ error: r.error });
      patch({ selected: null, results: null, repoMap: '' });
      await get().loadProjects();
    },
    async selectProject(id) {
      patch({ selected: id, results: null, repoMap: '' });
      if (id) await loadRepoMap(id);
    },
    async indexProject(id) {
      if (get().projects.runs[id]) return;
      // Progress comes at most ~10/s from main; one state update per event is cheap at that rate.
      const handle = getApi().projects.index({ projectId: id }, (p) => setRun(id, { progress: p, paused: p.phase === 'paused' }));
      setRun(id, { cancel: handle.cancel });
      const r = await handle.result;
      setRun(id, null);
      // A cancelled run is not an error: the list shows it as cancelled, resumable.
      patch({ error: r.ok || r.error.code === 'CANCELLED' ? null : r.error });
      await get().loadProjects();
    },
    cancelIndex(id) {
      get().projects.runs[id]?.cancel();
    },
    async pauseIndex(id, paused) {
      const r = await getApi().projects.pause({ projectId: id, paused });
      if (r.ok) setRun(id, { paused: r.value.paused });
      else patch({ error: r.error });
    },
    async searchProject(id, query, expand = false) {
      if (!query.trim()) return;
      patch({ searching: true });
      const r = await getApi().projects.search({ projectId: id, query, k: 10, ...(expand ? { expand } : {}) });
      patch(r.ok ? { results: r.value, searching: false, error: null } : { searching: false, error: r.error });
    },
  };
};
