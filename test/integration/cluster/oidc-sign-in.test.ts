// Cluster sign-in against a real OpenID Provider (oidc-provider on 127.0.0.1): device-code flow (approve, deny, expiry,
// slow_down, cancel), refresh before expiry seen by a stand-in dashboard, revoked refresh → sign in again, roles from
// claims through the real role guard's seam, and a token never reaching a refused http:// server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceCodePrompt } from '../../../common/cluster/auth';
import type { ClusterProfile } from '../../../common/cluster/profile';
import { parseProfileForTest } from './oidc-sign-in.helpers';
import { ClusterAuth } from '../../../main/services/cluster/auth/cluster-auth';
import { oidcSessionAccount } from '../../../main/services/cluster/auth/session';
import { decodeJwt } from '../../../main/services/cluster/auth/jwt';
import { createClusterServices, clusterTokenAccount } from '../../../main/services/cluster';
import { MemoryJobRepository } from '../../../main/services/cluster/job-repository';
import { MemoryAuditSink } from '../../../main/services/cluster/audit';
import { httpRequest } from '../../../main/services/cluster/http';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc-provider';
import { EvolveError } from '../../../common/errors';
import { ClusterRoles, type ClusterRolesOptions } from '../../../main/services/cluster/roles/role-service';
import os from 'node:os';
import { configureProcessEgress } from '../../../main/platform/egress';

