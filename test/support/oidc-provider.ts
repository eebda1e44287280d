// A real OpenID Provider (oidc-provider) on 127.0.0.1 for cluster sign-in tests: device flow on, a public client,
// JWT access tokens with a short lifetime (to exercise refresh), users whose device codes the test approves or denies
// through the provider's own models (what its verification pages do), and a switch to answer polls with slow_down.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestUser {
  email: string;
  groups: string[];
}

export interface TestOidcOptions {
  clientId?: string;
  /** Access token lifetime in seconds (default 5). */
  accessTokenTtlS?: number;
  /** Device code lifetime in seconds (default 60). */
  deviceCodeTtlS?: number;
  /** `interval` the device authorization answer asks for, in seconds (default 1; the provider itself sends none). */
  intervalS?: number;
  audience?: string;
  users?: Record<string, TestUser>;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  audience: string;
  /** Approves the pending device code `userCode` as `accountId` (what the verification page does after login+consent). */
  approve(userCode: string, accountId: string): Promise<void>;
  /** Denies it (the user pressed "Cancel" on the verification page). */
  deny(userCode: string): Promise<void>;
  /** Answers the next `n` token requests with slow_down (RFC 8628 §3.5), as a rate-limiting server would. */
  slowDownNext(n: number): void;
  /** Times (ms since epoch) of every POST to the token endpoint. */
  tokenRequests: number[];
  /** How many refresh_token grants succeeded. */
  refreshes(): number;
  /** Revokes every grant (and so every refresh token): the next refresh fails with invalid_grant. */
  revokeAll(): Promise<void>;
  close(): Promise<void>;
}

const normalize = (userCode: string) => userCode.toUpperCase().replace(/[^A-Z0-9]/g, '');

export async function startOidcProvider(opts: TestOidcOptions = {}): Promise<TestOidcProvider> {
  const clientId = opts.clientId ?? 'evolve-studio';
  const audience = opts.audience ?? 'https://ray-proxy.test';
  const users: Record<string, TestUser> = opts.users ?? {
    alice: { email: 'alice@example.test', groups: ['ml-admins'] },
    victor: { email: 'victor@example.test', groups: ['ml-viewers'] },
  };
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const grants = new Set<string>();
  let refreshCount = 0;
  let slowDown = 0;
  const tokenRequests: number[] = [];

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: ['evolve-test-cookie-key'] },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'cluster',
          audience,
          accessTokenTTL: opts.accessTokenTtlS ?? 5,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email'], groups: ['groups'] },
    findAccount: (_ctx, id) =>
      users[id] ? { accountId: id, claims: () => ({ sub: id, email: users[id]?.email, groups: users[id]?.groups }) } : undefined,
    // The groups claim goes into the access token too: that is what the cluster's proxy (and the app's roles) read.
    extraTokenClaims: (_ctx, token) => {
      const id = (token as { accountId?: string }).accountId;
      return id && users[id] ? { groups: users[id].groups, email: users[id].email } : undefined;
    },
    ttl: {
      AccessToken: opts.accessTokenTtlS ?? 5,
      DeviceCode: opts.deviceCodeTtlS ?? 60,
      RefreshToken: 3600,
      IdToken: 3600,
      Grant: 3600,
      Session: 3600,
      Interaction: 600,
    },
    rotateRefreshToken: true,
  });
  provider.on('grant.success', (ctx) => {
    if ((ctx as { oidc?: { params?: { grant_type?: string } } }).oidc?.params?.grant_type === 'refresh_token') refreshCount++;
  });
  // RFC 8628 servers tell clients how often to poll; oidc-provider sends no `interval` (clients then wait 5 s).
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/token') {
      tokenRequests.push(Date.now());
      if (slowDown > 0) {
        slowDown--;
        ctx.status = 400;
        ctx.body = { error: 'slow_down', error_description: 'polling too fast' };
        return;
      }
    }
    await next();
    if (ctx.path === '/device/auth' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object')
      (ctx.body as Record<string, unknown>).interval = opts.intervalS ?? 1;
  });
  server.on('request', provider.callback());

  const findCode = async (userCode: string) => {
    const code = await provider.DeviceCode.findByUserCode(normalize(userCode));
    if (!code) throw new Error(`no pending device code ${userCode}`);
    return code;
  };

  return {
    issuer,
    clientId,
    audience,
    tokenRequests,
    refreshes: () => refreshCount,
    async approve(userCode, accountId) {
      const code = await findCode(userCode);
      const scope = String((code.params as Record<string, unknown>)?.scope ?? 'openid');
      const grant = new provider.Grant({ accountId, clientId });
      grant.addOIDCScope(scope);
      grant.addResourceScope(audience, 'cluster');
      const grantId = await grant.save();
      grants.add(grantId);
      Object.assign(code, { accountId, grantId, scope, authTime: Math.floor(Date.now() / 1000), resource: audience });
      await code.save();
    },
    async deny(userCode) {
      const code = await findCode(userCode);
      Object.assign(code, { error: 'access_denied', errorDescription: 'End-User aborted interaction' });
      await code.save();
    },
    slowDownNext(n) {
      slowDown = n;
    },
    async revokeAll() {
      for (const id of grants) {
        const g = await provider.Grant.find(id);
        await g?.destroy();
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
