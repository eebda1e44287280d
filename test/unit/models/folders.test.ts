// Unit: finding models in LM Studio/Jan-style trees and Ollama stores (manifest → blob), and the folder watcher.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspectGguf } from '../../../native/inference/gguf-file';
import { defaultModelFolders, scanFolder } from '../../../main/services/models/folders';
import { listOllamaModels, parseOllamaManifest } from '../../../main/services/models/ollama';
import { ModelRegistry } from '../../../main/services/models/registry';
import { MemoryModelRepository } from '../../../main/services/models/repository';
import { ModelFolderWatcher } from '../../../main/services/models/watcher';
import { writeTinyGguf } from '../../fixtures/models/tiny-gguf';
import { tempDir } from '../../support/temp-tree';

const HEX = 'ab'.repeat(32);
let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('folders-'));
});
afterEach(() => cleanup());

function ollamaStore(root: string, model: string, tag: string, hex: string, host = 'registry.ollama.ai', ns = 'library') {
  mkdirSync(join(root, 'manifests', host, ns, model), { recursive: true });
  mkdirSync(join(root, 'blobs'), { recursive: true });
  writeFileSync(
    join(root, 'manifests', host, ns, model, tag),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: `sha256:${'cd'.repeat(32)}`, size: 10 },
      layers: [
        { mediaType: 'application/vnd.ollama.image.template', digest: `sha256:${'ef'.repeat(32)}`, size: 5 },
        { mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${hex}`, size: 1234 },
      ],
    }),
  );
  writeTinyGguf(join(root, 'blobs', `sha256-${hex}`));
}

describe('Ollama store', () => {
  it('maps manifests to their GGUF blobs with ollama-style names', async () => {
    ollamaStore(dir, 'llama3.2', '3b', HEX);
    ollamaStore(dir, 'qwen', 'latest', 'cd'.repeat(32), 'hf.co', 'someone');
    const models = await listOllamaModels(dir);
    expect(models.map((m) => m.name).sort()).toEqual(['hf.co/someone/qwen:latest', 'llama3.2:3b']);
    const llama = models.find((m) => m.name === 'llama3.2:3b');
    expect(llama).toMatchObject({ blobPath: join(dir, 'blobs', `sha256-${HEX}`), sizeBytes: 1234, sha256: HEX });
    expect((await inspectGguf(llama?.blobPath ?? '')).metadata.architecture).toBe('llama');
  });

  it('skips malformed manifests and manifests whose blob is missing, reporting why', async () => {
    ollamaStore(dir, 'good', 'latest', HEX);
    mkdirSync(join(dir, 'manifests', 'registry.ollama.ai', 'library', 'broken'), { recursive: true });
    writeFileSync(join(dir, 'manifests', 'registry.ollama.ai', 'library', 'broken', 'latest'), '{"layers": "nope"}');
    ollamaStore(dir, 'partial', 'latest', '12'.repeat(32));
    rmSync(join(dir, 'blobs', `sha256-${'12'.repeat(32)}`));
    const skipped: string[] = [];
    const models = await listOllamaModels(dir, (p) => skipped.push(p));
    expect(models.map((m) => m.name)).toEqual(['good:latest']);
    expect(skipped).toHaveLength(2);
  });

  it('a manifest with no model layer (adapter only) yields nothing; a bad digest is rejected', () => {
    expect(
      parseOllamaManifest({ layers: [{ mediaType: 'application/vnd.ollama.image.adapter', digest: `sha256:${HEX}` }] }, dir, 'x'),
    ).toBeUndefined();
    expect(() =>
      parseOllamaManifest({ layers: [{ mediaType: 'application/vnd.ollama.image.model', digest: 'sha256:../../etc' }] }, dir, 'x'),
    ).toThrow();
  });

  it('an absent store lists nothing', async () => {
    expect(await listOllamaModels(join(dir, 'none'))).toEqual([]);
  });
});

describe('gguf trees (LM Studio, Jan)', () => {
  it('lists .gguf files recursively, skipping projectors, later split parts and hidden/partial files', async () => {
    const root = join(dir, 'lms');
    mkdirSync(join(root, 'pub', 'repo'), { recursive: true });
    writeTinyGguf(join(root, 'pub', 'repo', 'model-Q4_K_M.gguf'));
    writeTinyGguf(join(root, 'pub', 'repo', 'mmproj-model-f16.gguf'));
    writeTinyGguf(join(root, 'pub', 'repo', 'big-00001-of-00002.gguf'));
    writeTinyGguf(join(root, 'pub', 'repo', 'big-00002-of-00002.gguf'));
    writeFileSync(join(root, 'pub', 'repo', 'model.gguf.part'), 'x');
    writeFileSync(join(root, 'pub', 'repo', 'README.md'), 'x');
    const found = await scanFolder({ path: root, source: 'lmstudio', layout: 'gguf-tree' });
    expect(found.map((f) => f.displayName).sort()).toEqual(['big-00001-of-00002', 'model-Q4_K_M']);
    expect(await scanFolder({ path: join(dir, 'absent'), source: 'jan', layout: 'gguf-tree' })).toEqual([]);
  });

  it('knows where LM Studio, Jan and Ollama keep models', () => {
    const linux = defaultModelFolders('/home/u', 'linux', {});
    expect(linux.map((f) => f.path)).toEqual(
      expect.arrayContaining(['/home/u/.lmstudio/models', '/home/u/.local/share/Jan/data/llamacpp/models', '/home/u/.ollama/models']),
    );
    expect(defaultModelFolders('/home/u', 'linux', { OLLAMA_MODELS: '/srv/ollama' }).find((f) => f.source === 'ollama')?.path).toBe(
      '/srv/ollama',
    );
    expect(
      defaultModelFolders('/Users/u', 'darwin', {}).some((f) => f.path === '/Users/u/Library/Application Support/Jan/data/llamacpp/models'),
    ).toBe(true);
  });
});

describe('ModelFolderWatcher', () => {
  it('picks up added and removed files in watched folders without copying them', async () => {
    const reg = await ModelRegistry.open(new MemoryModelRepository(), async (p) => (await inspectGguf(p)).metadata);
    const lms = join(dir, 'lms');
    const ollama = join(dir, 'ollama');
    mkdirSync(lms);
    ollamaStore(ollama, 'tiny', 'latest', HEX);
    const w = new ModelFolderWatcher(reg, { pollIntervalMs: 50, debounceMs: 20 });
    await w.addFolder({ path: lms, source: 'lmstudio', layout: 'gguf-tree' });
    await w.addFolder({ path: ollama, source: 'ollama', layout: 'ollama' });
    await w.start();
    try {
      expect(reg.list().map((e) => [e.source, e.displayName])).toEqual([['ollama', 'tiny:latest']]);
      const added = new Promise<void>((resolve) => {
        const off = reg.onChange((c) => {
          if (c.added.some((e) => e.displayName === 'new-model')) {
            off();
            resolve();
          }
        });
      });
      writeTinyGguf(join(lms, 'new-model.gguf'));
      await added; // via fs.watch or the poll, whichever comes first
      expect(reg.list().find((e) => e.displayName === 'new-model')?.path).toBe(join(lms, 'new-model.gguf'));
      rmSync(join(lms, 'new-model.gguf'));
      await w.rescan();
      expect(reg.list().some((e) => e.displayName === 'new-model')).toBe(false);
      await w.removeFolder(ollama);
      expect(reg.list()).toEqual([]);
    } finally {
      await w.stop();
    }
  });
});