/** A stand-in for the Ray dashboard behind the proxy: records every Authorization header it gets. */
async function startDashboard(host = '127.0.0.1') {
  const seen: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ray_version: '2.40.0', version: '4' }));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${host}:${port}`, port, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function memorySecrets() {
  const m = new Map<string, string>();
  return {
    m,
    port: {
      get: async (a: string) => m.get(a),
      set: async (a: string, v: string) => void m.set(a, v),
      delete: async (a: string) => void m.delete(a),
    },
  };
}

let idp: TestOidcProvider;
let dash: Awaited<ReturnType<typeof startDashboard>>;

beforeAll(async () => {
  idp = await startOidcProvider({ accessTokenTtlS: 5, deviceCodeTtlS: 60, intervalS: 1 });
  dash = await startDashboard();
});
afterAll(async () => {
  await idp.close();
  await dash.close();
});

function setup(extra: { roleClaim?: string; deviceTtl?: number } = {}) {
  const secrets = memorySecrets();
  const audit: { profileId: string; event: string; subject?: string; detail?: string }[] = [];
  const auth = new ClusterAuth({
    secrets: secrets.port,
    audit: async (e) => void audit.push(e),
    bearerAccount: clusterTokenAccount,
  });
  const profile = parseProfileForTest({
    id: 'gpu-a',
    name: 'GPU A',
    dashboardUrl: dash.url,
    auth: {
      mode: 'oidc',
      oidc: {
        issuer: idp.issuer,
        clientId: idp.clientId,
        audience: idp.audience,
        ...(extra.roleClaim ? { roleClaim: extra.roleClaim, roleMap: { 'ml-admins': 'admin', 'ml-viewers': 'viewer' } } : {}),
      },
    },
  });
  return { secrets, audit, auth, profile };
}

/** The profile's real cluster services (the Ray client's target is what every request goes through). */
const services = (
  t: { auth: ClusterAuth; profile: ClusterProfile },
  getSecret: (a: string) => Promise<string | undefined> = async () => undefined,
) =>
  createClusterServices(t.profile, {
    getSecret,
    auth: t.auth,
    repo: new MemoryJobRepository(),
    audit: new MemoryAuditSink(),
    trainingDir: '/nonexistent',
  });

/** Signs in, approving (or denying) the code from the prompt the way a user at the verification page would. */
async function signIn(t: ReturnType<typeof setup>, act: (p: DeviceCodePrompt) => Promise<void>, signal = new AbortController().signal) {
  let prompt: DeviceCodePrompt | undefined;
  const done = t.auth.signIn(
    t.profile,
    (p) => {
      prompt = p;
      void act(p);
    },
    signal,
  );
  const status = await done;
  return { status, prompt };
}

describe('OIDC device-code sign-in against oidc-provider', () => {
  afterEach(() => idp.slowDownNext(0));

  it('signs in: shows the code and URL, stores the tokens only in the keychain, audits who', async () => {
    const t = setup();
    const { status, prompt } = await signIn(t, (p) => idp.approve(p.userCode, 'alice'));
    expect(prompt?.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(prompt?.verificationUri).toBe(`${idp.issuer}/device`);
    expect(prompt?.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(status).toMatchObject({ signedIn: true, mode: 'oidc', subject: 'alice', email: 'alice@example.test', canRefresh: true });
    expect(status.expiresAt).toBeGreaterThan(Date.now());
    const stored = JSON.parse(t.secrets.m.get(oidcSessionAccount('gpu-a')) ?? '{}') as Record<string, string>;
    expect(decodeJwt(stored.accessToken ?? '')?.aud).toBe(idp.audience);
    expect(stored.refreshToken).toBeTruthy();
    expect(t.audit.map((a) => a.event)).toEqual(['sign-in']);
    expect(JSON.stringify(t.audit)).not.toContain(stored.accessToken);
    expect(JSON.stringify(t.audit)).not.toContain(stored.refreshToken);
  });

  it('a denied code is UNAUTHENTICATED, stores nothing, and is audited', async () => {
    const t = setup();
    const err = await signIn(t, (p) => idp.deny(p.userCode)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvolveError);
    expect((err as EvolveError).code).toBe('UNAUTHENTICATED');
    expect((err as EvolveError).message).toMatch(/denied/);
    expect(t.secrets.m.size).toBe(0);
    expect(t.audit.map((a) => a.event)).toEqual(['sign-in-failed']);
  });

  it('a code nobody approves expires: TIMEOUT "sign in again"', async () => {
    const short = await startOidcProvider({ deviceCodeTtlS: 2, intervalS: 1 });
    try {
      const t = setup();
      const profile = parseProfileForTest({
        ...t.profile,
        auth: { mode: 'oidc', oidc: { issuer: short.issuer, clientId: short.clientId } },
      });
      const err = await t.auth.signIn(profile, () => undefined, new AbortController().signal).catch((e: unknown) => e);
      expect((err as EvolveError).code).toBe('TIMEOUT');
      expect((err as EvolveError).message).toMatch(/expired/);
      expect(t.secrets.m.size).toBe(0);
    } finally {
      await short.close();
    }
  });

  it('slow_down makes the client wait longer before the next poll', async () => {
    const t = setup();
    const before = idp.tokenRequests.length;
    idp.slowDownNext(1);
    const { status } = await signIn(t, async (p) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await idp.approve(p.userCode, 'alice');
    });
    expect(status.signedIn).toBe(true);
    const polls = idp.tokenRequests.slice(before);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    // interval 1 s + 5 s after slow_down (RFC 8628 §3.5)
    expect((polls[1] ?? 0) - (polls[0] ?? 0)).toBeGreaterThanOrEqual(5_500);
  }, 20_000);

  it('cancel stops polling with CANCELLED', async () => {
    const t = setup();
    const ac = new AbortController();
    const err = await t.auth.signIn(t.profile, () => setTimeout(() => ac.abort(), 300), ac.signal).catch((e: unknown) => e);
    expect((err as EvolveError).code).toBe('CANCELLED');
    expect(t.secrets.m.size).toBe(0);
  });

  it('refreshes before expiry: the dashboard gets the new token, one refresh for concurrent requests', async () => {
    const t = setup();
    await signIn(t, (p) => idp.approve(p.userCode, 'alice'));
    const s = services(t);
    const first = dash.seen.length;
    const refreshesBefore = idp.refreshes();
    await httpRequest(s.ray.target, { path: '/api/version' });
    const firstToken = dash.seen.at(-1);
    expect(firstToken).toMatch(/^Bearer ey/);
    expect(idp.refreshes()).toBe(refreshesBefore); // a fresh 5 s token is used as it is
    // Half the lifetime has passed (the margin for a 5 s token): three requests at once renew it once, all carry the new one.
    await new Promise((r) => setTimeout(r, 2_700));
    await Promise.all([1, 2, 3].map(() => httpRequest(s.ray.target, { path: '/api/version' })));
    expect(idp.refreshes() - refreshesBefore).toBe(1);
    const after = dash.seen.slice(first + 1);
    expect(after).toHaveLength(3);
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe(firstToken);
    expect(decodeJwt((after[0] ?? '').slice(7))?.exp).toBeGreaterThan(decodeJwt((firstToken ?? '').slice(7))?.exp ?? Infinity);
  });

  it('a revoked refresh token ends the sign-in: UNAUTHENTICATED "sign in again", audited, nothing sent', async () => {
    const t = setup();
    await signIn(t, (p) => idp.approve(p.userCode, 'alice'));
    await idp.revokeAll();
    await new Promise((r) => setTimeout(r, 5_200)); // the 5 s access token lapses
    const s = services(t);
    const before = dash.seen.length;
    const err = await httpRequest(s.ray.target, { path: '/api/version' }).catch((e: unknown) => e);
    expect((err as EvolveError).code).toBe('UNAUTHENTICATED');
    expect((err as EvolveError).message).toMatch(/sign in again/);
    expect(dash.seen.length).toBe(before);
    expect(t.audit.map((a) => a.event)).toContain('refresh-failed');
  }, 15_000);

  it('roles from claims: the groups claim maps to a role; signed out is viewer', async () => {
    const t = setup({ roleClaim: 'groups' });
    expect(await t.auth.roleFromClaims(t.profile)).toBe('viewer');
    await signIn(t, (p) => idp.approve(p.userCode, 'victor'));
    expect(await t.auth.roleFromClaims(t.profile)).toBe('viewer');
    const t2 = setup({ roleClaim: 'groups' });
    await signIn(t2, (p) => idp.approve(p.userCode, 'alice'));
    expect(await t2.auth.roleFromClaims(t2.profile)).toBe('admin');
    expect((await t2.auth.status(t2.profile)).roleFromClaims).toBe('admin');
    // The real guard: a viewer claim cannot submit (FORBIDDEN, audited), and nobody raises a claims role locally.
    const rows: unknown[] = [];
    const store = {
      assertReady: () => undefined,
      client: { call: async () => [] },
      audit: { record: async (e: unknown) => void rows.push(e) },
    };
    const viewerRoles = new ClusterRoles({
      store: store as unknown as ClusterRolesOptions['store'],
      jobProfile: async () => null,
      roleFromClaims: async (id) => (id === t.profile.id ? t.auth.roleFromClaims(t.profile) : null),
    });
    const denied = await viewerRoles.requireRole(t.profile.id, 'operator', 'job.submit').catch((e: unknown) => e);
    expect((denied as EvolveError).code).toBe('FORBIDDEN');
    expect(rows).toEqual([expect.objectContaining({ kind: 'cluster.role-denied', data: expect.objectContaining({ role: 'viewer' }) })]);
    expect(
      ((await viewerRoles.setRole(t.profile.id, 'admin', { passphrase: 'x', code: '' }).catch((e: unknown) => e)) as EvolveError).code,
    ).toBe('CONFLICT');
    await t2.auth.signOut(t2.profile);
    expect(t2.secrets.m.size).toBe(0);
    expect(await t2.auth.roleFromClaims(t2.profile)).toBe('viewer');
  });
});

/** This machine's first non-loopback IPv4 address (a LAN-facing "dashboard" for the http:// refusal), if it has one. */
const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe.skipIf(!lanAddress)('tokens and plain http:// on the network', () => {
  const bearer =
    'eyJhbGciOiJub25lIn0.' +
    Buffer.from(JSON.stringify({ sub: 'ci', exp: Math.floor(Date.now() / 1000) + 3 * 3600 })).toString('base64url') +
    '.x';
  let lan: Awaited<ReturnType<typeof startDashboard>>;
  beforeAll(async () => {
    lan = await startDashboard('0.0.0.0');
    // Offline-only stays on, with this one LAN host allowed: so a refusal below is the token rule's, not the egress guard's.
    configureProcessEgress(() => ({ offlineOnly: true, allow: { cluster: [`${lanAddress}:${lan.port}`] } }));
  });
  afterAll(async () => {
    configureProcessEgress(() => ({ offlineOnly: true }));
    await lan.close();
  });

  const bearerSetup = (refuse: boolean) => {
    const t = setup();
    const profile = parseProfileForTest({
      id: 'lan',
      name: 'LAN',
      dashboardUrl: `http://${lanAddress}:${lan.port}`,
      hasToken: true,
      refuseTokenOverHttp: refuse,
    });
    t.secrets.m.set(clusterTokenAccount('lan'), bearer);
    return { ...t, profile, s: services({ auth: t.auth, profile }, t.secrets.port.get) };
  };

  it('refused by default: FORBIDDEN before anything is sent, audited', async () => {
    const t = bearerSetup(true);
    const before = lan.seen.length;
    const err = await httpRequest(t.s.ray.target, { path: '/api/version' }).catch((e: unknown) => e);
    expect((err as EvolveError).code).toBe('FORBIDDEN');
    expect((err as EvolveError).message).toMatch(/plain http/);
    expect(lan.seen.length).toBe(before); // the server saw no request at all, so no token
    expect(t.audit).toEqual([expect.objectContaining({ event: 'token-over-http-refused', profileId: 'lan' })]);
    const st = await t.auth.status(t.profile);
    expect(st).toMatchObject({ mode: 'bearer', signedIn: true, subject: 'ci', httpRefused: true, expired: false });
    expect(st.httpUrls).toEqual([t.profile.dashboardUrl]);
  });

  it('allowed when the profile says so: sent, and audited once (not per request)', async () => {
    const t = bearerSetup(false);
    await httpRequest(t.s.ray.target, { path: '/api/version' });
    await httpRequest(t.s.ray.target, { path: '/api/version' });
    expect(lan.seen.slice(-2)).toEqual([`Bearer ${bearer}`, `Bearer ${bearer}`]);
    expect(t.audit.map((a) => a.event)).toEqual(['token-over-http-sent']);
  });

  it('loopback http is not refused (the token never leaves the machine)', async () => {
    const t = bearerSetup(true);
    const profile = parseProfileForTest({ ...t.profile, dashboardUrl: `http://127.0.0.1:${lan.port}` });
    const s = services({ auth: t.auth, profile }, async () => bearer);
    await httpRequest(s.ray.target, { path: '/api/version' });
    expect(lan.seen.at(-1)).toBe(`Bearer ${bearer}`);
    expect(t.audit).toEqual([]);
  });
});
