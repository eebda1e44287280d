// Contract for the `settings` domain: user preferences that survive a restart (theme, last section, …).
import { z } from 'zod';
import { SectionSchema, EmptyInput } from './app';
import { call, defineDomain } from './define';
import { DEFAULT_MAX_ROUNDS, DEFAULT_SAMPLES, MaxRoundsSchema, SamplesSchema } from '../codegen/engine';
import { DEFAULT_JOB_HISTORY_RETENTION, JobHistoryRetentionSchema } from './job-logs';

export const ThemeSchema = z.enum(['system', 'light', 'dark']);

/** Every feature that opens outbound connections; each has its own list of destinations allowed while offline-only is on. */
export const EGRESS_FEATURES = ['providers', 'model-downloads', 'cluster', 'notifications', 'syslog'] as const;
/** How each feature is named in refusals and in Settings → Privacy → Allowed destinations (one wording for both). */
export const EGRESS_FEATURE_LABELS: Record<(typeof EGRESS_FEATURES)[number], string> = {
  providers: 'AI providers',
  'model-downloads': 'Model downloads',
  cluster: 'Cluster (Ray, Prometheus, Alertmanager)',
  notifications: 'Notifications (Slack, e-mail)',
  syslog: 'Security event forwarding (syslog)',
};
/** "host", "host:port", "*.domain" (any subdomain), "[v6]:port" or an address literal. */
export const EgressDestinationSchema = z
  .string()
  .trim()
  .min(1)
  .max(260)
  .regex(/^(?:\*\.)?[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$|^[0-9A-Fa-f:.]+$/, 'host, host:port or *.domain');
const DestinationList = z.array(EgressDestinationSchema).max(50);
export const EgressAllowSchema = z.object({
  providers: DestinationList,
  'model-downloads': DestinationList,
  cluster: DestinationList,
  notifications: DestinationList,
  /** Added later than the others: settings files written before it lack the key. */
  syslog: DestinationList.default([]),
});
export type EgressAllow = z.infer<typeof EgressAllowSchema>;

/** How the Code section's ask panel generates: candidates (k) and repair rounds (N) per request. */
export const CodegenSettingsSchema = z.object({ samples: SamplesSchema, maxRounds: MaxRoundsSchema });
export type CodegenSettings = z.infer<typeof CodegenSettingsSchema>;

export const SettingsSchema = z.object({
  theme: ThemeSchema,
  lastSection: SectionSchema,
  /** Nothing leaves the machine when true (enforced where sockets are made, for every feature). */
  offlineOnly: z.boolean(),
  /** Per feature, destinations that may still be reached while offline-only is on (e.g. cluster: "ray.lab:8265"). */
  egressAllow: EgressAllowSchema,
  /** Preferred inference threads; 'auto' measures at first load. */
  inferenceThreads: z.union([z.literal('auto'), z.number().int().min(1).max(256)]),
  /** Automatic encrypted backups every N hours (0 = off); the newest 7 are kept. */
  backupEveryHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30),
  /** Ghost-text completion in the Code editor (the local coding model's FIM path). */
  inlineCompletion: z.boolean(),
  /** Job history kept for N days and/or the newest N jobs (0 = off); applied at startup, daily and on change. */
  jobHistoryRetention: JobHistoryRetentionSchema,
  /**
   * PEM file of a private CA trusted for model downloads besides the system roots (a company mirror of Hugging Face);
   * read at each download, null = system roots only. Verification is never turned off.
   */
  modelDownloadCaFile: z.string().trim().min(1).max(4096).nullable(),
  /** Candidates and repair rounds of a generation asked from the Code section (the CLI has its own flags). */
  codegen: CodegenSettingsSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  lastSection: 'assistant',
  offlineOnly: true,
  egressAllow: { providers: [], 'model-downloads': [], cluster: [], notifications: [], syslog: [] },
  inferenceThreads: 'auto',
  backupEveryHours: 24,
  inlineCompletion: true,
  jobHistoryRetention: DEFAULT_JOB_HISTORY_RETENTION,
  modelDownloadCaFile: null,
  codegen: { samples: DEFAULT_SAMPLES, maxRounds: DEFAULT_MAX_ROUNDS },
};

export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const settingsContract = defineDomain('settings', {
  /** All settings, defaults filled in. */
  get: call({ input: EmptyInput, output: SettingsSchema, doc: 'Read all settings.' }),
  /** Merge a partial update, persist it and return the new settings. */
  update: call({ input: SettingsPatchSchema, output: SettingsSchema, doc: 'Update some settings.' }),
});
