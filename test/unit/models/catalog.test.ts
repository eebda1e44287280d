// Unit: the shipped model catalog is valid, and broken catalogs are rejected with CORRUPT.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalogPath, findCatalogEntry, loadCatalog } from '../../../main/services/models/catalog';

const shipped = defaultCatalogPath(resolve(__dirname, '../../../resources'));

describe('model catalog', () => {
  it('the shipped catalog validates; its default is the verified Gemma 3 270M base model', async () => {
    const c = await loadCatalog(shipped);
    const d = findCatalogEntry(c, c.defaultModelId);
    expect(d).toMatchObject({
      quantization: 'Q4_K_M',
      sizeBytes: 253113024,
      instructionTuned: false,
      sha256: 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818',
    });
    for (const m of c.models) {
      expect(new URL(m.url).hostname).toBe('huggingface.co');
      expect(m.url.endsWith(`/${m.fileName}`)).toBe(true);
      expect(m.license.length).toBeGreaterThan(0);
    }
    expect(() => findCatalogEntry(c, 'nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('rejects malformed catalogs, duplicate ids and a default that is not listed', async () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'catalog-'));
    const base = JSON.parse(await import('node:fs/promises').then((f) => f.readFile(shipped, 'utf8'))) as {
      defaultModelId: string;
      models: unknown[];
    };
    const cases: unknown[] = [
      '{nope',
      { ...base, version: 2 },
      { ...base, models: [...base.models, base.models[0]] },
      { ...base, defaultModelId: 'missing' },
      { ...base, models: [{ ...(base.models[0] as object), url: 'not a url' }] },
    ];
    for (const [i, c] of cases.entries()) {
      const p = join(dir, `c${i}.json`);
      writeFileSync(p, typeof c === 'string' ? c : JSON.stringify(c));
      await expect(loadCatalog(p)).rejects.toMatchObject({ code: 'CORRUPT' });
    }
  });
});
