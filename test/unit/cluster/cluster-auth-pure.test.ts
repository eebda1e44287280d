// The pure parts of cluster sign-in: JWT decoding and the refresh margin, claims → role, the http:// token rule, expiry
// text, and profile rows that keep the OIDC settings and the http setting without anything the store takes for a secret.
import { describe, expect, it } from 'vitest';
import { expiryText } from '../../../common/cluster/auth';
import { ClusterProfileSchema as RowSchema } from '../../../common/store/rows';
import { parseProfile } from '../../../main/services/cluster';
import { roleFromClaims } from '../../../main/services/cluster/auth/claims-role';
import { isLoopbackHost, judgeTokenUrl } from '../../../main/services/cluster/auth/http-policy';
import { decodeJwt, jwtExpiresAt, needsRefresh } from '../../../main/services/cluster/auth/jwt';
import { readSession, sessionFrom } from '../../../main/services/cluster/auth/session';
import { profileFromRow, profileToRow } from '../../../main/services/cluster/profile-rows';

const jwt = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('jwt', () => {
  it('decodes the payload and exp; opaque or broken tokens are null', () => {
    expect(decodeJwt(jwt({ sub: 'a', exp: 100 }))).toMatchObject({ sub: 'a', exp: 100 });
    expect(jwtExpiresAt(jwt({ exp: 100 }))).toBe(100_000);
    expect(decodeJwt('opaque-token')).toBeNull();
    expect(decodeJwt('a.!!!.c')).toBeNull();
    expect(jwtExpiresAt(jwt({ sub: 'no-exp' }))).toBeUndefined();
  });

  it('refreshes at 60 s or 10 % of the lifetime left, at most half the lifetime', () => {
    const now = 1_000_000_000;
    // 1 h token: margin 6 min
    expect(needsRefresh(now + 7 * 60_000, now - 53 * 60_000, now)).toBe(false);
    expect(needsRefresh(now + 5 * 60_000, now - 55 * 60_000, now)).toBe(true);
    // 5 min token: margin 60 s
    expect(needsRefresh(now + 61_000, now - 239_000, now)).toBe(false);
    expect(needsRefresh(now + 59_000, now - 241_000, now)).toBe(true);
    // 10 s token: margin 5 s, so it is not renewed on every request
    expect(needsRefresh(now + 6_000, now - 4_000, now)).toBe(false);
    expect(needsRefresh(now + 4_000, now - 6_000, now)).toBe(true);
    expect(needsRefresh(undefined, now, now)).toBe(false);
  });
});

describe('roleFromClaims', () => {
  const map = { roleClaim: 'groups', roleMap: { viewers: 'viewer', ops: 'operator', admins: 'admin' } } as const;
  it('maps the highest matching value; no match or no claims is viewer; no roleClaim is null', () => {
    expect(roleFromClaims(map, { groups: ['viewers', 'ops'] })).toBe('operator');
    expect(roleFromClaims(map, { groups: ['admins', 'viewers'] })).toBe('admin');
    expect(roleFromClaims(map, { groups: ['other'] })).toBe('viewer');
    expect(roleFromClaims(map, null)).toBe('viewer');
    expect(roleFromClaims({ roleMap: {} }, { groups: ['admins'] })).toBeNull();
  });
  it('reads space-separated strings and nested (Keycloak) claims', () => {
    expect(roleFromClaims({ roleClaim: 'roles', roleMap: { admins: 'admin' } }, { roles: 'x admins' })).toBe('admin');
    expect(roleFromClaims({ roleClaim: 'realm_access.roles', roleMap: { ops: 'operator' } }, { realm_access: { roles: ['ops'] } })).toBe(
      'operator',
    );
  });
});

describe('tokens over http', () => {
  it('https always, loopback http always, network http refused unless allowed', () => {
    expect(judgeTokenUrl('https://ray.example', true)).toBe('https');
    expect(judgeTokenUrl('http://127.0.0.1:8265', true)).toBe('loopback-http');
    expect(judgeTokenUrl('http://[::1]:8265', true)).toBe('loopback-http');
    expect(judgeTokenUrl('http://localhost:8265', true)).toBe('loopback-http');
    expect(judgeTokenUrl('http://10.0.0.5:8265', true)).toBe('http-refused');
    expect(judgeTokenUrl('http://10.0.0.5:8265', false)).toBe('http-allowed');
    expect(isLoopbackHost('127.evil.example')).toBe(false);
  });
  it('expiry text', () => {
    expect(expiryText(3 * 3600_000, 0)).toBe('expires in 3 h');
    expect(expiryText(0, 5 * 60_000)).toBe('expired 5 min ago');
  });
});

describe('session and profile rows', () => {
  it('a session from another issuer or a corrupt secret counts as none', async () => {
    const s = sessionFrom({ access_token: jwt({ exp: 2_000 }), refresh_token: 'r' }, 'https://a', 'c', null, 1_000_000);
    const m = new Map([['cluster:p:oidc', JSON.stringify(s)]]);
    const port = { get: async (k: string) => m.get(k), set: async () => undefined, delete: async () => undefined };
    expect(await readSession(port, 'p', 'https://a', 'c')).toEqual(s);
    expect(await readSession(port, 'p', 'https://b', 'c')).toBeNull();
    m.set('cluster:p:oidc', '{not json');
    expect(await readSession(port, 'p', 'https://a', 'c')).toBeNull();
  });

  it('OIDC settings and the http setting round-trip through a store row the store accepts', () => {
    const p = parseProfile({
      id: 'lab',
      name: 'Lab',
      dashboardUrl: 'https://ray.example',
      refuseTokenOverHttp: false,
      auth: {
        mode: 'oidc',
        oidc: { issuer: 'https://idp.example', clientId: 'evolve', roleClaim: 'groups', roleMap: { 'token-admins': 'admin' } },
      },
    });
    const row = { ...profileToRow(p, false), updatedAt: 1 };
    expect(RowSchema.safeParse(row).success).toBe(true); // a group named "token-admins" is not taken for a secret key
    expect(profileFromRow(row)).toEqual(p);
    const legacy = profileFromRow({ ...row, options: { auth: 'keychain', tls: { insecure: false } } });
    expect(legacy).toMatchObject({ hasToken: true, auth: { mode: 'bearer' }, refuseTokenOverHttp: true });
  });
});
