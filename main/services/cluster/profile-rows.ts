// Maps cluster profiles to and from the store's `cluster_profiles` rows (options JSON holds no secrets).
import { z } from 'zod';
import { ClusterProfileSchema, TlsOptionsSchema, type ClusterProfile, type ClusterProfileInput } from '../../../common/cluster/profile';
import type { ClusterProfile as ProfileRow } from '../../../common/store/rows';

/** What the user edits; `hasToken` is derived from the keychain. */
export type ProfileUpsert = Omit<ClusterProfileInput, 'hasToken'>;

// Key names avoid words like "token": the store refuses option keys that look like secrets.
const OptionsSchema = z.object({
  alertmanagerUrl: z.string().optional(),
  auth: z.enum(['keychain', 'none']).default('none'),
  tls: TlsOptionsSchema.default({ insecure: false }),
  requestTimeoutMs: z.number().optional(),
  removed: z.boolean().default(false),
});

export function profileToRow(p: ClusterProfile, removed: boolean): Omit<ProfileRow, 'updatedAt'> {
  return {
    id: p.id,
    name: p.name,
    dashboardUrl: p.dashboardUrl,
    prometheusUrl: p.prometheusUrl ?? null,
    options: {
      ...(p.alertmanagerUrl ? { alertmanagerUrl: p.alertmanagerUrl } : {}),
      auth: p.hasToken ? 'keychain' : 'none',
      tls: { insecure: p.tls.insecure, ...(p.tls.caFile ? { caFile: p.tls.caFile } : {}) },
      requestTimeoutMs: p.requestTimeoutMs,
      removed,
    },
  };
}

/** A row written by an older or newer app that does not parse is skipped rather than breaking the list. */
export function profileFromRow(row: ProfileRow): ClusterProfile | null {
  const o = OptionsSchema.safeParse(row.options);
  if (!o.success || o.data.removed) return null;
  const p = ClusterProfileSchema.safeParse({
    id: row.id,
    name: row.name,
    dashboardUrl: row.dashboardUrl,
    ...(row.prometheusUrl ? { prometheusUrl: row.prometheusUrl } : {}),
    ...(o.data.alertmanagerUrl ? { alertmanagerUrl: o.data.alertmanagerUrl } : {}),
    hasToken: o.data.auth === 'keychain',
    tls: o.data.tls,
    ...(o.data.requestTimeoutMs ? { requestTimeoutMs: o.data.requestTimeoutMs } : {}),
  });
  return p.success ? p.data : null;
}
