// Model ids a person can read: catalog id when the file is a catalog model, else the file name without .gguf;
// aliases (file name, name without quantization, registry id). Pure, so the naming rules are unit-testable.
import { basename } from 'node:path';
import type { CatalogEntry, RegistryEntry } from '../../../common/inference/models';
import type { ServedModel } from './backend';

const QUANT_SUFFIX = /[-_.](q\d(_[a-z0-9]+)*|iq\d(_[a-z0-9]+)*|f16|bf16|f32)$/i;
// Where two registered files share a name, the one the app manages wins the plain id.
const SOURCE_RANK: Record<RegistryEntry['source'], number> = {
  cache: 0,
  download: 1,
  imported: 2,
  folder: 3,
  lmstudio: 4,
  jan: 5,
  ollama: 6,
};

export const normalizeId = (s: string) => s.trim().toLowerCase();

export function servedModels(
  entries: readonly RegistryEntry[],
  catalog: readonly CatalogEntry[],
  loadedIds: ReadonlySet<string>,
): ServedModel[] {
  const byFile = new Map(catalog.map((c) => [c.fileName.toLowerCase(), c]));
  const usable = entries
    .filter((e) => !e.error && e.metadata)
    .sort((a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || a.addedAt - b.addedAt);
  const taken = new Set<string>();
  const out: ServedModel[] = [];
  for (const e of usable) {
    const file = basename(e.path);
    const cat = byFile.get(file.toLowerCase());
    let id = normalizeId(cat?.id ?? file.replace(/\.gguf$/i, ''));
    if (taken.has(id)) id = `${id}@${e.source}`;
    if (taken.has(id)) id = `${id}-${e.id.slice(0, 6)}`;
    taken.add(id);
    const aliases = new Set<string>([normalizeId(file), e.id]);
    const short = id.replace(QUANT_SUFFIX, '');
    if (short !== id && !taken.has(short)) aliases.add(short);
    aliases.delete(id);
    const md = e.metadata;
    out.push({
      id,
      aliases: [...aliases],
      displayName: cat?.name ?? e.displayName,
      kind: 'llm',
      sizeBytes: e.sizeBytes,
      addedAt: e.addedAt,
      ...(md?.architecture ? { architecture: md.architecture } : {}),
      ...(md?.quantization ? { quantization: md.quantization } : {}),
      ...((cat?.parameters ?? md?.sizeLabel) ? { parameters: cat?.parameters ?? md?.sizeLabel } : {}),
      ...(md?.contextLength ? { contextLength: md.contextLength } : {}),
      ...(md?.chatTemplate ? { chatTemplate: md.chatTemplate } : {}),
      hasChatTemplate: md?.hasChatTemplate ?? false,
      ...(md?.fim ? { fim: md.fim.supported } : {}),
      loaded: loadedIds.has(e.id),
    });
  }
  // A short alias must not shadow another model's id.
  for (const m of out) m.aliases = m.aliases.filter((a) => !taken.has(a) || a === m.id);
  return out;
}

/** Exact id first, then aliases (case-insensitive); undefined when nothing matches. */
export function findModel(models: readonly ServedModel[], name: string): ServedModel | undefined {
  // Ollama clients add the default tag.
  const n = normalizeId(name).replace(/:latest$/, '');
  return models.find((m) => m.id === n) ?? models.find((m) => m.aliases.includes(n) || m.aliases.includes(name));
}
