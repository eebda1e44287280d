// Models state: the engine, registered and loaded models, catalog downloads with progress/cancel, fit
// estimates with overrides, imports and watched folders, licence texts. Picks the default model for chat (the
// installed coding model, else a labelled fallback) when none is chosen.
import type { z } from 'zod';
import type { LicenseTextsSchema, ModelFolderSchema } from '../../../common/contracts/models';
import { chooseDefaultModel, type DefaultModelReason } from '../../../common/inference/model-choice';
import type { EngineInfo, LoadedModel } from '../../../common/inference/engine';
import type { CatalogEntry, FitEstimate, RegistryEntry, SpeculationMode, SpeculationProbe } from '../../../common/inference/models';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';
type SpeculationTrial = SpeculationProbe['trials'][number];

type Folder = z.infer<typeof ModelFolderSchema>;
type LicenseTexts = z.infer<typeof LicenseTextsSchema>;
interface Download {
  received: number;
  total: number | null;
  rate: number;
  error: UiError | null;
  cancel: () => void;
}

export interface ModelsSlice {
  models: {
    engine: EngineInfo | null;
    list: RegistryEntry[];
    loaded: LoadedModel[];
    catalog: CatalogEntry[];
    defaultModelId: string | null;
    /** What chat uses when the user has not picked a model, and why (a fallback says the coding model is missing). */
    defaultChoice: { id: string; reason: DefaultModelReason; label: string } | null;
    /** Licence texts by catalog id, fetched when the user opens them. */
    licenses: Record<string, LicenseTexts | { error: UiError }>;
    folders: Folder[];
    estimates: Record<string, FitEstimate>;
    downloads: Record<string, Download>;
    busy: Record<string, string>;
    /** Speculative-decoding measurements in progress: the trials so far and how to cancel. */
    probes: Record<string, { trials: SpeculationTrial[]; cancel: () => void }>;
    error: UiError | null;
  };
  loadModels(): Promise<void>;
  loadModel(id: string): Promise<void>;
  unloadModel(id: string): Promise<void>;
  estimateModel(id: string, o?: { gpuLayers?: number | 'auto'; contextSize?: number | 'auto' }): Promise<void>;
  saveOverrides(
    id: string,
    o: { gpuLayers?: number | 'auto'; contextSize?: number | 'auto'; speculation?: SpeculationMode; draftModelId?: string | null },
  ): Promise<void>;
  measureSpeculation(id: string): Promise<void>;
  importModel(path: string): Promise<void>;
  addModelFolder(path: string): Promise<void>;
  removeModelFolder(path: string): Promise<void>;
  downloadModel(catalogId: string): Promise<void>;
  loadLicense(catalogId: string): Promise<void>;
}

