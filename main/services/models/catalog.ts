// Loads and validates the catalog of recommended models (resources/models/catalog.json).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EvolveError } from '../../../common/errors';
import { CatalogSchema, type Catalog, type CatalogEntry } from '../../../common/inference/models';

export function defaultCatalogPath(resourcesDir: string): string {
  return join(resourcesDir, 'models', 'catalog.json');
}

export async function loadCatalog(path: string): Promise<Catalog> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new EvolveError('CORRUPT', `Model catalog ${path} could not be read: ${(e as Error).message}`);
  }
  const parsed = CatalogSchema.safeParse(json);
  if (!parsed.success) throw new EvolveError('CORRUPT', `Model catalog ${path} is invalid`, { issues: parsed.error.issues.slice(0, 5) });
  const ids = new Set<string>();
  for (const m of parsed.data.models) {
    if (ids.has(m.id)) throw new EvolveError('CORRUPT', `Model catalog ${path} lists ${m.id} twice`);
    ids.add(m.id);
  }
  if (!ids.has(parsed.data.defaultModelId))
    throw new EvolveError('CORRUPT', `Model catalog default ${parsed.data.defaultModelId} is not in the list`);
  return parsed.data;
}

export function findCatalogEntry(catalog: Catalog, id: string): CatalogEntry {
  const e = catalog.models.find((m) => m.id === id);
  if (!e) throw new EvolveError('NOT_FOUND', `No catalog model ${id}`);
  return e;
}
