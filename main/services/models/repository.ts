// Storage for the model registry: the interface, the models.json format of earlier versions (read once by
// StoreModelRepository to import it into the encrypted store), and an in-memory one for tests.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import { RegistryEntrySchema, type RegistryEntry } from '../../../common/inference/models';

export interface ModelRepository {
  list(): Promise<RegistryEntry[]>;
  /** Replaces the whole set atomically (the registry keeps the truth in memory and persists snapshots). */
  saveAll(entries: readonly RegistryEntry[]): Promise<void>;
}

const FileSchema = z.object({ version: z.literal(1), models: z.array(RegistryEntrySchema) });

export class JsonFileModelRepository implements ModelRepository {
  constructor(private readonly file: string) {}

  async list(): Promise<RegistryEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new EvolveError('UNAVAILABLE', `Cannot read the model registry ${this.file}: ${(e as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new EvolveError('CORRUPT', `The model registry ${this.file} is not valid JSON`, { file: this.file });
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success)
      throw new EvolveError('CORRUPT', `The model registry ${this.file} has an unexpected shape`, {
        file: this.file,
        issues: parsed.error.issues.slice(0, 5),
      });
    return parsed.data.models;
  }

  async saveAll(entries: readonly RegistryEntry[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: 1, models: entries }, null, 2), { mode: 0o600 });
    await rename(tmp, this.file); // atomic: a crash never leaves half a registry
  }
}

/** For tests and for a session that should not persist. */
export class MemoryModelRepository implements ModelRepository {
  private entries: RegistryEntry[] = [];
  async list(): Promise<RegistryEntry[]> {
    return [...this.entries];
  }
  async saveAll(entries: readonly RegistryEntry[]): Promise<void> {
    this.entries = [...entries];
  }
}
