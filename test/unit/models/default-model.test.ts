// Unit: the default local model — the installed coding model first, labelled fallbacks otherwise — and the router's
// "local-default" alias loading it on demand.
import { closeSync, openSync, ftruncateSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { catalogEntryFor, chooseDefaultModel } from '../../../common/inference/model-choice';
import type { ModelMetadata, RegistryEntry } from '../../../common/inference/models';
import { defaultCatalogPath, loadCatalog } from '../../../main/services/models/catalog';
import { DefaultLocalModel } from '../../../main/services/models/default-model';
import { ModelRegistry } from '../../../main/services/models/registry';
import { MemoryModelRepository } from '../../../main/services/models/repository';
import { InferenceClientEngine, LOCAL_DEFAULT_MODEL } from '../../../main/services/providers/local-engine';
import { tempDir } from '../../support/temp-tree';

const catalogPromise = loadCatalog(defaultCatalogPath(resolve(__dirname, '../../../resources')));
const QWEN15 = { file: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf', size: 1_117_320_768 };
const QWEN05 = { file: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf', size: 491_400_064 };
const GEMMA = { file: 'gemma-3-270m-q4_k_m.gguf', size: 253_113_024 };

function meta(hasChatTemplate: boolean): ModelMetadata {
  return {
    path: '',
    sizeBytes: 0,
    ggufVersion: 3,
    architecture: 'x',
    parameterCount: 1,
    quantization: 'Q4_K_M',
    layerCount: 1,
    tensorCount: 1,
    hasChatTemplate,
  };
}
function entry(id: string, f: { file: string; size: number }, o: Partial<RegistryEntry> = {}): RegistryEntry {
  return {
    id,
    path: `/models/${id}/${f.file}`,
    displayName: f.file,
    source: 'cache',
    sizeBytes: f.size,
    mtimeMs: 0,
    addedAt: 0,
    metadata: meta(true),
    ...o,
  };
}

describe('chooseDefaultModel', () => {
  it('picks the installed catalog default (the 1.5B coding model) over loaded and smaller ones', async () => {
    const catalog = await catalogPromise;
    const models = [entry('g', GEMMA, { metadata: meta(false) }), entry('q05', QWEN05), entry('q15', QWEN15)];
    const c = chooseDefaultModel(models, catalog, ['g', 'q05']);
    expect(c).toMatchObject({ reason: 'catalog-default', entry: { id: 'q15' } });
    expect(c?.label).toMatch(/default coding model/);
  });

  it('falls back with a label that says why: another coding model, then any instruct model, then a base model', async () => {
    const catalog = await catalogPromise;
    const brokenDefault = entry('q15', QWEN15, { error: { code: 'CORRUPT', message: 'truncated' } });
    const coding = chooseDefaultModel([brokenDefault, entry('q05', QWEN05), entry('other', { file: 'llama.gguf', size: 5 })], catalog);
    expect(coding).toMatchObject({ reason: 'coding-model', entry: { id: 'q05' } });
    expect(coding?.label).toMatch(/Qwen2\.5 Coder 1\.5B Instruct Q4_K_M\) is not installed/);

    const instruct = chooseDefaultModel(
      [entry('g', GEMMA, { metadata: meta(false) }), entry('other', { file: 'llama.gguf', size: 5 })],
      catalog,
    );
    expect(instruct).toMatchObject({ reason: 'instruct-model', entry: { id: 'other' } });

    const base = chooseDefaultModel([entry('g', GEMMA, { metadata: meta(false) })], catalog);
    expect(base).toMatchObject({ reason: 'base-model', entry: { id: 'g' } });
    expect(base?.label).toMatch(/base model: it continues text/);
    expect(chooseDefaultModel([], catalog)).toBeUndefined();
  });

  it('matches a file to its catalog entry by name and exact size, not by name alone', async () => {
    const catalog = await catalogPromise;
    expect(catalogEntryFor({ path: `/x/${QWEN15.file.toUpperCase()}`, sizeBytes: QWEN15.size }, catalog.models)?.id).toBe(
      'qwen2.5-coder-1.5b-instruct-q4_k_m',
    );
    expect(catalogEntryFor({ path: `/x/${QWEN15.file}`, sizeBytes: 12 }, catalog.models)).toBeUndefined();
  });
});

describe('DefaultLocalModel + the router alias', () => {
  it('resolves local-default to the installed coding model and loads it on demand', async () => {
    const { dir, cleanup } = tempDir('default-model-');
    onTestFinished(cleanup); // removed whether the test passes or fails
    // Sparse files of the catalog sizes: the registry sees the real names and sizes without gigabytes on disk.
    const sparse = (f: { file: string; size: number }) => {
      const p = join(dir, f.file);
      const fd = openSync(p, 'w');
      ftruncateSync(fd, f.size);
      closeSync(fd);
      return p;
    };
    const registry = await ModelRegistry.open(new MemoryModelRepository(), async (p) => ({ ...meta(!p.includes('gemma')), path: p }));
    const gemma = await registry.importFile(sparse(GEMMA), 'cache');
    const catalog = await catalogPromise;
    const loaded: string[] = [gemma.id];
    const loads: string[] = [];
    const client = {
      listLoaded: async () => loaded.map((modelId) => ({ modelId, contextSize: 4096 }) as never),
      countTokens: async () => ({ count: 1 }),
      generate: async (params: { modelId: string }, cb: { onToken?: (t: string) => void } = {}) => {
        cb.onToken?.(`from ${params.modelId}`);
        return {} as never;
      },
    };
    const manager = { load: async (id: string) => (loads.push(id), loaded.push(id), {} as never) };
    const defaults = new DefaultLocalModel({
      registry: async () => registry,
      catalog: async () => catalog,
      manager: async () => manager,
      client,
    });
    const engine = new InferenceClientEngine(client, defaults);

    // Only Gemma (base) installed: it is the labelled fallback and is already loaded.
    expect((await defaults.choose())?.reason).toBe('base-model');

    const qwen = await registry.importFile(sparse(QWEN15), 'cache');
    const out: string[] = [];
    for await (const p of engine.generate({ model: LOCAL_DEFAULT_MODEL, prompt: 'hi' }, {}, new AbortController().signal)) out.push(p.text);
    expect(out).toEqual([`from ${qwen.id}`]);
    expect(loads).toEqual([qwen.id]);
  });

  it('lists the alias when a default can be loaded even though nothing is loaded yet', async () => {
    const catalog = await catalogPromise;
    const registry = await ModelRegistry.open(new MemoryModelRepository(), async () => meta(true));
    const client = { listLoaded: async () => [], countTokens: async () => ({ count: 0 }), generate: async () => ({}) as never };
    const defaults = new DefaultLocalModel({
      registry: async () => registry,
      catalog: async () => catalog,
      manager: async () => ({ load: async () => ({}) as never }),
      client,
    });
    expect(await new InferenceClientEngine(client, defaults).listLoaded()).toEqual([]); // nothing installed: no alias
    const { dir, cleanup } = tempDir('default-model-');
    onTestFinished(cleanup); // removed whether the test passes or fails
    const p = join(dir, QWEN05.file);
    closeSync(openSync(p, 'w'));
    await registry.importFile(p, 'cache');
    expect((await new InferenceClientEngine(client, defaults).listLoaded()).map((m) => m.id)).toEqual([LOCAL_DEFAULT_MODEL]);
  });
});
