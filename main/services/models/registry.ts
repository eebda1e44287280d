// The model registry: every GGUF the app knows (cache, imports, watched LM Studio/Jan/Ollama folders), with its
// metadata or the reason it cannot be read. Files are referenced in place, never copied.
import { createHash } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { ModelMetadata, ModelSource, RegistryEntry, SpeculationProbe } from '../../../common/inference/models';
import type { ModelRepository } from './repository';

export type ReadMetadata = (path: string) => Promise<ModelMetadata>;

export interface RegistryChange {
  added: RegistryEntry[];
  removed: RegistryEntry[];
  updated: RegistryEntry[];
}

/** Id from the resolved path: the same file reached through two folders or a symlink is one model. */
export function modelIdFor(resolvedPath: string): string {
  return createHash('sha256').update(resolvedPath).digest('hex').slice(0, 16);
}

export class ModelRegistry {
  private readonly entries = new Map<string, RegistryEntry>();
  private readonly listeners = new Set<(c: RegistryChange) => void>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly repo: ModelRepository,
    private readonly readMetadata: ReadMetadata,
    private readonly now: () => number,
  ) {}

  static async open(repo: ModelRepository, readMetadata: ReadMetadata, now: () => number = Date.now): Promise<ModelRegistry> {
    const r = new ModelRegistry(repo, readMetadata, now);
    for (const e of await repo.list()) r.entries.set(e.id, e);
    return r;
  }

  onChange(cb: (c: RegistryChange) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  list(): RegistryEntry[] {
    return [...this.entries.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  get(id: string): RegistryEntry {
    const e = this.entries.get(id);
    if (!e) throw new EvolveError('NOT_FOUND', `No model with id ${id}`);
    return e;
  }

  /**
   * Adds (or refreshes) one file. A corrupt file is still registered, with its error, so the user sees why it
   * cannot be used; a missing file is NOT_FOUND.
   */
  async importFile(path: string, source: ModelSource = 'imported', displayName?: string): Promise<RegistryEntry> {
    const change: RegistryChange = { added: [], removed: [], updated: [] };
    const entry = await this.upsert(path, source, displayName, change);
    await this.commit(change);
    return entry;
  }

  async remove(id: string): Promise<void> {
    const e = this.get(id);
    this.entries.delete(id);
    await this.commit({ added: [], removed: [e], updated: [] });
  }

  setOverrides(id: string, overrides: RegistryEntry['overrides']): Promise<RegistryEntry> {
    return this.patch(id, { overrides });
  }

  /** Records a speculative-decoding measurement; a changed file drops it (see upsert). */
  setSpeculationProbe(id: string, speculationProbe: SpeculationProbe): Promise<RegistryEntry> {
    return this.patch(id, { speculationProbe });
  }

  private async patch(id: string, fields: Partial<Pick<RegistryEntry, 'overrides' | 'speculationProbe'>>): Promise<RegistryEntry> {
    const e = { ...this.get(id), ...fields };
    this.entries.set(id, e);
    await this.commit({ added: [], removed: [], updated: [e] });
    return e;
  }

  /**
   * Makes the entries of `source` equal to `found` (a folder scan): new files are added, vanished ones removed,
   * changed ones (size/mtime) re-read. Entries of other sources are untouched.
   */
  async syncSource(source: ModelSource, found: readonly { path: string; displayName: string }[]): Promise<RegistryChange> {
    const change: RegistryChange = { added: [], removed: [], updated: [] };
    const seen = new Set<string>();
    for (const f of found) {
      try {
        const e = await this.upsert(f.path, source, f.displayName, change);
        seen.add(e.id);
      } catch {
        // Vanished between scan and stat: the next scan settles it.
      }
    }
    for (const e of [...this.entries.values()]) {
      if (e.source === source && !seen.has(e.id)) {
        this.entries.delete(e.id);
        change.removed.push(e);
      }
    }
    await this.commit(change);
    return change;
  }

  private async upsert(path: string, source: ModelSource, displayName: string | undefined, change: RegistryChange): Promise<RegistryEntry> {
    let resolved: string;
    let st;
    try {
      resolved = await realpath(path);
      st = await stat(resolved);
    } catch {
      throw new EvolveError('NOT_FOUND', `Model file not found: ${path}`, { path });
    }
    if (!st.isFile()) throw new EvolveError('INVALID_ARGUMENT', `${path} is not a file`);
    const id = modelIdFor(resolved);
    const prev = this.entries.get(id);
    // Unchanged files are not re-read, unless their metadata predates the abilities the app now shows (FIM tokens).
    const stale = prev?.metadata !== undefined && prev.metadata.fim === undefined;
    if (prev && prev.sizeBytes === st.size && prev.mtimeMs === st.mtimeMs && !stale) return prev;
    let metadata: ModelMetadata | undefined;
    let error: RegistryEntry['error'];
    try {
      metadata = await this.readMetadata(resolved);
    } catch (e) {
      const info = toErrorInfo(e);
      error = { code: info.code, message: info.message };
    }
    const entry: RegistryEntry = {
      id,
      path: resolved,
      displayName: displayName ?? prev?.displayName ?? metadata?.name ?? basename(resolved).replace(/\.gguf$/i, ''),
      // A file already known from a watched app folder keeps that source, so "remove folder" removes it.
      source: prev && prev.source !== 'imported' ? prev.source : source,
      sizeBytes: st.size,
      mtimeMs: st.mtimeMs,
      metadata,
      error,
      sha256: prev?.sha256,
      addedAt: prev?.addedAt ?? this.now(),
      overrides: prev?.overrides,
      // speculationProbe is left behind on purpose: it measured the previous bytes of this file.
    };
    this.entries.set(id, entry);
    (prev ? change.updated : change.added).push(entry);
    return entry;
  }

  private async commit(change: RegistryChange): Promise<void> {
    if (!change.added.length && !change.removed.length && !change.updated.length) return;
    const snapshot = this.list();
    // Serialise writes so an older snapshot never lands after a newer one.
    const write = this.writes.then(() => this.repo.saveAll(snapshot));
    this.writes = write.catch(() => undefined); // one failed write must not poison the ones after it
    await write;
    for (const cb of this.listeners) cb(change);
  }
}
