// Reads the licence and notice files the app ships for a catalog model (resources/models/licenses/…), for the Models view.
import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { EvolveError } from '../../../common/errors';
import type { CatalogEntry } from '../../../common/inference/models';

/** Licence texts are a few KB; anything much larger is not one (and is not sent to the page). */
const MAX_BYTES = 256 * 1024;

export interface LicenseTexts {
  catalogId: string;
  license: string;
  files: { name: string; text: string }[];
}

/** `modelsDir` is resources/models. The catalog schema already keeps paths inside it; this checks again after resolving. */
export async function readLicenseTexts(modelsDir: string, entry: CatalogEntry): Promise<LicenseTexts> {
  const root = resolve(modelsDir);
  const files: LicenseTexts['files'] = [];
  for (const rel of entry.licenseFiles) {
    const p = resolve(join(root, rel));
    if (relative(root, p).startsWith('..') || !p.startsWith(root + sep))
      throw new EvolveError('INVALID_ARGUMENT', `Licence file ${rel} is outside the models resources`);
    const st = await stat(p).catch(() => null);
    if (!st?.isFile())
      throw new EvolveError('NOT_FOUND', `The licence file ${rel} of ${entry.name} is missing from this installation`, { path: p });
    if (st.size > MAX_BYTES)
      throw new EvolveError('CORRUPT', `The licence file ${rel} of ${entry.name} is ${st.size} bytes, too large to be one`);
    files.push({ name: basename(p), text: await readFile(p, 'utf8') });
  }
  return { catalogId: entry.id, license: entry.license, files };
}
