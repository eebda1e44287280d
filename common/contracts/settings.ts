// Contract for the `settings` domain: user preferences that survive a restart (theme, last section, …).
import { z } from 'zod';
import { SectionSchema, EmptyInput } from './app';
import { call, defineDomain } from './define';

export const ThemeSchema = z.enum(['system', 'light', 'dark']);

export const SettingsSchema = z.object({
  theme: ThemeSchema,
  lastSection: SectionSchema,
  /** Nothing leaves the machine when true (enforced by the provider router). */
  offlineOnly: z.boolean(),
  /** Preferred inference threads; 'auto' measures at first load. */
  inferenceThreads: z.union([z.literal('auto'), z.number().int().min(1).max(256)]),
  /** Automatic encrypted backups every N hours (0 = off); the newest 7 are kept. */
  backupEveryHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  lastSection: 'assistant',
  offlineOnly: true,
  inferenceThreads: 'auto',
  backupEveryHours: 24,
};

export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const settingsContract = defineDomain('settings', {
  /** All settings, defaults filled in. */
  get: call({ input: EmptyInput, output: SettingsSchema, doc: 'Read all settings.' }),
  /** Merge a partial update, persist it and return the new settings. */
  update: call({ input: SettingsPatchSchema, output: SettingsSchema, doc: 'Update some settings.' }),
});
