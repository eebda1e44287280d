// Maps cluster profiles to and from the store's `cluster_profiles` rows (options JSON holds no secrets).
import { z } from 'zod';
import { ClusterRoleSchema } from '../../../common/cluster/roles';
import { ClusterProfileSchema, TlsOptionsSchema, type ClusterProfile, type ClusterProfileInput } from '../../../common/cluster/profile';
import type { ClusterProfile as ProfileRow } from '../../../common/store/rows';

/** What the user edits; `hasToken` is derived from the keychain. */
export type ProfileUpsert = Omit<ClusterProfileInput, 'hasToken'>;

// Key names avoid words like "token": the store refuses option keys that look like secrets.
const OptionsSchema = z.object({
  alertmanagerUrl: z.string().optional(),
  auth: z.enum(['keychain', 'none', 'oidc']).default('none'),
  /** OIDC settings; roleMap as pairs, since a claim value (a group name) could look like a secret's key name. */
  oidc: z
    .object({
      issuer: z.string(),
      clientId: z.string(),
      scopes: z.string().optional(),
      audience: z.string().optional(),
      roleClaim: z.string().optional(),
      roleMap: z.array(z.tuple([z.string(), ClusterRoleSchema])).default([]),
    })
    .optional(),
  /** refuseTokenOverHttp (named so the store does not take the key for a secret); absent = refuse (the default). */
  plainHttp: z.enum(['refuse', 'allow']).default('refuse'),
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
      auth: p.auth?.mode === 'oidc' ? 'oidc' : p.hasToken ? 'keychain' : 'none',
      ...(p.auth?.mode === 'oidc'
        ? {
            oidc: {
              issuer: p.auth.oidc.issuer,
              clientId: p.auth.oidc.clientId,
              scopes: p.auth.oidc.scopes,
              ...(p.auth.oidc.audience ? { audience: p.auth.oidc.audience } : {}),
              ...(p.auth.oidc.roleClaim ? { roleClaim: p.auth.oidc.roleClaim } : {}),
              roleMap: Object.entries(p.auth.oidc.roleMap),
            },
          }
        : {}),
      plainHttp: p.refuseTokenOverHttp ? 'refuse' : 'allow',
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
    ...(o.data.auth === 'oidc' && o.data.oidc
      ? { auth: { mode: 'oidc', oidc: { ...o.data.oidc, roleMap: Object.fromEntries(o.data.oidc.roleMap) } } }
      : { auth: { mode: o.data.auth === 'keychain' ? 'bearer' : 'none' } }),
    refuseTokenOverHttp: o.data.plainHttp === 'refuse',
    tls: o.data.tls,
    ...(o.data.requestTimeoutMs ? { requestTimeoutMs: o.data.requestTimeoutMs } : {}),
  });
  return p.success ? p.data : null;
}
