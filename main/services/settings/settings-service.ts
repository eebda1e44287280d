// User settings persisted as JSON in the data dir (moves into the encrypted store once it lands);
// every change is validated, written atomically and announced to listeners.
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings, type SettingsPatch } from '../../../common/contracts/settings';
import { readJsonOr, writeJsonAtomic } from '../json-file';
import { Sequencer } from '../../../common/base/sequencer';

// Tolerant on read: unknown keys are dropped and a bad field falls back to its default, instead of
// throwing away every setting because one was hand-edited wrongly.
const StoredSettingsSchema = z.record(z.string(), z.unknown());

export class SettingsService {
  private cache: Settings | undefined;
  private readonly listeners = new Set<(s: Settings, changed: (keyof Settings)[]) => void>();
  private readonly writes = new Sequencer();

  constructor(
    private readonly file: string,
    private readonly onWarning: (msg: string) => void = () => {},
  ) {}

  static inDataDir(dataDir: string, onWarning?: (msg: string) => void): SettingsService {
    return new SettingsService(path.join(dataDir, 'settings.json'), onWarning);
  }

  async get(): Promise<Settings> {
    if (this.cache) return this.cache;
    const raw = await readJsonOr(this.file, StoredSettingsSchema, {}, this.onWarning);
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      if (!(key in raw)) continue;
      const field = SettingsSchema.shape[key].safeParse(raw[key]);
      if (field.success) merged[key] = field.data;
      else this.onWarning(`settings.${key} was invalid and reset to its default`);
    }
    this.cache = SettingsSchema.parse(merged);
    return this.cache;
  }

  /** Read-modify-write, one at a time: two quick updates can neither lose each other nor land out of order. */
  update(patch: SettingsPatch): Promise<Settings> {
    return this.writes.queue(async () => {
      const current = await this.get();
      const next = SettingsSchema.parse({ ...current, ...patch });
      const changed = (Object.keys(patch) as (keyof Settings)[]).filter((k) => current[k] !== next[k]);
      await writeJsonAtomic(this.file, next);
      this.cache = next;
      if (changed.length > 0) for (const cb of this.listeners) cb(next, changed);
      return next;
    });
  }

  onChange(cb: (s: Settings, changed: (keyof Settings)[]) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
}
