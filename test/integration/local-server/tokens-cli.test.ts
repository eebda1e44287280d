// `evolve tokens create|list|revoke` on the real token service and encrypted store: the token printed once and
// usable, the list without secrets, revoke by name, bad input refused with typed errors.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokensCommand } from '../../../main/cli/tokens';
import { ApiTokenService } from '../../../main/services/openai-server/auth/token-service';
import { hashApiToken } from '../../../main/services/openai-server/auth/token-format';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

describe('evolve tokens', () => {
  const tmp = tempDir('evolve-tokens-cli-');
  let store: TestStore;
  let svc: ApiTokenService;
  beforeAll(async () => {
    store = makeStore(join(tmp.dir, 'evolve.db'), newKey());
    await store.client.open();
    svc = new ApiTokenService({ store: { ready: true, client: store.client } });
  }, 60_000);
  afterAll(async () => {
    await store?.client.close();
    tmp.cleanup();
  });

  const run = async (args: string[]) => {
    let out = '';
    const code = await tokensCommand(args, svc, { out: (s) => (out += s) });
    return { code, out };
  };

  it('creates a token (shown once), lists it without the secret, revokes it by name', async () => {
    const c = await run(['create', 'vscode', '--scope', 'completions', '--scope', 'models', '--expires-days', '30', '--rate', '120']);
    expect(c.code).toBe(0);
    const token = c.out.split('\n')[0]!;
    expect(token).toMatch(/^evst_[A-Za-z0-9_-]{43}$/);
    expect(c.out).toMatch(/only time the token is shown/);
    const rows = await store.client.call('apiToken.list', {});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'vscode', scopes: ['completions', 'models'], rateLimitPerMin: 120, hash: hashApiToken(token) });
    expect(rows[0]!.expiresAt! - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const l = await run(['list', '--json']);
    const listed = JSON.parse(l.out) as { name: string }[];
    expect(listed.map((t) => t.name)).toEqual(['vscode']);
    expect(l.out).not.toContain(token.slice(5));
    expect((await run(['list'])).out).toMatch(/vscode {2}evst_\S{6}… {2}completions,models {2}active/);

    expect((await run(['revoke', 'vscode'])).out).toMatch(/^Revoked vscode/);
    expect((await run(['list'])).out).toMatch(/No API tokens/);
    expect((await run(['list', '--all'])).out).toMatch(/revoked/);
  });

  it('refuses bad input with typed errors', async () => {
    await expect(run(['create', 'x', '--scope', 'admin'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: /Unknown scope/ });
    await expect(run(['create', 'x', '--rate', '0'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(run(['create', 'x', '--expires-days', '-1'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(run(['revoke', 'nobody'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(run(['frobnicate'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const c = await run(['create', 'default-scopes', '--rate', 'none', '--json']);
    expect(JSON.parse(c.out)).toMatchObject({
      info: { scopes: ['chat', 'completions', 'models'], rateLimitPerMin: null, expiresAt: null },
    });
  });
});
