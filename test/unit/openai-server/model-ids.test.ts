// Model ids a person can read: catalog ids for catalog files, file names otherwise, aliases, and no collisions.
import { describe, expect, it } from 'vitest';
import type { CatalogEntry, RegistryEntry } from '../../../common/inference/models';
import { findModel, servedModels } from '../../../main/services/openai-server/model-ids';

const md = {
  sizeBytes: 1,
  ggufVersion: 3,
  architecture: 'qwen2',
  parameterCount: 1,
  quantization: 'Q4_K_M',
  layerCount: 1,
  tensorCount: 1,
  hasChatTemplate: true,
};
const entry = (id: string, path: string, source: RegistryEntry['source'] = 'cache', extra: Partial<RegistryEntry> = {}): RegistryEntry => ({
  id,
  path,
  displayName: path,
  source,
  sizeBytes: 1,
  mtimeMs: 0,
  metadata: { ...md, path },
  addedAt: 0,
  ...extra,
});
const catalog = [
  {
    id: 'qwen2.5-coder-0.5b-instruct-q4_k_m',
    name: 'Qwen Coder 0.5B',
    fileName: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf',
    parameters: '0.5B',
  },
] as CatalogEntry[];

describe('served model ids', () => {
  it('uses the catalog id, the file name and a quantization-free alias; resolves them case-insensitively and with :latest', () => {
    const models = servedModels(
      [entry('aaaa', '/m/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf'), entry('bbbb', '/lm/Llama-3.2-3B-Instruct-Q4_K_M.gguf', 'lmstudio')],
      catalog,
      new Set(['bbbb']),
    );
    expect(models.map((m) => m.id)).toEqual(['qwen2.5-coder-0.5b-instruct-q4_k_m', 'llama-3.2-3b-instruct-q4_k_m']);
    expect(models[0]).toMatchObject({ displayName: 'Qwen Coder 0.5B', parameters: '0.5B', loaded: false });
    expect(models[1]?.loaded).toBe(true);
    expect(findModel(models, 'Qwen2.5-Coder-0.5B-Instruct')?.id).toBe('qwen2.5-coder-0.5b-instruct-q4_k_m');
    expect(findModel(models, 'llama-3.2-3b-instruct-q4_k_m:latest')?.id).toBe('llama-3.2-3b-instruct-q4_k_m');
    expect(findModel(models, 'Llama-3.2-3B-Instruct-Q4_K_M.gguf')?.id).toBe('llama-3.2-3b-instruct-q4_k_m');
    expect(findModel(models, 'bbbb')?.id).toBe('llama-3.2-3b-instruct-q4_k_m');
    expect(findModel(models, 'gpt-4')).toBeUndefined();
  });

  it('gives the app-managed copy the plain id when two folders hold the same file name, and skips unreadable files', () => {
    const models = servedModels(
      [
        entry('o1', '/ollama/x.gguf', 'ollama'),
        entry('c1', '/cache/x.gguf', 'cache'),
        entry('bad', '/cache/broken.gguf', 'cache', { metadata: undefined, error: { code: 'CORRUPT', message: 'bad magic' } }),
      ],
      [],
      new Set(),
    );
    expect(models.map((m) => [m.id, m.aliases.includes(m.id === 'x' ? 'c1' : 'o1')])).toEqual([
      ['x', true],
      ['x@ollama', true],
    ]);
  });
});
