// The model registry in the encrypted store (the `models` table, model.* requests). The first open imports a
// models.json left by earlier versions (plaintext in the data dir), then deletes it.
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import { RegistryEntrySchema, type RegistryEntry } from '../../../common/inference/models';
import { canonicalJson } from '../../../common/store/audit';
import type { Json, ModelEntry } from '../../../common/store/rows';
import type { StoreParams } from '../../../common/store/requests';
import type { StoreCaller } from '../providers/config-store';
import { JsonFileModelRepository, type ModelRepository } from './repository';

/** The store as this repository needs it: requests, and a check that it is unlocked. */
export interface ModelStore {
  client: StoreCaller;
  assertReady(): void;
}

/**
 * A row keeps the whole entry under params.entry (so it round-trips exactly) and copies the fields a person
 * reading the database with a SQLCipher client would look for into the columns.
 */
export function toModelRow(e: RegistryEntry): StoreParams<'model.upsert'> {
  return {
    id: e.id,
    name: (e.displayName || e.id).slice(0, 500),
    path: e.path,
    format: 'gguf',
    sizeBytes: e.sizeBytes,
    sha256: e.sha256 ?? null,
    // Through JSON once: optional fields that are undefined are dropped, as a JSON column would.
    params: { entry: JSON.parse(JSON.stringify(e)) as Json },
  };
}

/** The entry back from a row; null when it no longer validates (reported by the caller, never guessed at). */
export function fromModelRow(r: ModelEntry): RegistryEntry | null {
  const p = r.params;
  const raw = p && typeof p === 'object' && !Array.isArray(p) ? p['entry'] : undefined;
  const parsed = RegistryEntrySchema.safeParse(raw);
  return parsed.success && parsed.data.id === r.id ? parsed.data : null;
}

export class StoreModelRepository implements ModelRepository {
  /** What the store holds, as last read or written (id → canonical JSON of the row): saveAll writes only the difference. */
  private readonly saved = new Map<string, string>();

  constructor(
    private readonly store: ModelStore,
    /** models.json of earlier versions, imported once and then deleted. */
    private readonly legacyFile: string | null,
    private readonly log: (level: 'info' | 'warn', msg: string) => void = () => {},
  ) {}

  async list(): Promise<RegistryEntry[]> {
    this.store.assertReady();
    const rows = await this.store.client.call('model.list', {});
    const entries: RegistryEntry[] = [];
    const invalid: string[] = [];
    this.saved.clear();
    for (const r of rows) {
      const e = fromModelRow(r);
      if (!e) {
        invalid.push(r.id);
        continue;
      }
      entries.push(e);
      this.saved.set(e.id, canonicalJson(toModelRow(e)));
    }
    if (invalid.length) this.log('warn', `stored model entries no longer valid, kept but not shown: ${invalid.join(', ')}`);
    return this.legacyFile ? this.importLegacy(this.legacyFile, entries) : entries;
  }

  /** Entries of models.json that the store does not have yet are added; the store wins where both have an id. */
  private async importLegacy(file: string, current: RegistryEntry[]): Promise<RegistryEntry[]> {
    if (!existsSync(file)) return current;
    let legacy: RegistryEntry[];
    try {
      legacy = await new JsonFileModelRepository(file).list();
    } catch (e) {
      // Unreadable: kept aside for the user, never silently dropped; the registry rescans its folders anyway.
      const aside = `${file}.corrupt-${Date.now()}`;
      await rename(file, aside).catch(() => {});
      this.log('warn', `${file} could not be imported (${toErrorInfo(e).message}); kept as ${aside}`);
      return current;
    }
    const known = new Set(current.map((e) => e.id));
    const merged = [...current, ...legacy.filter((e) => !known.has(e.id))];
    if (merged.length > current.length) await this.saveAll(merged);
    await rm(file, { force: true });
    this.log('info', `model registry moved from ${file} into the encrypted store (${merged.length - current.length} entries imported)`);
    return merged;
  }

  async saveAll(entries: readonly RegistryEntry[]): Promise<void> {
    this.store.assertReady();
    const next = new Map(entries.map((e) => [e.id, toModelRow(e)] as const));
    if (next.size !== entries.length) throw new EvolveError('INVALID_ARGUMENT', 'Two model entries share an id');
    for (const [id, row] of next) {
      const text = canonicalJson(row);
      if (this.saved.get(id) === text) continue;
      await this.store.client.call('model.upsert', row);
      this.saved.set(id, text);
    }
    for (const id of [...this.saved.keys()]) {
      if (next.has(id)) continue;
      await this.store.client.call('model.remove', { id });
      this.saved.delete(id);
    }
  }
}
