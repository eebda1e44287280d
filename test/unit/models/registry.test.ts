// Unit: model registry (import in place, corrupt files kept with their error, source sync, JSON persistence).
import { mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspectGguf } from '../../../native/inference/gguf-file';
import { ModelRegistry, type RegistryChange } from '../../../main/services/models/registry';
import { JsonFileModelRepository, MemoryModelRepository } from '../../../main/services/models/repository';
import { writeTinyGguf } from '../../fixtures/models/tiny-gguf';
import { tempDir } from '../../support/temp-tree';

const readMeta = async (p: string) => (await inspectGguf(p)).metadata;
let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('registry-'));
});
afterEach(() => cleanup());

describe('ModelRegistry', () => {
  it('imports a GGUF in place with its metadata and the same id through a symlink', async () => {
    const reg = await ModelRegistry.open(new MemoryModelRepository(), readMeta);
    const p = join(dir, 'a.gguf');
    writeTinyGguf(p);
    const e = await reg.importFile(p);
    expect(e).toMatchObject({ path: p, source: 'imported', displayName: 'Tiny Test', metadata: { architecture: 'llama' } });
    expect(e.error).toBeUndefined();
    symlinkSync(p, join(dir, 'link.gguf'));
    const again = await reg.importFile(join(dir, 'link.gguf'));
    expect(again.id).toBe(e.id);
    expect(reg.list()).toHaveLength(1);
  });

  it('keeps a corrupt file with its CORRUPT error; a missing one is NOT_FOUND', async () => {
    const reg = await ModelRegistry.open(new MemoryModelRepository(), readMeta);
    const bad = join(dir, 'bad.gguf');
    writeFileSync(bad, 'definitely not gguf data, just text');
    const e = await reg.importFile(bad);
    expect(e.metadata).toBeUndefined();
    expect(e.error?.code).toBe('CORRUPT');
    await expect(reg.importFile(join(dir, 'nope.gguf'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reg.importFile(dir)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('syncs a source: adds new, removes vanished, re-reads changed, leaves other sources alone', async () => {
    const reg = await ModelRegistry.open(new MemoryModelRepository(), readMeta);
    const changes: RegistryChange[] = [];
    reg.onChange((c) => changes.push(c));
    const a = join(dir, 'a.gguf');
    const b = join(dir, 'b.gguf');
    writeTinyGguf(a);
    writeTinyGguf(b);
    const mine = join(dir, 'mine.gguf');
    writeTinyGguf(mine);
    await reg.importFile(mine);
    await reg.syncSource('lmstudio', [
      { path: a, displayName: 'A' },
      { path: b, displayName: 'B' },
    ]);
    expect(reg.list().map((e) => e.displayName)).toEqual(['A', 'B', 'Tiny Test']);
    // Unchanged rescan: no change event.
    const before = changes.length;
    await reg.syncSource('lmstudio', [
      { path: a, displayName: 'A' },
      { path: b, displayName: 'B' },
    ]);
    expect(changes.length).toBe(before);
    // b vanishes, a changes.
    rmSync(b);
    writeTinyGguf(a, { elements: 128 });
    utimesSync(a, new Date(), new Date(Date.now() + 5000));
    const c = await reg.syncSource('lmstudio', [{ path: a, displayName: 'A' }]);
    expect(c.removed.map((e) => e.displayName)).toEqual(['B']);
    expect(c.updated.map((e) => e.displayName)).toEqual(['A']);
    expect(reg.list().find((e) => e.displayName === 'A')?.metadata?.parameterCount).toBe(128);
    expect(reg.list().some((e) => e.path === mine)).toBe(true);
  });

  it('persists to a JSON file and reloads; a damaged registry file is CORRUPT, not silently emptied', async () => {
    const file = join(dir, 'data', 'models.json');
    const reg = await ModelRegistry.open(new JsonFileModelRepository(file), readMeta);
    const p = join(dir, 'a.gguf');
    writeTinyGguf(p);
    const e = await reg.importFile(p);
    await reg.setOverrides(e.id, { contextSize: 4096, gpuLayers: 'auto' });
    const reopened = await ModelRegistry.open(new JsonFileModelRepository(file), readMeta);
    expect(reopened.get(e.id)).toMatchObject({ path: p, overrides: { contextSize: 4096 } });
    await reopened.remove(e.id);
    expect((await ModelRegistry.open(new JsonFileModelRepository(file), readMeta)).list()).toEqual([]);
    await expect(reopened.remove('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    writeFileSync(file, '{"version":1,"models":[{"id":1}]}');
    await expect(ModelRegistry.open(new JsonFileModelRepository(file), readMeta)).rejects.toMatchObject({ code: 'CORRUPT' });
    writeFileSync(file, '{not json');
    await expect(ModelRegistry.open(new JsonFileModelRepository(file), readMeta)).rejects.toMatchObject({ code: 'CORRUPT' });
    mkdirSync(join(dir, 'empty'));
    expect(await new JsonFileModelRepository(join(dir, 'empty', 'none.json')).list()).toEqual([]);
  });
});
