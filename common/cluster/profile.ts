// Cluster profile: where the Ray dashboard, Prometheus and Alertmanager live, and how to talk to them (no secrets).
import { z } from 'zod';
import { ClusterAuthSchema, type AuthMode } from './auth';

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL')
  .transform((u) => u.replace(/\/+$/, ''));

export const TlsOptionsSchema = z
  .object({
    /** PEM file with the CA that signed the dashboard's certificate (self-signed clusters). */
    caFile: z.string().min(1).optional(),
    /** Skip certificate checks; the UI must warn when this is on. */
    insecure: z.boolean().default(false),
  })
  .strict();
export type TlsOptions = z.output<typeof TlsOptionsSchema>;

export const ClusterProfileSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only'),
    name: z.string().min(1).max(120),
    dashboardUrl: httpUrl,
    prometheusUrl: httpUrl.optional(),
    alertmanagerUrl: httpUrl.optional(),
    /** True when a bearer token is kept in the keychain under this profile's id; the token itself never lives here. */
    hasToken: z.boolean().default(false),
    tls: TlsOptionsSchema.default({ insecure: false }),
    requestTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
    /** How requests authenticate; absent = a bearer token when hasToken, else none (profiles made before sign-in existed). */
    auth: ClusterAuthSchema.optional(),
    /**
     * Refuse to send a token to an http:// URL on a non-loopback host (the request fails before anything is sent).
     * On by default: a bearer token over plain HTTP on a network is readable by anyone on the path. Loopback http
     * (a local Ray, an SSH tunnel) never leaves the machine, so it is allowed either way, with a warning.
     */
    refuseTokenOverHttp: z.boolean().default(true),
  })
  .strict();
export type ClusterProfile = z.output<typeof ClusterProfileSchema>;

/** The profile's auth mode, with the pre-sign-in default (a keychain token means bearer). */
export const authModeOf = (p: Pick<ClusterProfile, 'auth' | 'hasToken'>): AuthMode => p.auth?.mode ?? (p.hasToken ? 'bearer' : 'none');
export type ClusterProfileInput = z.input<typeof ClusterProfileSchema>;
