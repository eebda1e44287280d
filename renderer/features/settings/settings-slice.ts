// Settings state: loaded once at start, saved through `settings.update`, theme applied to the document.
import type { Settings, SettingsPatch } from '../../../common/contracts/settings';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';

export interface SettingsSlice {
  settings: Settings | null;
  settingsError: UiError | null;
  loadSettings(): Promise<void>;
  saveSettings(patch: SettingsPatch): Promise<boolean>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get) => ({
  settings: null,
  settingsError: null,
  async loadSettings() {
    const r = await getApi().settings.get({});
    if (!r.ok) return set({ settingsError: r.error });
    // Restore where the user left off — unless they already clicked somewhere while this loaded.
    set(
      get().userNavigated
        ? { settings: r.value, settingsError: null }
        : { settings: r.value, settingsError: null, section: r.value.lastSection },
    );
  },
  async saveSettings(patch) {
    const before = get().settings;
    if (before) set({ settings: { ...before, ...patch } }); // optimistic: the UI answers at once
    const r = await getApi().settings.update(patch);
    if (r.ok) {
      set({ settings: r.value, settingsError: null });
      return true;
    }
    set({ settings: before, settingsError: r.error });
    get().notify({ kind: 'error', title: 'Could not save settings', message: r.error.message });
    return false;
  },
});
