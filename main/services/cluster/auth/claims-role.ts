// The role a profile's OIDC claims grant: the claim named in the profile (a string or a list, e.g. `groups`) mapped
// through its roleMap; the highest match wins and no match is viewer (the identity provider owns the role, so a
// missing mapping must not fall back to the locally stored one, which might be higher).
import { roleAllows, type ClusterRole } from '../../../../common/cluster/roles';
import type { OidcSettings } from '../../../../common/cluster/auth';
import type { JwtClaims } from './jwt';

/** Reads a claim by name; a dotted name walks nested objects (Keycloak's `realm_access.roles`) when no flat claim has it. */
function claimValues(claims: JwtClaims, name: string): string[] {
  let v: unknown = (claims as Record<string, unknown>)[name];
  if (v === undefined && name.includes('.')) {
    v = name.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), claims);
  }
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** null when the profile maps no claim to roles (the stored role applies); else the mapped role (viewer at least). */
export function roleFromClaims(settings: Pick<OidcSettings, 'roleClaim' | 'roleMap'>, claims: JwtClaims | null): ClusterRole | null {
  if (!settings.roleClaim) return null;
  let best: ClusterRole = 'viewer';
  for (const value of claims ? claimValues(claims, settings.roleClaim) : []) {
    const role = settings.roleMap[value];
    if (role && roleAllows(role, best)) best = role;
  }
  return best;
}
