// Unit: the shipped model catalog is valid, and broken catalogs are rejected with CORRUPT.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { defaultCatalogPath, findCatalogEntry, loadCatalog } from '../../../main/services/models/catalog';
import { tempDir } from '../../support/temp-tree';

const shipped = defaultCatalogPath(resolve(__dirname, '../../../resources'));

describe('model catalog', () => {
  it('the shipped catalog validates; its default is the verified Qwen2.5-Coder 1.5B Instruct, and Gemma is labelled base', async () => {
    const c = await loadCatalog(shipped);
    const d = findCatalogEntry(c, c.defaultModelId);
    expect(d).toMatchObject({
      id: 'qwen2.5-coder-1.5b-instruct-q4_k_m',
      quantization: 'Q4_K_M',
      sizeBytes: 1_117_320_768,
      sizeIsApproximate: false,
      instructionTuned: true,
      license: 'Apache-2.0',
      sha256: 'cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046',
    });
    expect(findCatalogEntry(c, 'qwen2.5-coder-0.5b-instruct-q4_k_m')).toMatchObject({
      sizeBytes: 491_400_064,
      sha256: '1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32',
    });
    const gemma = findCatalogEntry(c, 'gemma-3-270m-q4_k_m');
    expect(gemma.instructionTuned).toBe(false);
    expect(gemma.name).toMatch(/base.*for tests/i);
    for (const m of c.models) {
      expect(new URL(m.url).hostname).toBe('huggingface.co');
      expect(m.url.endsWith(`/${m.fileName}`)).toBe(true);
      expect(m.license.length).toBeGreaterThan(0);
    }
    expect(() => findCatalogEntry(c, 'nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('ships the Qwen2.5-Coder licence and notice as files the catalog points at', async () => {
    const c = await loadCatalog(shipped);
    const files = findCatalogEntry(c, c.defaultModelId).licenseFiles;
    expect(files).toEqual(['licenses/qwen2.5-coder/LICENSE', 'licenses/qwen2.5-coder/NOTICE']);
    const [licence, notice] = files.map((f) => readFileSync(join(dirname(shipped), f), 'utf8'));
    expect(licence).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(licence).toMatch(/END OF TERMS AND CONDITIONS/);
    expect(notice).toMatch(/Copyright 2024 Alibaba Cloud/);
    expect(notice).toContain('cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046');
  });

  it('rejects malformed catalogs, duplicate ids and a default that is not listed', async () => {
    const { dir, cleanup } = tempDir('catalog-');
    onTestFinished(cleanup); // removed whether the test passes or fails
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
      { ...base, models: [{ ...(base.models[0] as object), licenseFiles: ['../../etc/passwd'] }] },
    ];
    for (const [i, c] of cases.entries()) {
      const p = join(dir, `c${i}.json`);
      writeFileSync(p, typeof c === 'string' ? c : JSON.stringify(c));
      await expect(loadCatalog(p)).rejects.toMatchObject({ code: 'CORRUPT' });
    }
  });
});
