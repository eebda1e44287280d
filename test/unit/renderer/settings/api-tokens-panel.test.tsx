// The API tokens panel's store side and markup with a scripted API (the service runs on the real store and server in
// test/integration/local-server/api-tokens.test.ts): the secret is shown once and gone after Done, the list shows only
// the prefix hint, revoke removes the row, a refusal is shown as its typed error.
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvolveApi } from '../../../../common/contracts';
import type { ApiTokenInfo } from '../../../../common/store/api-token-requests';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { ApiTokensPanel } from '../../../../renderer/features/settings/ApiTokensPanel';

const SECRET = `evst_${'s'.repeat(43)}`;
const info = (id: string, name: string): ApiTokenInfo => ({
  id,
  name,
  scopes: ['chat', 'models'],
  prefixHint: 'evst_ssssss',
  createdAt: 1_700_000_000_000,
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  rateLimitPerMin: 600,
});
const PRISTINE = useStore.getInitialState().apiTokens;
let calls: string[];
let createOk: boolean;

beforeEach(() => {
  calls = [];
  createOk = true;
  setApi({
    apiTokens: {
      list: async () => (calls.push('list'), { ok: true, value: [info('t0', 'older')] }),
      create: async (i: { name: string; expiresAt: number | null; rateLimitPerMin: number | null }) => {
        calls.push(`create:${i.name}:${i.expiresAt === null ? 'never' : 'expires'}:${i.rateLimitPerMin}`);
        return createOk
          ? { ok: true, value: { token: SECRET, info: info('t1', i.name) } }
          : { ok: false, error: { code: 'CONFLICT', message: 'A token named "vscode" already exists' } };
      },
      revoke: async (i: { id: string }) => (calls.push(`revoke:${i.id}`), { ok: true, value: { ...info(i.id, 'x'), revokedAt: 2 } }),
      setRateLimit: async (i: { id: string; rateLimitPerMin: number | null }) => ({
        ok: true,
        value: { ...info(i.id, 'older'), rateLimitPerMin: i.rateLimitPerMin },
      }),
    },
  } as unknown as EvolveApi);
  useStore.setState({ apiTokens: PRISTINE });
});

function render(): string {
  Object.assign(useStore.getInitialState(), { apiTokens: useStore.getState().apiTokens });
  return renderToString(<ApiTokensPanel />);
}

describe('API tokens panel', () => {
  it('shows a new token once, then only its prefix hint in the list', async () => {
    await useStore.getState().loadApiTokens();
    expect(await useStore.getState().createApiToken({ name: 'vscode', scopes: ['chat'], expiresInDays: 30, rateLimitPerMin: null })).toBe(
      true,
    );
    expect(calls).toEqual(['list', 'create:vscode:expires:null']);
    let html = render();
    expect(html).toContain(SECRET);
    expect(html).toContain('data-testid="api-token-created"');
    expect(html).toMatch(/data-testid="api-token-vscode"/);
    useStore.getState().dismissApiToken();
    html = render();
    expect(html).not.toContain(SECRET);
    expect(html).toContain('evst_ssssss…');
    expect(html).toMatch(/data-testid="api-token-older"/);
  });

  it('revokes (the row goes), changes a rate limit, and shows a refused create as its error', async () => {
    await useStore.getState().loadApiTokens();
    await useStore.getState().setApiTokenRateLimit('t0', 30);
    expect(useStore.getState().apiTokens.list[0]!.rateLimitPerMin).toBe(30);
    await useStore.getState().revokeApiToken('t0');
    expect(calls).toContain('revoke:t0');
    expect(useStore.getState().apiTokens.list).toEqual([]);
    createOk = false;
    expect(await useStore.getState().createApiToken({ name: 'vscode', scopes: ['chat'], expiresInDays: null, rateLimitPerMin: 10 })).toBe(
      false,
    );
    expect(useStore.getState().apiTokens.created).toBeNull();
    expect(render()).toMatch(/data-testid="api-tokens-error"[^>]*>A token named/);
  });
});
