// Handlers for the `models` domain.
import { modelsContract } from '../../common/contracts/models';
import { EvolveError } from '../../common/errors';
import type { AppServices } from '../services';
import { implement } from './handlers';
import { join } from 'node:path';
import { findCatalogEntry } from '../services/models/catalog';
import { readLicenseTexts } from '../services/models/licenses';
import { LatestValueSender } from '../../common/base/coalescing-sender';

export const modelsHandlers = (s: AppServices) =>
  implement(modelsContract, {
    engine: () => s.localAi.engineInfo(),
    list: async () => {
      const [manager, loaded] = await Promise.all([s.localAi.manager(), s.localAi.client.listLoaded()]);
      return { models: manager.list(), loaded };
    },
    catalog: async () => {
      const c = await s.localAi.catalog();
      return { defaultModelId: c.defaultModelId, models: c.models };
    },
    estimate: async ({ modelId, gpuLayers, contextSize }) =>
      (await s.localAi.manager()).estimate(modelId, {
        ...(gpuLayers !== undefined ? { gpuLayers } : {}),
        ...(contextSize !== undefined ? { contextSize } : {}),
      }),
    setOverrides: async ({ modelId, gpuLayers, contextSize, speculation, draftModelId }) => {
      const registry = await s.localAi.registry();
      const current = registry.get(modelId).overrides ?? {};
      const next = { ...current };
      if (gpuLayers !== undefined) next.gpuLayers = gpuLayers;
      if (contextSize !== undefined) next.contextSize = contextSize;
      if (speculation !== undefined) next.speculation = speculation;
      if (draftModelId === null) delete next.draftModelId;
      else if (draftModelId !== undefined) next.draftModelId = registry.get(draftModelId).id; // NOT_FOUND when unknown
      return registry.setOverrides(modelId, next);
    },
    load: async ({ modelId }) => (await s.localAi.manager()).load(modelId),
    measureSpeculation: async ({ modelId, maxTokens }, ctx, sink) =>
      (await s.localAi.manager()).measureSpeculation(modelId, {
        signal: ctx.signal,
        ...(maxTokens !== undefined ? { maxTokens } : {}),
        onTrial: (t) => void sink.emit(t).catch(() => undefined), // a closed page does not stop the probe
      }),
    unload: async ({ modelId }) => ({ unloaded: await (await s.localAi.manager()).unload(modelId) }),
    import: async ({ path }) => (await s.localAi.registry()).importFile(path, 'imported'),
    download: async ({ catalogId }, ctx, sink) => {
      const catalog = await s.localAi.catalog();
      const entry = catalog.models.find((m) => m.id === catalogId);
      if (!entry) throw new EvolveError('NOT_FOUND', `No catalog model ${catalogId}`);
      const manager = await s.localAi.manager();
      // Progress is state: while the page is behind only the newest value waits (no unbounded queue of events).
      const progress = new LatestValueSender((p: Parameters<typeof sink.emit>[0]) => sink.emit(p));
      // The download CA is a setting (settings.json: a path, no secret), read per download like every other client's CA.
      const { modelDownloadCaFile } = await s.settings.get();
      const result = await manager.download(entry, (p) => progress.push(p), ctx.signal, { caFile: modelDownloadCaFile });
      await progress.flush().catch(() => undefined); // a page that went away does not fail the finished download
      return result;
    },
    license: async ({ catalogId }) => {
      const c = await s.localAi.catalog();
      return readLicenseTexts(join(s.info.rootDir, 'resources', 'models'), findCatalogEntry(c, catalogId));
    },
    folders: () => s.localAi.folders(),
    addFolder: ({ path }) => s.localAi.addFolder(path),
    removeFolder: ({ path }) => s.localAi.removeFolder(path),
  });
