// Contract for the `securityEvents` domain: the security view over the audit log (filter, export) and syslog forwarding.
import { z } from 'zod';
import { EmptyInput } from './app';
import { call, defineDomain } from './define';

export const SECURITY_CATEGORIES = [
  'unlock-failure',
  'lockout',
  'role-denied',
  'redaction',
  'blocked-command',
  'injection',
  'token-misuse',
  'egress-refused',
] as const;
export const SecurityCategorySchema = z.enum(SECURITY_CATEGORIES);
export type SecurityCategory = z.infer<typeof SecurityCategorySchema>;

/** Ordered from most to least severe; syslog severities follow (high → 3 error … info → 6 informational). */
export const SECURITY_SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export const SecuritySeveritySchema = z.enum(SECURITY_SEVERITIES);
export type SecuritySeverity = z.infer<typeof SecuritySeveritySchema>;

const DetailValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

/** One security event, derived from one audit row (seq points back at it, so the chain still vouches for it). */
export const SecurityEventSchema = z.object({
  seq: z.number().int().positive(),
  kind: z.string().max(100),
  at: z.number().int().nonnegative(),
  severity: SecuritySeveritySchema,
  category: SecurityCategorySchema,
  summary: z.string().max(1000),
  /** Who or what acted: a token name, a remote address, a feature, "local user". */
  actor: z.string().max(300),
  details: z.record(z.string().max(100), DetailValue),
});
export type SecurityEvent = z.infer<typeof SecurityEventSchema>;

export const SecurityEventFilterSchema = z
  .object({
    categories: z.array(SecurityCategorySchema).max(SECURITY_CATEGORIES.length).optional(),
    /** This severity or worse. */
    minSeverity: SecuritySeveritySchema.optional(),
    since: z.number().int().nonnegative().optional(),
    until: z.number().int().nonnegative().optional(),
    /** Case-insensitive substring over summary, actor, kind and detail values. */
    text: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .strict()
  .refine((f) => f.since === undefined || f.until === undefined || f.since <= f.until, { message: 'since must not be after until' });
export type SecurityEventFilter = z.infer<typeof SecurityEventFilterSchema>;

export const SecurityExportInput = z.object({ format: z.enum(['json', 'csv']), filter: SecurityEventFilterSchema.optional() }).strict();

// ——— Syslog forwarding (RFC 5424 over TCP, RFC 6587 octet counting; TLS per RFC 5425) ———

/** RFC 5424 APP-NAME: 1–48 printable US-ASCII characters, no space. */
export const SyslogAppNameSchema = z.string().regex(/^[\x21-\x7e]{1,48}$/, '1–48 printable ASCII characters, no spaces');

export const SyslogSettingsSchema = z
  .object({
    enabled: z.boolean(),
    host: z
      .string()
      .trim()
      .max(253)
      .regex(/^$|^[A-Za-z0-9.-]+$|^[0-9A-Fa-f:.]+$/, 'a host name or address'),
    port: z.number().int().min(1).max(65535),
    tls: z.boolean(),
    /** PEM of a private CA the receiver's certificate chains to; verification stays on either way. */
    caPem: z
      .string()
      .max(65_536)
      .regex(/^$|-----BEGIN CERTIFICATE-----/, 'a PEM certificate'),
    appName: SyslogAppNameSchema,
  })
  .strict()
  .refine((s) => !s.enabled || s.host.length > 0, { message: 'host: enter the syslog host to turn forwarding on', path: ['host'] });
export type SyslogSettings = z.infer<typeof SyslogSettingsSchema>;

export const DEFAULT_SYSLOG_SETTINGS: SyslogSettings = {
  enabled: false,
  host: '',
  port: 6514,
  tls: true,
  caPem: '',
  appName: 'evolve-studio',
};

export const SyslogStatusSchema = z.object({
  enabled: z.boolean(),
  connected: z.boolean(),
  queued: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  /** Events dropped because the bounded queue was full while the receiver was unreachable. */
  dropped: z.number().int().nonnegative(),
  lastError: z.string().max(1000).nullable(),
  /** When the next connection attempt is due (ms since epoch), while disconnected. */
  retryAt: z.number().int().nullable(),
});
export type SyslogStatus = z.infer<typeof SyslogStatusSchema>;

export const securityEventsContract = defineDomain('securityEvents', {
  /** Security events from the audit log, newest first, filtered. */
  list: call({ input: SecurityEventFilterSchema, output: z.array(SecurityEventSchema), doc: 'List security events.' }),
  /** Writes the filtered events as JSON or CSV into the data directory's exports folder. */
  export: call({
    input: SecurityExportInput,
    output: z.object({ path: z.string(), count: z.number().int() }),
    doc: 'Export security events.',
  }),
  /** Syslog forwarding settings (stored in the encrypted store; every change is audited). */
  syslogGet: call({ input: EmptyInput, output: SyslogSettingsSchema, doc: 'Read syslog forwarding settings.' }),
  syslogSet: call({ input: SyslogSettingsSchema, output: SyslogSettingsSchema, doc: 'Save syslog forwarding settings.' }),
  syslogStatus: call({ input: EmptyInput, output: SyslogStatusSchema, doc: 'Syslog forwarder state.' }),
  /** Sends one test event to the configured receiver and waits until it is written to the socket. */
  syslogTest: call({ input: EmptyInput, output: z.object({ ok: z.literal(true), bytes: z.number().int() }), doc: 'Send a test message.' }),
});
