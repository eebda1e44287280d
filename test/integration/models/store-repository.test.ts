// The model registry in the encrypted store, against the real DB worker: exact round trip, writes only what
// changed, the one-time import of an earlier version's models.json (merged, then deleted), and the failure paths.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryEntry } from '../../../common/inference/models';
import type { StoreMethod } from '../../../common/store/requests';
import { ModelRegistry } from '../../../main/services/models/registry';
import { JsonFileModelRepository } from '../../../main/services/models/repository';
import { StoreModelRepository, type ModelStore } from '../../../main/services/models/store-repository';
import { inspectGguf } from '../../../native/inference/gguf-file';
import { writeTinyGguf } from '../../fixtures/models/tiny-gguf';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const tmp = tempDir('evolve-model-repo-');
let db: TestStore;
const calls: StoreMethod[] = [];
let locked = false;
/** The real store client, counting requests, with a lock switch standing in for a store that is not unlocked yet. */
const store: ModelStore = {
  client: {
    call: (method, params) => {
      calls.push(method);
      return db.client.call(method, params);
    },
  },
  assertReady: () => {
    if (locked) throw Object.assign(new Error('The store is locked'), { code: 'UNAVAILABLE' });
  },
};

const entry = (id: string, extra: Partial<RegistryEntry> = {}): RegistryEntry => ({
  id,
  path: `/models/${id}.gguf`,
  displayName: `Model ${id}`,
  source: 'cache',
  sizeBytes: 1234,
  mtimeMs: 1_700_000_000_123.5,
  addedAt: 1_700_000_000_000,
  ...extra,
});

beforeAll(async () => {
  db = makeStore(join(tmp.dir, 'evolve.db'), newKey());
  await db.client.open();
});
afterAll(async () => {
  await db.client.close();
  tmp.cleanup();
});

const clearModels = async () => {
  for (const m of await db.client.call('model.list', {})) await db.client.call('model.remove', { id: m.id });
};

describe('StoreModelRepository', () => {
  it('round-trips entries exactly (metadata, error, overrides, sha256) and writes only what changed', async () => {
    await clearModels();
    const gguf = join(tmp.dir, 'tiny.gguf');
    writeTinyGguf(gguf);
    const metadata = (await inspectGguf(gguf)).metadata;
    const full = entry('a', {
      metadata,
      sha256: 'ab'.repeat(32),
      overrides: { gpuLayers: 4, contextSize: 'auto' },
    });
    const broken = entry('b', { displayName: '', error: { code: 'CORRUPT', message: 'not a GGUF file' } });
    const repo = new StoreModelRepository(store, null);
    expect(await repo.list()).toEqual([]);
    calls.length = 0;
    await repo.saveAll([full, broken]);
    expect(calls).toEqual(['model.upsert', 'model.upsert']);
    const fresh = new StoreModelRepository(store, null);
    const listed = await fresh.list();
    expect(listed.sort((x, y) => x.id.localeCompare(y.id))).toEqual([full, broken]);
    const rows = await db.client.call('model.list', {});
    expect(rows.find((r) => r.id === 'a')).toMatchObject({
      name: 'Model a',
      path: '/models/a.gguf',
      format: 'gguf',
      sha256: 'ab'.repeat(32),
    });
    expect(rows.find((r) => r.id === 'b')?.name).toBe('b');

    calls.length = 0;
    await fresh.saveAll([full, broken]);
    expect(calls).toEqual([]);
    await fresh.saveAll([{ ...full, overrides: { gpuLayers: 0 } }]);
    expect(calls.sort()).toEqual(['model.remove', 'model.upsert']);
    expect(await new StoreModelRepository(store, null).list()).toEqual([{ ...full, overrides: { gpuLayers: 0 } }]);
    await expect(fresh.saveAll([full, full])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('backs a ModelRegistry across a restart', async () => {
    await clearModels();
    const gguf = join(tmp.dir, 'reg.gguf');
    writeTinyGguf(gguf);
    const readMeta = async (p: string) => (await inspectGguf(p)).metadata;
    const reg = await ModelRegistry.open(new StoreModelRepository(store, null), readMeta);
    const e = await reg.importFile(gguf);
    await reg.setOverrides(e.id, { contextSize: 512 });
    const reopened = await ModelRegistry.open(new StoreModelRepository(store, null), readMeta);
    expect(reopened.list()).toEqual(reg.list());
    expect(reopened.get(e.id).overrides).toEqual({ contextSize: 512 });
  });

  it('imports an old models.json once, the store winning on shared ids, then deletes the file', async () => {
    await clearModels();
    const file = join(tmp.dir, 'import', 'models.json');
    await new JsonFileModelRepository(file).saveAll([entry('old-1'), entry('shared', { displayName: 'from json' })]);
    await new StoreModelRepository(store, null).saveAll([entry('shared', { displayName: 'from store' })]);
    const logs: string[] = [];
    const repo = new StoreModelRepository(store, file, (_l, m) => logs.push(m));
    const listed = await repo.list();
    expect(listed.map((e) => `${e.id}:${e.displayName}`).sort()).toEqual(['old-1:Model old-1', 'shared:from store']);
    expect(existsSync(file)).toBe(false);
    expect(logs.join('\n')).toContain('1 entries imported');
    // Once: a later open reads the store only, and says nothing about an import.
    logs.length = 0;
    expect((await new StoreModelRepository(store, file, (_l, m) => logs.push(m)).list()).map((e) => e.id).sort()).toEqual([
      'old-1',
      'shared',
    ]);
    expect(logs).toEqual([]);
  });

  it('keeps an unreadable models.json aside instead of deleting it, and still opens', async () => {
    await clearModels();
    const dir = join(tmp.dir, 'corrupt');
    const file = join(dir, 'models.json');
    await new JsonFileModelRepository(file).saveAll([]);
    writeFileSync(file, '{"version": 1, "models": [');
    const logs: string[] = [];
    expect(await new StoreModelRepository(store, file, (_l, m) => logs.push(m)).list()).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('models.json.corrupt-'))).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
    expect(logs.join('\n')).toMatch(/could not be imported .*kept as/);
  });

  it('skips a stored row that no longer validates without deleting it', async () => {
    await clearModels();
    await db.client.call('model.upsert', {
      id: 'garbled',
      name: 'x',
      path: null,
      format: 'gguf',
      sizeBytes: null,
      sha256: null,
      params: { entry: { id: 'garbled' } },
    });
    const logs: string[] = [];
    const repo = new StoreModelRepository(store, null, (_l, m) => logs.push(m));
    expect(await repo.list()).toEqual([]);
    expect(logs.join()).toContain('garbled');
    await repo.saveAll([entry('c')]);
    expect((await db.client.call('model.list', {})).map((r) => r.id).sort()).toEqual(['c', 'garbled']);
  });

  it('refuses to read or write while the store is locked', async () => {
    locked = true;
    try {
      const repo = new StoreModelRepository(store, null);
      await expect(repo.list()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await expect(repo.saveAll([entry('d')])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      locked = false;
    }
  });
});
