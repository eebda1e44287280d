// Which installed model chat and the router use by default: the catalog's coding model when it is installed, else the
// best fallback (another coding model, any instruction-tuned one, any base one) with a label that says so.
import type { CatalogEntry, RegistryEntry } from './models';

export type DefaultModelReason = 'catalog-default' | 'coding-model' | 'instruct-model' | 'base-model';

export interface DefaultModelChoice {
  entry: RegistryEntry;
  reason: DefaultModelReason;
  /** What the user sees next to the model picker: which model and, for a fallback, why. */
  label: string;
}

export interface CatalogView {
  defaultModelId: string;
  models: readonly CatalogEntry[];
}

const baseName = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1).toLowerCase();

/**
 * The catalog entry an installed file is, by file name — and by exact size when the catalog knows it, so a different
 * file that happens to share the name is not taken for the catalog model (and shown its licence).
 */
export function catalogEntryFor(
  entry: Pick<RegistryEntry, 'path' | 'sizeBytes'>,
  catalog: readonly CatalogEntry[],
): CatalogEntry | undefined {
  const name = baseName(entry.path);
  return catalog.find((c) => c.fileName.toLowerCase() === name && (c.sizeIsApproximate || c.sizeBytes === entry.sizeBytes));
}

/** `loadedIds` breaks ties: of two equally good models (or one file seen in two folders) the loaded one wins. */
export function chooseDefaultModel(
  models: readonly RegistryEntry[],
  catalog: CatalogView,
  loadedIds: readonly string[] = [],
): DefaultModelChoice | undefined {
  const usable = models.filter((m) => !m.error);
  const best = (pred: (m: RegistryEntry) => boolean) => {
    const all = usable.filter(pred);
    return all.find((m) => loadedIds.includes(m.id)) ?? all[0];
  };
  const wanted = catalog.models.find((c) => c.id === catalog.defaultModelId);
  const wantedName = wanted?.name ?? catalog.defaultModelId;
  const missing = `the default coding model (${wantedName}) is not installed — run bash scripts/models/setup-coding-model.sh or download it in Models`;

  const byDefault = best((m) => catalogEntryFor(m, catalog.models)?.id === catalog.defaultModelId);
  if (byDefault) return { entry: byDefault, reason: 'catalog-default', label: `${byDefault.displayName} (default coding model)` };

  const coding = best((m) => {
    const c = catalogEntryFor(m, catalog.models);
    return c !== undefined && c.instructionTuned && c.recommendedFor.includes('coding') && m.metadata?.hasChatTemplate !== false;
  });
  if (coding) return { entry: coding, reason: 'coding-model', label: `${coding.displayName} (fallback: ${missing})` };

  const instruct = best((m) => m.metadata?.hasChatTemplate === true);
  if (instruct) return { entry: instruct, reason: 'instruct-model', label: `${instruct.displayName} (fallback: ${missing})` };

  const any = best(() => true);
  if (any)
    return {
      entry: any,
      reason: 'base-model',
      label: `${any.displayName} (base model: it continues text and does not follow instructions; ${missing})`,
    };
  return undefined;
}
