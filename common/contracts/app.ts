// Contract for the `app` domain: what the running app is (version, platform, dirs, backends) and the
// app-level event stream (navigation requests from the menu, worker crash notices).
import { z } from 'zod';
import { call, defineDomain, stream } from './define';

export const BackendStateSchema = z.object({
  /** ready: usable now · degraded: usable with limits · unavailable: not usable here · pending: arrives with a later feature. */
  state: z.enum(['ready', 'degraded', 'unavailable', 'pending']),
  /** One readable line: what backs it, or why it is not available. */
  detail: z.string(),
});
export type BackendState = z.infer<typeof BackendStateSchema>;

export const AppStatusSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'host']),
  platform: z.string(),
  arch: z.string(),
  versions: z.object({ node: z.string(), electron: z.string().nullable(), chrome: z.string().nullable() }),
  dataDir: z.string(),
  modelCacheDir: z.string(),
  startedAt: z.string(),
  backends: z.object({
    inference: BackendStateSchema,
    database: BackendStateSchema,
    keychain: BackendStateSchema,
    cluster: BackendStateSchema,
  }),
  /** What uses the machine's cores now: interactive work pre-empts background work, which the user can pause. */
  work: z.object({
    interactive: z.array(z.string()),
    background: z.array(z.object({ id: z.string(), label: z.string(), state: z.enum(['running', 'waiting', 'paused']) })),
    paused: z.boolean(),
  }),
});
export type AppStatus = z.infer<typeof AppStatusSchema>;

export const SECTIONS = ['assistant', 'projects', 'code', 'models', 'cluster', 'audit', 'settings'] as const;
export const SectionSchema = z.enum(SECTIONS);
export type Section = z.infer<typeof SectionSchema>;

export const AppEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('navigate'), section: SectionSchema }),
  z.object({
    type: z.literal('worker-crashed'),
    worker: z.string(),
    reason: z.string(),
    restarting: z.boolean(),
  }),
  z.object({ type: z.literal('worker-ready'), worker: z.string() }),
  /** Something the user should know about now (a training job failed, an alert fired). */
  z.object({ type: z.literal('notification'), title: z.string().max(300), body: z.string().max(2000) }),
  /** A project's index run ended (the watcher's included): lists refresh their counts and state. */
  z.object({ type: z.literal('project-indexed'), projectId: z.string(), phase: z.enum(['done', 'cancelled', 'error']) }),
]);
export type AppEvent = z.infer<typeof AppEventSchema>;

export const EmptyInput = z.object({}).strict();

export const LogLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);
export const LogEntrySchema = z.object({
  time: z.string(),
  level: LogLevelSchema,
  msg: z.string(),
  scope: z.string().optional(),
  data: z.unknown().optional(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export const appContract = defineDomain('app', {
  /** The app's version, platform, data directories and the state of each backend. */
  status: call({ input: EmptyInput, output: AppStatusSchema, doc: 'Version, platform, data dirs and backend states.' }),
  /** Pauses or resumes all background work (indexing, embeddings, scheduled backups); interactive work is never paused. */
  pauseBackground: call({
    input: z.object({ paused: z.boolean() }).strict(),
    output: z.object({ paused: z.boolean() }),
    doc: 'Pause or resume background work.',
  }),
  /** The newest lines of the app log (secrets already redacted when written), for Settings → Diagnostics. */
  logs: call({
    input: z.object({ limit: z.number().int().min(1).max(5000).default(300), minLevel: LogLevelSchema.default('info') }).strict(),
    output: z.object({ file: z.string().nullable(), entries: z.array(LogEntrySchema) }),
    doc: 'Recent app log entries (newest last).',
  }),
  /** App-level events for as long as the page is open; cancel to unsubscribe. */
  events: stream({
    input: EmptyInput,
    event: AppEventSchema,
    output: z.object({ delivered: z.number().int().nonnegative() }),
    doc: 'Menu navigation and worker crash/ready notices, pushed to the page.',
  }),
});