export const createModelsSlice: SliceCreator<ModelsSlice> = (set, get) => {
  const patch = (p: Partial<ModelsSlice['models']>) => set({ models: { ...get().models, ...p } });
  const busy = (id: string, what: string | null) => {
    const b = { ...get().models.busy };
    if (what) b[id] = what;
    else delete b[id];
    patch({ busy: b });
  };
  const fail = (error: UiError) => patch({ error });
  return {
    models: {
      engine: null,
      list: [],
      loaded: [],
      catalog: [],
      defaultModelId: null,
      defaultChoice: null,
      licenses: {},
      folders: [],
      estimates: {},
      downloads: {},
      busy: {},
      probes: {},
      error: null,
    },
    async loadModels() {
      const api = getApi();
      const [list, catalog, folders, engine] = await Promise.all([
        api.models.list({}),
        api.models.catalog({}),
        api.models.folders({}),
        api.models.engine({}),
      ]);
      if (list.ok) patch({ list: list.value.models, loaded: list.value.loaded });
      if (catalog.ok) patch({ catalog: catalog.value.models, defaultModelId: catalog.value.defaultModelId });
      if (folders.ok) patch({ folders: folders.value });
      if (engine.ok) patch({ engine: engine.value });
      const firstError = [list, catalog, folders, engine].find((r) => !r.ok);
      patch({ error: firstError && !firstError.ok ? firstError.error : null });
      // Chat needs a model: the installed coding model (the catalog default), else the best fallback, labelled as such.
      const m = get().models;
      const choice = m.defaultModelId
        ? chooseDefaultModel(
            m.list,
            { defaultModelId: m.defaultModelId, models: m.catalog },
            m.loaded.map((l) => l.modelId),
          )
        : undefined;
      patch({ defaultChoice: choice ? { id: choice.entry.id, reason: choice.reason, label: choice.label } : null });
      if (choice && !get().chat.settings.modelId) get().setChatSettings({ modelId: choice.entry.id });
    },
    async loadModel(id) {
      busy(id, 'Loading…');
      const r = await getApi().models.load({ modelId: id });
      busy(id, null);
      if (!r.ok) return fail(r.error);
      patch({ loaded: [...get().models.loaded.filter((l) => l.modelId !== id), r.value], error: null });
    },
    async unloadModel(id) {
      busy(id, 'Unloading…');
      const r = await getApi().models.unload({ modelId: id });
      busy(id, null);
      if (!r.ok) return fail(r.error);
      patch({ loaded: get().models.loaded.filter((l) => l.modelId !== id) });
    },
    async estimateModel(id, o = {}) {
      const r = await getApi().models.estimate({ modelId: id, ...o });
      if (!r.ok) return fail(r.error);
      patch({ estimates: { ...get().models.estimates, [id]: r.value } });
    },
    async saveOverrides(id, o) {
      const r = await getApi().models.setOverrides({ modelId: id, ...o });
      if (!r.ok) return fail(r.error);
      patch({ list: get().models.list.map((m) => (m.id === id ? r.value : m)) });
      await get().estimateModel(id);
    },
    async measureSpeculation(id) {
      if (get().models.probes[id]) return;
      const setProbe = (p: ModelsSlice['models']['probes'][string] | null) => {
        const probes = { ...get().models.probes };
        if (p) probes[id] = p;
        else delete probes[id];
        patch({ probes });
      };
      const handle = getApi().models.measureSpeculation({ modelId: id }, (t) => {
        const cur = get().models.probes[id];
        if (cur) setProbe({ ...cur, trials: [...cur.trials, t] });
      });
      setProbe({ trials: [], cancel: handle.cancel });
      const r = await handle.result;
      setProbe(null);
      if (!r.ok) return fail(r.error);
      patch({ list: get().models.list.map((m) => (m.id === id ? r.value : m)), error: null });
    },
    async importModel(path) {
      const r = await getApi().models.import({ path });
      if (!r.ok) return fail(r.error);
      patch({ list: [...get().models.list.filter((m) => m.id !== r.value.id), r.value], error: null });
    },
    async addModelFolder(path) {
      const r = await getApi().models.addFolder({ path });
      if (!r.ok) return fail(r.error);
      patch({ folders: r.value, error: null });
      await get().loadModels();
    },
    async removeModelFolder(path) {
      const r = await getApi().models.removeFolder({ path });
      if (!r.ok) return fail(r.error);
      patch({ folders: r.value });
      await get().loadModels();
    },
    async downloadModel(catalogId) {
      if (get().models.downloads[catalogId] && !get().models.downloads[catalogId]?.error) return;
      const setDl = (d: Partial<Download>) => {
        const cur = get().models.downloads[catalogId];
        if (cur) patch({ downloads: { ...get().models.downloads, [catalogId]: { ...cur, ...d } } });
      };
      const handle = getApi().models.download({ catalogId }, (p) =>
        setDl({ received: p.receivedBytes, total: p.totalBytes, rate: p.bytesPerSecond }),
      );
      patch({
        downloads: { ...get().models.downloads, [catalogId]: { received: 0, total: null, rate: 0, error: null, cancel: handle.cancel } },
      });
      const r = await handle.result;
      if (r.ok) {
        const rest = { ...get().models.downloads };
        delete rest[catalogId];
        patch({ downloads: rest, list: [...get().models.list.filter((m) => m.id !== r.value.id), r.value] });
      } else setDl({ error: r.error });
    },
    async loadLicense(catalogId) {
      if (get().models.licenses[catalogId]) return;
      const r = await getApi().models.license({ catalogId });
      patch({ licenses: { ...get().models.licenses, [catalogId]: r.ok ? r.value : { error: r.error } } });
    },
  };
};
