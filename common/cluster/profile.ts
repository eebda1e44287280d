// Cluster profile: where the Ray dashboard, Prometheus and Alertmanager live, and how to talk to them (no secrets).
import { z } from 'zod';

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
  })
  .strict();
export type ClusterProfile = z.output<typeof ClusterProfileSchema>;
export type ClusterProfileInput = z.input<typeof ClusterProfileSchema>;
