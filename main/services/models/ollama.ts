// Finds the GGUF weights inside an Ollama model store: manifests (JSON) name a model layer whose digest is a
// `blobs/sha256-<hex>` file, which is a plain GGUF we can load in place without copying.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';

const LayerSchema = z.object({
  mediaType: z.string(),
  digest: z.string().regex(/^sha256[:-][0-9a-f]{64}$/),
  size: z.number().int().nonnegative().optional(),
});
export const OllamaManifestSchema = z.object({
  schemaVersion: z.number().optional(),
  mediaType: z.string().optional(),
  layers: z.array(LayerSchema),
});

export const OLLAMA_MODEL_MEDIA_TYPE = 'application/vnd.ollama.image.model';

export interface OllamaModel {
  /** e.g. "llama3.2:3b" or "hf.co/user/repo:Q4_K_M". */
  name: string;
  blobPath: string;
  sizeBytes: number | undefined;
  sha256: string;
}

/** Parses one manifest; returns the model layer's blob, or undefined when the manifest has none (e.g. adapters only). */
export function parseOllamaManifest(json: unknown, storeRoot: string, name: string): OllamaModel | undefined {
  const m = OllamaManifestSchema.parse(json);
  const layer = m.layers.find((l) => l.mediaType === OLLAMA_MODEL_MEDIA_TYPE);
  if (!layer) return undefined;
  const hex = layer.digest.slice('sha256:'.length);
  return { name, blobPath: join(storeRoot, 'blobs', `sha256-${hex}`), sizeBytes: layer.size, sha256: hex };
}

/**
 * Lists the models of an Ollama store (`~/.ollama/models` by default): walks manifests/<host>/<ns>/<model>/<tag>.
 * Unreadable or malformed manifests are skipped (reported through `onSkip`), never fatal.
 */
export async function listOllamaModels(storeRoot: string, onSkip?: (path: string, why: string) => void): Promise<OllamaModel[]> {
  const manifestsRoot = join(storeRoot, 'manifests');
  const files: string[] = [];
  await walk(manifestsRoot, 0, files);
  const out: OllamaModel[] = [];
  for (const file of files) {
    try {
      const parts = relative(manifestsRoot, file).split(sep);
      // host/namespace/model/tag; the default library is shown the way `ollama list` shows it.
      const [host, ns, ...rest] = parts;
      const tag = rest.pop();
      const model = rest.join('/');
      const prefix = host === 'registry.ollama.ai' && ns === 'library' ? '' : `${host}/${ns}/`;
      const name = `${prefix}${model}:${tag}`;
      const parsed = parseOllamaManifest(JSON.parse(await readFile(file, 'utf8')), storeRoot, name);
      if (!parsed) continue;
      await stat(parsed.blobPath); // manifest without its blob (partial pull): skip
      out.push(parsed);
    } catch (e) {
      onSkip?.(file, e instanceof Error ? e.message : String(e));
    }
  }
  return out;
}

async function walk(dir: string, depth: number, out: string[]): Promise<void> {
  if (depth > 6) return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // no store here
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, depth + 1, out);
    else if (e.isFile()) out.push(p);
  }
}
