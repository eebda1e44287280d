// Code section state, Experience side: what the user's decisions taught the codegen engine for the open project —
// the decisions (accepted/rejected with reasons and later edits) and the conventions learned from them, which the
// user can rewrite or remove (experience.* contract).
import type { ExperienceDecision, LearnedConvention } from '../../../common/store/experience-requests';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';

export interface ExperienceSlice {
  experience: {
    /** The project the lists belong to (a newer project's load drops an older answer). */
    projectId: string | null;
    decisions: ExperienceDecision[];
    conventions: LearnedConvention[];
    loading: boolean;
    error: UiError | null;
    /** The convention whose edit or removal is in flight. */
    busy: string | null;
  };
  loadExperience(): Promise<void>;
  /** Rewrites a learned convention; false (error shown) when the store refused, e.g. blank text. */
  editLearnedConvention(id: string, text: string): Promise<boolean>;
  removeLearnedConvention(id: string): Promise<void>;
}

const EMPTY: ExperienceSlice['experience'] = { projectId: null, decisions: [], conventions: [], loading: false, error: null, busy: null };

export const createExperienceSlice: SliceCreator<ExperienceSlice> = (set, get) => {
  const patch = (p: Partial<ExperienceSlice['experience']>) => set({ experience: { ...get().experience, ...p } });
  return {
    experience: EMPTY,
    async loadExperience() {
      const projectId = get().code.projectId;
      if (get().experience.projectId !== projectId) set({ experience: { ...EMPTY, projectId } });
      if (!projectId) return;
      patch({ loading: true, error: null });
      const [d, c] = await Promise.all([
        getApi().experience.decisions({ projectId, limit: 100 }),
        getApi().experience.conventions({ projectId }),
      ]);
      if (get().code.projectId !== projectId) return;
      if (!d.ok) return patch({ loading: false, error: d.error });
      if (!c.ok) return patch({ loading: false, error: c.error });
      patch({ loading: false, decisions: d.value, conventions: c.value });
    },
    async editLearnedConvention(id, text) {
      patch({ busy: id, error: null });
      const r = await getApi().experience.editConvention({ id, text });
      if (!r.ok) {
        patch({ busy: null, error: r.error });
        return false;
      }
      patch({ busy: null });
      await get().loadExperience(); // which convention is in effect may have changed
      return true;
    },
    async removeLearnedConvention(id) {
      patch({ busy: id, error: null });
      const r = await getApi().experience.removeConvention({ id });
      if (!r.ok) return patch({ busy: null, error: r.error });
      patch({ busy: null });
      await get().loadExperience();
    },
  };
};
