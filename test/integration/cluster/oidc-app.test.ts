// Cluster sign-in through the real app: IPC dispatcher, encrypted store, keychain, role guard. An OIDC profile saved
// through the form's contract, the signIn stream (code event → approve → signed in), a viewer claim that cannot submit
// nor raise itself, tokens only in the keychain (not in profile rows or the audit), and sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStatus, DeviceCodePrompt } from '../../../common/cluster/auth';
import type { Result } from '../../../common/result';
import { oidcSessionAccount } from '../../../main/services/cluster/auth/session';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc-provider';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices;
let idp: TestOidcProvider;
beforeAll(async () => {
  idp = await startOidcProvider({ accessTokenTtlS: 300, intervalS: 1 });
  t = await startTempServices();
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
  await idp?.close();
});

const call = (channel: string, input: unknown): Promise<Result<unknown>> => t.dispatcher.call(`evolve:${channel}`, input, ctx());
async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await call(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

describe('OIDC sign-in through the app', () => {
  it('signs in over the stream, takes the role from claims, keeps tokens out of the database, signs out', async () => {
    await ok('cluster.upsertProfile', {
      profile: {
        id: 'idp-lab',
        name: 'IdP lab',
        dashboardUrl: 'http://127.0.0.1:9',
        auth: {
          mode: 'oidc',
          oidc: {
            issuer: idp.issuer,
            clientId: idp.clientId,
            audience: idp.audience,
            roleClaim: 'groups',
            roleMap: { 'ml-admins': 'admin' },
          },
        },
      },
    });
    // Signed out, an IdP-owned role is viewer (the creator's stored admin does not apply).
    const before = await ok<{ roles: { profileId: string; role: string }[] }>('clusterRoles.list', {});
    expect(before.roles.find((r) => r.profileId === 'idp-lab')?.role).toBe('viewer');

    const prompts: DeviceCodePrompt[] = [];
    const r = await t.dispatcher.stream('evolve:cluster.signIn', { profileId: 'idp-lab' }, ctx(), async (e) => {
      prompts.push(e as DeviceCodePrompt);
      await idp.approve((e as DeviceCodePrompt).userCode, 'victor');
    });
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    expect(prompts).toHaveLength(1);
    expect((r as { value: AuthStatus }).value).toMatchObject({ signedIn: true, subject: 'victor', roleFromClaims: 'viewer' });
    expect(await ok('cluster.authStatus', { profileId: 'idp-lab' })).toMatchObject({ signedIn: true, email: 'victor@example.test' });

    // A viewer by claim cannot submit, and cannot raise itself locally.
    const submit = await call('cluster.submit', { profileId: 'idp-lab', config: { max_steps: 1 } });
    expect(!submit.ok && submit.error.code).toBe('FORBIDDEN');
    const raise = await call('clusterRoles.set', { profileId: 'idp-lab', role: 'admin', proof: { passphrase: 'x', code: '' } });
    expect(!raise.ok && raise.error.code).toBe('CONFLICT');

    // Tokens: in the keychain only.
    const secret = await t.services.store.getSecret(oidcSessionAccount('idp-lab'), 'test');
    const session = JSON.parse(secret ?? '{}') as { accessToken: string; refreshToken: string };
    expect(session.accessToken).toMatch(/^ey/);
    const rows = JSON.stringify(await t.services.store.client.call('cluster.list', {}));
    const audit = JSON.stringify(await t.services.store.client.call('audit.list', { limit: 1000 }));
    for (const tok of [session.accessToken, session.refreshToken]) {
      expect(rows).not.toContain(tok);
      expect(audit).not.toContain(tok);
    }
    const authRows = await t.services.store.client.call('audit.list', { kinds: ['cluster.auth'], limit: 100 });
    expect(authRows.map((a) => (a.data as { event: string }).event)).toContain('sign-in');

    expect(await ok('cluster.signOut', { profileId: 'idp-lab' })).toMatchObject({ signedIn: false });
    expect(await t.services.store.getSecret(oidcSessionAccount('idp-lab'), 'test')).toBeNull();
  }, 30_000);
});
